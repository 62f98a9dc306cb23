# language: de
Funktionalität: Hundeabmeldung mit anteiliger Hundesteuer – Soll-Prozess der ZSA (processes/hundehaltung/to-be/hundeabmeldung.bpmn)
  Eine Halterin oder ein Halter meldet einen Hund nach Umzug, Abgabe oder Tod ab. Die ZSA prüft die
  Abmeldung, übernimmt Jahressteuer und Zahlungen des Jahres aus dem Steuerkonto der Gemeinde und
  berechnet die Steuer bis zum Ende des Abmeldemonats (Regel der Satzung); das Steueramt erlässt den
  Bescheid, die Kasse erstattet zu viel Gezahltes, und der Hund wird aus dem Zentralen Hunderegister
  ausgetragen. Die Uhr der Engine beginnt am 02.03.2026.
  Falldaten stehen in Tabellen | Feld | Wert | (Schlüssel der Formularfelder); Werte nach Feldtyp:
  ja/nein, Zahlen deutsch (5.000.000, 11,25), Datum TT.MM.JJJJ, Listen mit ";" getrennt.

  Grundlage:
    Angenommen die Prozesse der Hundehaltung sind bereitgestellt

  Szenario: Tod des Hundes in Magdeburg: die Steuer endet mit Februar, das zu viel gezahlte Quartal wird erstattet
    Angenommen eine Online-Abmeldung eines Hundes in Magdeburg mit:
      | Feld         | Wert       |
      | abmeldegrund | tod        |
      | abmeldedatum | 20.02.2026 |
    Dann beginnt die Vorgangsnummer mit "HUAB-2026-"
    Und das Falldatum "vollstaendig" ist gleich ja
    Und die offene Aufgabe ist "Steuerkonto abgleichen" für die Gruppe "zsa-hundehaltung"
    Wenn "zsa-hundehaltung" die Aufgabe "Steuerkonto abgleichen" erledigt mit:
      | Feld                | Wert      |
      | steuer_jahresbetrag | 96        |
      | bereits_gezahlt     | 24        |
      | kassenzeichen       | HUND-4711 |
    Dann ist das Falldatum "steuerpflichtige_monate" gleich 2
    Und das Falldatum "steuer_bis_abmeldung" ist gleich 16,00 €
    Und das Falldatum "erstattung" ist gleich 8,00 €
    Und das Falldatum "nachzahlung" ist gleich 0,00 €
    Und die offene Aufgabe ist "Bescheid über Abmeldung entwerfen" für die Gruppe "zsa-hundehaltung"
    Wenn "zsa-hundehaltung" die Aufgabe "Bescheid über Abmeldung entwerfen" erledigt mit:
      | Feld             | Wert |
      | entwurf_geprueft | ja   |
    Dann ist die offene Aufgabe "Bescheid über Abmeldung erlassen" für die Gruppe "steueramt"
    Wenn "steueramt" die Aufgabe "Bescheid über Abmeldung erlassen" erledigt mit:
      | Feld                    | Wert         |
      | bescheid_gezeichnet_von | Frau Schulze |
    Dann ist die offene Aufgabe "Erstattung auszahlen" für die Gruppe "kasse"
    Wenn "kasse" die Aufgabe "Erstattung auszahlen" erledigt mit:
      | Feld                  | Wert      |
      | erstattung_angewiesen | ja        |
      | kassenzeichen         | HUND-4711 |
    Dann wurde die Nachricht "hunderegister_abmeldung" versendet
    Und die Nachricht "bescheid_hundeabmeldung" wurde versendet
    Und der Vorgang ist mit "Hund abgemeldet" abgeschlossen

  Szenario: Wegzug aus Halle (Saale) ohne bisherige Zahlung: Nachzahlung, keine Erstattung
    Angenommen eine Online-Abmeldung eines Hundes in Halle (Saale) mit:
      | Feld           | Wert                         |
      | abmeldegrund   | umzug                        |
      | abmeldedatum   | 27.02.2026                   |
      | neue_anschrift | Hauptstraße 5, 04109 Leipzig |
    Wenn "zsa-hundehaltung" die Aufgabe "Steuerkonto abgleichen" erledigt mit:
      | Feld                | Wert |
      | steuer_jahresbetrag | 100  |
      | bereits_gezahlt     | 0    |
    Dann ist das Falldatum "steuer_bis_abmeldung" gleich 16,67 €
    Und das Falldatum "erstattung" ist gleich 0,00 €
    Und das Falldatum "nachzahlung" ist gleich 16,67 €
    Wenn "zsa-hundehaltung" die Aufgabe "Bescheid über Abmeldung entwerfen" erledigt mit:
      | Feld              | Wert                                           |
      | entwurf_geprueft  | ja                                             |
      | bescheid_hinweise | Bitte 16,67 EUR bis zum 15.05.2026 überweisen. |
    Und "steueramt" die Aufgabe "Bescheid über Abmeldung erlassen" erledigt mit:
      | Feld                    | Wert        |
      | bescheid_gezeichnet_von | Herr Krause |
    Dann hat der Vorgang "Erstattung auszahlen" nicht durchlaufen
    Und die Nachricht "hunderegister_abmeldung" wurde versendet
    Und der Vorgang ist mit "Hund abgemeldet" abgeschlossen

  Szenario: Abgabe ohne Angaben zur neuen Halterin: die ZSA klärt zuerst nach
    Angenommen eine Online-Abmeldung eines Hundes in Haldensleben mit:
      | Feld                   | Wert       |
      | abmeldegrund           | abgabe     |
      | abmeldedatum           | 31.01.2026 |
      | neuer_halter_name      |            |
      | neuer_halter_anschrift |            |
    Dann ist das Falldatum "vollstaendig" gleich nein
    Und das Falldatum "fehlende_angaben" enthält den Eintrag "neuen Halter"
    Und die offene Aufgabe ist "Fehlende Angaben mit Halter/in klären" für die Gruppe "zsa-hundehaltung"
    Wenn "zsa-hundehaltung" die Aufgabe "Fehlende Angaben mit Halter/in klären" erledigt mit:
      | Feld                   | Wert                               |
      | transponder_nr         | 276098106543210                    |
      | neuer_halter_name      | Max Beispiel                       |
      | neuer_halter_anschrift | Lindenstraße 3, 39340 Haldensleben |
      | klaerung_vermerk       | telefonisch geklärt                |
    Dann ist das Falldatum "vollstaendig" gleich ja
    Wenn "zsa-hundehaltung" die Aufgabe "Steuerkonto abgleichen" erledigt mit:
      | Feld                | Wert |
      | steuer_jahresbetrag | 54   |
      | bereits_gezahlt     | 0    |
    Dann ist das Falldatum "steuerpflichtige_monate" gleich 1
    Und das Falldatum "steuer_bis_abmeldung" ist gleich 4,50 €
    Und die offene Aufgabe ist "Bescheid über Abmeldung entwerfen" für die Gruppe "zsa-hundehaltung"

  Szenario: Eine von der ZSA erfasste Papier-Abmeldung muss bei Abgabe die neue Halterin oder den neuen Halter nennen
    Wenn eine Papier-Abmeldung eines Hundes in Magdeburg erfasst wird mit:
      | Feld         | Wert   |
      | abmeldegrund | abgabe |
    Dann wird die Eingabe mit einer Meldung zum Feld "neuer_halter_name" abgelehnt
    Und die Eingabe wird mit einer Meldung zum Feld "neuer_halter_anschrift" abgelehnt

  Szenario: Papier-Abmeldung nach dem Tod des Hundes
    Angenommen eine Papier-Abmeldung eines Hundes in Kuhfelde, erfasst mit:
      | Feld         | Wert       |
      | abmeldegrund | tod        |
      | abmeldedatum | 10.02.2026 |
      | iban         |            |
    Dann ist die offene Aufgabe "Steuerkonto abgleichen" für die Gruppe "zsa-hundehaltung"
    Wenn "zsa-hundehaltung" die Aufgabe "Steuerkonto abgleichen" erledigt mit:
      | Feld                | Wert |
      | steuer_jahresbetrag | 15   |
      | bereits_gezahlt     | 0    |
    Dann ist das Falldatum "steuer_bis_abmeldung" gleich 2,50 €
