# language: de
Funktionalität: Hundeanmeldung mit Hundesteuer – Soll-Prozess der ZSA (processes/hundehaltung/to-be/hundehaltung.bpmn)
  Die ZSA nimmt als Verwaltungshelferin der Gemeinde die Anmeldung an (Online-Portal oder Papier),
  prüft sie automatisch nach dem HundeG LSA (Chipnummer, Haftpflichtversicherung, Rasseliste, Alter
  der Halterin oder des Halters), fordert fehlende Unterlagen mit 14 Tagen Frist und einer Erinnerung
  nach, lässt das Ordnungsamt der Gemeinde über die Erlaubnis für einen gefährlichen Hund entscheiden,
  berechnet die Hundesteuer nach der Satzung der Gemeinde (hundesteuer.dmn) und entwirft den
  Steuerbescheid, den das Steueramt der Gemeinde erlässt. Danach wird der Hund im Zentralen
  Hunderegister eingetragen und die antragstellende Person benachrichtigt. Die Uhr der Engine beginnt
  am 02.03.2026; der Hund wird am 10.03.2026 angeschafft, die Steuer ist also ab April geschuldet
  (neun Monate in 2026).
  Falldaten stehen in Tabellen | Feld | Wert | (Schlüssel der Formularfelder); Werte nach Feldtyp:
  ja/nein, Zahlen deutsch (5.000.000, 11,25), Datum TT.MM.JJJJ, Listen mit ";" getrennt.

  Grundlage:
    Angenommen die Prozesse der Hundehaltung sind bereitgestellt

  Szenariogrundriss: Eine vollständige Online-Anmeldung wird mit dem Steuersatz der Gemeinde veranlagt
    Angenommen eine Online-Anmeldung eines Hundes in <kommune> mit:
      | Feld                 | Wert      |
      | anzahl_hunde_bereits | <bereits> |
    Dann beginnt die Vorgangsnummer mit "HUND-2026-"
    Und das Falldatum "vollstaendig" ist gleich ja
    Und das Falldatum "gefaehrlich" ist gleich nein
    Und die Hundesteuer beträgt <jahr> € im Jahr und <erstes> € im Jahr 2026
    Und das Falldatum "steuer_tarif" ist gleich "<tarif>"
    Und die offene Aufgabe ist "Bescheid entwerfen" für die Gruppe "zsa-hundehaltung"
    Und die Aufgabe "Bescheid entwerfen" ist am 04.03.2026 fällig
    Wenn "zsa-hundehaltung" die Aufgabe "Bescheid entwerfen" erledigt mit:
      | Feld              | Wert |
      | bescheid_hinweise |      |
      | entwurf_geprueft  | ja   |
    Dann ist die offene Aufgabe "Steuerbescheid prüfen und erlassen" für die Gruppe "steueramt"
    Wenn "steueramt" die Aufgabe "Steuerbescheid prüfen und erlassen" erledigt mit:
      | Feld                    | Wert                    |
      | bescheid_entscheidung   | freigeben               |
      | bescheid_gezeichnet_von | Frau Schulze, Steueramt |
    Dann wurde die Nachricht "hunderegister_eintrag" versendet
    Und die Nachricht "bescheid_hundehaltung" wurde versendet
    Und die Nachricht "nachforderung_unterlagen" wurde nicht versendet
    Und der Vorgang hat "Erlaubnis für gefährlichen Hund prüfen" nicht durchlaufen
    Und der Vorgang ist mit "Hund angemeldet und veranlagt" abgeschlossen

    Beispiele:
      | kommune       | bereits | jahr   | erstes | tarif                          |
      | Magdeburg     | 0       | 96,00  | 72,00  | erster Hund                    |
      | Magdeburg     | 1       | 144,00 | 108,00 | zweiter Hund                   |
      | Magdeburg     | 2       | 192,00 | 144,00 | dritter und jeder weitere Hund |
      | Halle (Saale) | 0       | 100,00 | 75,00  | erster Hund                    |
      | Halle (Saale) | 1       | 180,00 | 135,00 | zweiter und jeder weitere Hund |
      | Haldensleben  | 0       | 54,00  | 40,50  | erster Hund                    |
      | Kuhfelde      | 1       | 30,00  | 22,50  | zweiter Hund                   |

  Szenario: Die Quartalsraten folgen der Satzung (Magdeburg: 15.2./15.5./15.8./15.11.)
    Angenommen eine Online-Anmeldung eines Hundes in Magdeburg
    Dann ist die erste Rate von 24,00 € am 15.05.2026 fällig

  Szenario: Die ZSA erfasst eine Papier-Anmeldung mit dem Startformular
    Angenommen eine Papier-Anmeldung eines Hundes in Halle (Saale), erfasst mit:
      | Feld       | Wert          |
      | halter_ort | Halle (Saale) |
      | halter_plz | 06108         |
    Dann beträgt die Hundesteuer 100,00 € im Jahr und 75,00 € im Jahr 2026
    Und die offene Aufgabe ist "Bescheid entwerfen" für die Gruppe "zsa-hundehaltung"
    Und der Vorgangstitel ist der Name der Halterin oder des Halters

  Szenario: Das Startformular weist eine falsche Chipnummer und Postleitzahl zurück
    Wenn eine Papier-Anmeldung eines Hundes in Magdeburg erfasst wird mit:
      | Feld           | Wert           |
      | transponder_nr | 27609810654321 |
      | halter_plz     | 3910           |
    Dann wird die Eingabe mit einer Meldung zum Feld "transponder_nr" abgelehnt
    Und die Eingabe wird mit einer Meldung zum Feld "halter_plz" abgelehnt

  Szenario: Eine gelistete Rasse braucht die Erlaubnis des Ordnungsamts, das sie erteilt
    Angenommen eine Online-Anmeldung eines Hundes in Magdeburg mit:
      | Feld  | Wert                           |
      | rasse | American Staffordshire Terrier |
    Dann ist das Falldatum "gefaehrlich" gleich ja
    Und die offene Aufgabe ist "Erlaubnis für gefährlichen Hund prüfen" für die Gruppe "ordnungsamt"
    Wenn "ordnungsamt" die Aufgabe "Erlaubnis für gefährlichen Hund prüfen" erledigt mit:
      | Feld                   | Wert                        |
      | sachkunde_nachgewiesen | ja                          |
      | wesenstest_bestanden   | ja                          |
      | zuverlaessig           | ja                          |
      | persoenlich_geeignet   | ja                          |
      | erlaubnis              | erteilt                     |
      | erlaubnis_auflagen     | Leinen- und Maulkorbpflicht |
    Dann beträgt die Hundesteuer 500,00 € im Jahr und 375,00 € im Jahr 2026
    Und das Falldatum "steuer_tarif" ist gleich "gefährlicher Hund"
    Wenn "zsa-hundehaltung" die Aufgabe "Bescheid entwerfen" erledigt mit:
      | Feld             | Wert |
      | entwurf_geprueft | ja   |
    Und "steueramt" die Aufgabe "Steuerbescheid prüfen und erlassen" erledigt mit:
      | Feld                    | Wert        |
      | bescheid_entscheidung   | freigeben   |
      | bescheid_gezeichnet_von | Herr Krause |
    Dann ist der Vorgang mit "Hund angemeldet und veranlagt" abgeschlossen

  Szenario: Ein im Einzelfall als gefährlich festgestellter Hund einer Minderjährigen: die Erlaubnis wird versagt
    Angenommen eine Online-Anmeldung eines Hundes in Halle (Saale) mit:
      | Feld                     | Wert                  |
      | rasse                    | Schäferhund-Mischling |
      | gefaehrlich_festgestellt | ja                    |
      | halter_geburtsdatum      | 15.01.2009            |
    Dann ist das Falldatum "gefaehrlich" gleich ja
    Und das Falldatum "halter_ist_volljaehrig" ist gleich nein
    Wenn "ordnungsamt" die Aufgabe "Erlaubnis für gefährlichen Hund prüfen" erledigt mit:
      | Feld                   | Wert                                                       |
      | sachkunde_nachgewiesen | nein                                                       |
      | wesenstest_bestanden   | ja                                                         |
      | zuverlaessig           | ja                                                         |
      | persoenlich_geeignet   | nein                                                       |
      | erlaubnis              | versagt                                                    |
      | erlaubnis_begruendung  | Die Halterin ist noch nicht 18 Jahre alt (§ 4 HundeG LSA). |
    Dann wurde die Nachricht "bescheid_erlaubnis_versagt" versendet
    Und die Nachricht "hunderegister_eintrag" wurde nicht versendet
    Und der Vorgang hat "Hundesteuer berechnen" nicht durchlaufen
    Und der Vorgang ist mit "Erlaubnis versagt" abgeschlossen

  Szenario: Das Ordnungsamt muss eine Versagung begründen
    Angenommen eine Online-Anmeldung eines Hundes in Magdeburg mit:
      | Feld  | Wert              |
      | rasse | Pitbull-Mischling |
    Wenn "ordnungsamt" versucht, die Aufgabe "Erlaubnis für gefährlichen Hund prüfen" zu erledigen mit:
      | Feld      | Wert    |
      | erlaubnis | versagt |
    Dann wird die Eingabe mit einer Meldung zum Feld "erlaubnis_begruendung" abgelehnt

  Szenario: Fehlender Versicherungsschutz wird nachgefordert und fristgerecht nachgereicht
    Angenommen eine Online-Anmeldung eines Hundes in Magdeburg mit:
      | Feld                       | Wert    |
      | versicherung_personen_sach | 500.000 |
      | versicherung_vermoegen     | 0       |
    Dann ist das Falldatum "vollstaendig" gleich nein
    Und das Falldatum "fehlende_unterlagen" enthält den Eintrag "Haftpflichtversicherung"
    Und die Nachricht "nachforderung_unterlagen" wurde versendet
    Und der Vorgang wartet ohne offene Aufgabe
    Wenn 10 Tage vergehen
    Und die antragstellende Person die fehlenden Unterlagen nachreicht:
      | Feld                       | Wert                 |
      | versicherung_personen_sach | 1.000.000            |
      | versicherung_vermoegen     | 50.000               |
      | versicherer                | Neue Versicherung AG |
    Dann ist das Falldatum "vollstaendig" gleich ja
    Und die Nachricht "erinnerung_unterlagen" wurde nicht versendet
    Und die offene Aufgabe ist "Bescheid entwerfen" für die Gruppe "zsa-hundehaltung"

  Szenario: Eine ungültige Chipnummer wird nachgefordert; nach einer Erinnerung kommen die Unterlagen
    Angenommen eine Online-Anmeldung eines Hundes in Halle (Saale) mit:
      | Feld           | Wert            |
      | transponder_nr | 123456789012345 |
    Dann enthält das Falldatum "fehlende_unterlagen" den Eintrag "Transpondernummer"
    Wenn 14 Tage vergehen
    Dann wurde die Nachricht "erinnerung_unterlagen" versendet
    Und der Vorgang wartet ohne offene Aufgabe
    Wenn 5 Tage vergehen
    Und die antragstellende Person die fehlenden Unterlagen nachreicht:
      | Feld           | Wert            |
      | transponder_nr | 276098106543210 |
    Dann ist das Falldatum "transponder_ok" gleich ja
    Und die offene Aufgabe ist "Bescheid entwerfen" für die Gruppe "zsa-hundehaltung"

  Szenario: Die Frist verstreicht nach einer Erinnerung: die Anmeldung wird nicht weiterverfolgt
    Angenommen eine Online-Anmeldung eines Hundes in Magdeburg mit:
      | Feld                       | Wert |
      | versicherung_personen_sach | 0    |
      | versicherung_vermoegen     | 0    |
    Wenn 13 Tage vergehen
    Dann wurde die Nachricht "erinnerung_unterlagen" nicht versendet
    Wenn 1 Tag vergeht
    Dann wurde die Nachricht "erinnerung_unterlagen" 1-mal versendet
    Wenn 14 Tage vergehen
    Dann wurde die Nachricht "mitteilung_nicht_weiterverfolgt" versendet
    Und die Nachricht "erinnerung_unterlagen" wurde 1-mal versendet
    Und der Vorgang ist mit "Antrag nicht weiterverfolgt" abgeschlossen
    Wenn die antragstellende Person die fehlenden Unterlagen zu spät nachreicht

  Szenario: Nachgereichte, aber weiter unzureichende Unterlagen werden erneut nachgefordert
    Angenommen eine Online-Anmeldung eines Hundes in Magdeburg mit:
      | Feld                       | Wert |
      | versicherung_personen_sach | 0    |
      | versicherung_vermoegen     | 0    |
    Wenn die antragstellende Person die fehlenden Unterlagen nachreicht:
      | Feld                       | Wert      |
      | versicherung_personen_sach | 1.000.000 |
      | versicherung_vermoegen     | 10.000    |
    Dann ist das Falldatum "vollstaendig" gleich nein
    Und die Nachricht "nachforderung_unterlagen" wurde 2-mal versendet
    Und der Vorgang wartet ohne offene Aufgabe

  Szenario: Ein Welpe unter drei Monaten braucht noch keine Versicherung
    Angenommen eine Online-Anmeldung eines Hundes in Magdeburg mit:
      | Feld                       | Wert       |
      | geburtsdatum_hund          | 20.01.2026 |
      | versicherung_personen_sach | 0          |
      | versicherung_vermoegen     | 0          |
    Dann ist das Falldatum "vollstaendig" gleich ja
    Und die offene Aufgabe ist "Bescheid entwerfen" für die Gruppe "zsa-hundehaltung"

  Szenariogrundriss: Die ZSA prüft eine beantragte Befreiung oder Ermäßigung
    Angenommen eine Online-Anmeldung eines Hundes in <kommune> mit:
      | Feld               | Wert        |
      | befreiung          | <befreiung> |
      | befreiung_nachweis | <nachweis>  |
    Dann ist die offene Aufgabe "Nachweis für Befreiung / Ermäßigung prüfen" für die Gruppe "zsa-hundehaltung"
    Wenn "zsa-hundehaltung" die Aufgabe "Nachweis für Befreiung / Ermäßigung prüfen" erledigt mit:
      | Feld                | Wert        |
      | befreiung_anerkannt | <anerkannt> |
      | befreiung_vermerk   | geprüft     |
    Dann beträgt die Hundesteuer <jahr> € im Jahr und <erstes> € im Jahr 2026
    Und die offene Aufgabe ist "Bescheid entwerfen" für die Gruppe "zsa-hundehaltung"

    Beispiele:
      | kommune       | befreiung     | nachweis                                 | anerkannt | jahr   | erstes |
      | Magdeburg     | assistenzhund | Schwerbehindertenausweis, Merkzeichen Bl | ja        | 0,00   | 0,00   |
      | Halle (Saale) | rettungshund  | Prüfungszeugnis Rettungshundestaffel     | ja        | 50,00  | 37,50  |
      | Halle (Saale) | rettungshund  | keiner beigefügt                         | nein      | 100,00 | 75,00  |

  Szenario: Das Steueramt gibt den Entwurf zur Korrektur zurück und erlässt ihn dann
    Angenommen eine Online-Anmeldung eines Hundes in Magdeburg
    Wenn "zsa-hundehaltung" die Aufgabe "Bescheid entwerfen" erledigt mit:
      | Feld             | Wert |
      | entwurf_geprueft | ja   |
    Und "steueramt" die Aufgabe "Steuerbescheid prüfen und erlassen" erledigt mit:
      | Feld                  | Wert                                              |
      | bescheid_entscheidung | korrigieren                                       |
      | korrektur_hinweis     | Bitte auf die abgeschaffte Steuermarke hinweisen. |
    Dann ist die offene Aufgabe "Bescheid entwerfen" für die Gruppe "zsa-hundehaltung"
    Und die Nachricht "bescheid_hundehaltung" wurde nicht versendet
    Wenn "zsa-hundehaltung" die Aufgabe "Bescheid entwerfen" erledigt mit:
      | Feld              | Wert                                                                   |
      | bescheid_hinweise | Eine Hundesteuermarke muss seit 20.07.2024 nicht mehr getragen werden. |
      | entwurf_geprueft  | ja                                                                     |
    Und "steueramt" die Aufgabe "Steuerbescheid prüfen und erlassen" erledigt mit:
      | Feld                    | Wert         |
      | bescheid_entscheidung   | freigeben    |
      | bescheid_gezeichnet_von | Frau Schulze |
    Dann wurde die Nachricht "bescheid_hundehaltung" 1-mal versendet
    Und der Vorgang ist mit "Hund angemeldet und veranlagt" abgeschlossen
