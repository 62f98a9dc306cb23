# language: de
Funktionalität: Hundeanmeldung – Ist-Varianten einzelner Gemeinden (processes/hundehaltung/as-is/)
  Die Ist-Modelle sind ausführbar, damit sie simuliert und mit dem ZSA-Prozess verglichen werden
  können. Jede Variante läuft durch die echte Engine: Papierarbeit als manuelle Aufgaben,
  Entscheidungen und von Hand getippte Steuerbeträge als Benutzeraufgaben, Stapelbearbeitung und
  Arbeitstage als Timer. Manuelle Aufgaben haben im Camunda Modeler keine Kandidatengruppen, daher
  ist der Name der Lane ihre Gruppe. Die Uhr der Engine beginnt am 02.03.2026.
  Falldaten stehen in Tabellen | Feld | Wert | (Schlüssel der Formularfelder); Werte nach Feldtyp:
  ja/nein, Zahlen deutsch (5.000.000, 11,25), Datum TT.MM.JJJJ, Listen mit ";" getrennt.

  Grundlage:
    Angenommen die Prozesse der Hundehaltung sind bereitgestellt

  Szenario: Magdeburg – Bürgerbüro, Steueramt und Ordnungsamt reichen die Papierakte weiter
    Angenommen eine Papier-Anmeldung eines Hundes für "hundehaltung_asis_magdeburg", abgegeben in Magdeburg
    Dann beginnt die Vorgangsnummer mit "HUND-2026-"
    Und die offene Aufgabe ist "Antrag annehmen und per Hauspost an Steueramt" für die Gruppe "buergerbuero"
    Wenn "buergerbuero" die Papierarbeit "Antrag annehmen und per Hauspost an Steueramt" erledigt
    Dann ist die offene Aufgabe "Antrag sichten und prüfen" für die Gruppe "steueramt"
    Wenn "steueramt" die Aufgabe "Antrag sichten und prüfen" erledigt mit:
      | Feld                     | Wert                        |
      | vollstaendig             | nein                        |
      | fehlende_unterlagen_text | Versicherungsnachweis fehlt |
      | gefaehrlich              | nein                        |
    Dann wurde die Nachricht "nachforderung_unterlagen" versendet
    Und der Vorgang wartet ohne offene Aufgabe
    Wenn 12 Tage vergehen
    Und die antragstellende Person die fehlenden Unterlagen nachreicht:
      | Feld        | Wert                     |
      | versicherer | Beispiel Versicherung AG |
    Dann ist die offene Aufgabe "Antrag sichten und prüfen" für die Gruppe "steueramt"
    Wenn "steueramt" die Aufgabe "Antrag sichten und prüfen" erledigt mit:
      | Feld         | Wert |
      | vollstaendig | ja   |
      | gefaehrlich  | nein |
    Dann ist die offene Aufgabe "Steuer nach Satzung festsetzen" für die Gruppe "steueramt"
    Wenn "steueramt" die Aufgabe "Steuer nach Satzung festsetzen" erledigt mit:
      | Feld                | Wert |
      | steuer_jahresbetrag | 96   |
      | steuer_erstes_jahr  | 72   |
    Und "steueramt" die Papierarbeit "Im Fachverfahren Steuer erfassen" erledigt
    Und "steueramt" die Papierarbeit "Bescheid drucken, zeichnen und versenden" erledigt
    Und "steueramt" die Papierarbeit "Antragskopie per Hauspost an Ordnungsamt" erledigt
    Dann ist die offene Aufgabe "Hund im Zentralen Hunderegister erfassen" für die Gruppe "ordnungsamt"
    Wenn "ordnungsamt" die Papierarbeit "Hund im Zentralen Hunderegister erfassen" erledigt
    Dann ist der Vorgang mit "Hund angemeldet" abgeschlossen

  Szenario: Kuhfelde – eine Teilzeitkraft, alles per Post; die Antwort kommt nie
    Angenommen eine Papier-Anmeldung eines Hundes für "hundehaltung_asis_kuhfelde", abgegeben in Kuhfelde
    Dann wartet der Vorgang ohne offene Aufgabe
    Wenn 2 Tage vergehen
    Dann ist die offene Aufgabe "Antrag prüfen" für die Gruppe "kasse"
    Wenn "kasse" die Aufgabe "Antrag prüfen" erledigt mit:
      | Feld                     | Wert                   |
      | vollstaendig             | nein                   |
      | fehlende_unterlagen_text | Chipnummer unleserlich |
      | gefaehrlich              | nein                   |
    Dann wurde die Nachricht "nachforderung_unterlagen" versendet
    Wenn 41 Tage vergehen
    Dann wartet der Vorgang ohne offene Aufgabe
    Wenn 1 Tag vergeht
    Dann ist der Vorgang mit "Vorgang abgelegt" abgeschlossen

  Szenario: Kuhfelde – eine vollständige Anmeldung wird von Hand veranlagt und auf Papier gemeldet
    Angenommen eine Papier-Anmeldung eines Hundes für "hundehaltung_asis_kuhfelde", abgegeben in Kuhfelde
    Wenn 2 Tage vergehen
    Und "kasse" die Aufgabe "Antrag prüfen" erledigt mit:
      | Feld         | Wert |
      | vollstaendig | ja   |
      | gefaehrlich  | nein |
    Und "kasse" die Aufgabe "Steuer nach Satzung berechnen" erledigt mit:
      | Feld                | Wert  |
      | steuer_jahresbetrag | 15    |
      | steuer_erstes_jahr  | 11,25 |
    Und "kasse" die Papierarbeit "Karteikarte und Excel-Liste führen" erledigt
    Und "kasse" die Papierarbeit "Bescheid schreiben, Steuermarke per Post senden" erledigt
    Und "kasse" die Papierarbeit "Meldung an Register ausdrucken und senden" erledigt
    Dann ist der Vorgang mit "Hund angemeldet" abgeschlossen

  Szenario: Haldensleben – wöchentliche Stapel; ein gefährlicher Hund geht an das Ordnungsamt
    Angenommen eine Papier-Anmeldung eines Hundes für "hundehaltung_asis_haldensleben", abgegeben in Haldensleben
    Wenn "buergerbuero" die Papierarbeit "Eingang scannen und ablegen" erledigt
    Dann wartet der Vorgang ohne offene Aufgabe
    Wenn 7 Tage vergehen
    Dann ist die offene Aufgabe "Stapel: Antrag prüfen" für die Gruppe "steueramt"
    Wenn "steueramt" die Aufgabe "Stapel: Antrag prüfen" erledigt mit:
      | Feld         | Wert |
      | vollstaendig | ja   |
      | gefaehrlich  | ja   |
    Dann ist die offene Aufgabe "Erlaubnis für gefährlichen Hund prüfen" für die Gruppe "ordnungsamt"
    Wenn "ordnungsamt" die Aufgabe "Erlaubnis für gefährlichen Hund prüfen" erledigt mit:
      | Feld                   | Wert    |
      | sachkunde_nachgewiesen | ja      |
      | wesenstest_bestanden   | ja      |
      | zuverlaessig           | ja      |
      | persoenlich_geeignet   | ja      |
      | erlaubnis              | erteilt |
    Und "steueramt" die Aufgabe "Steuer festsetzen" erledigt mit:
      | Feld                | Wert |
      | steuer_jahresbetrag | 312  |
      | steuer_erstes_jahr  | 234  |
    Und "steueramt" die Papierarbeit "Im Fachverfahren Steuer erfassen" erledigt
    Dann wartet der Vorgang ohne offene Aufgabe
    Wenn 7 Tage vergehen
    Und "steueramt" die Papierarbeit "Bescheide kuvertieren und versenden" erledigt
    Und "ordnungsamt" die Papierarbeit "Sammelliste ins Register übertragen" erledigt
    Dann ist der Vorgang mit "Hund angemeldet" abgeschlossen

  Szenario: Haldensleben – das Ordnungsamt versagt die Erlaubnis
    Angenommen eine Papier-Anmeldung eines Hundes für "hundehaltung_asis_haldensleben", abgegeben in Haldensleben
    Wenn "buergerbuero" die Papierarbeit "Eingang scannen und ablegen" erledigt
    Und 7 Tage vergehen
    Und "steueramt" die Aufgabe "Stapel: Antrag prüfen" erledigt mit:
      | Feld         | Wert |
      | vollstaendig | ja   |
      | gefaehrlich  | ja   |
    Und "ordnungsamt" die Aufgabe "Erlaubnis für gefährlichen Hund prüfen" erledigt mit:
      | Feld                  | Wert                        |
      | erlaubnis             | versagt                     |
      | erlaubnis_begruendung | Wesenstest nicht bestanden. |
    Dann wurde die Nachricht "bescheid_erlaubnis_versagt" versendet
    Und der Vorgang ist mit "Erlaubnis versagt" abgeschlossen
