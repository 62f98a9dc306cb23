# language: de
Funktionalität: Wohngeld – Soll-Prozess der ZSA (processes/wohngeld/to-be/wohngeld.bpmn)
  Die ZSA nimmt als Verwaltungshelferin der Gemeinde den Antrag an, prüft die Vollständigkeit (mit
  Nachforderung fehlender Unterlagen unter Fristsetzung, § 60 SGB I), prüft Plausibilität und Vorrang
  (kein Wohngeld neben SGB II/XII), berechnet den Betrag und entwirft die Entscheidung. Die
  Wohngeldstelle der Gemeinde entscheidet, die Kasse zahlt, und zwei Monate vor Ende des
  Bewilligungszeitraums wird an den Weiterleistungsantrag erinnert. Die Uhr der Engine beginnt am
  02.03.2026.
  Falldaten stehen in Tabellen | Feld | Wert | (Schlüssel der Formularfelder); Werte nach Feldtyp:
  ja/nein, Zahlen deutsch (5.000.000, 11,25), Datum TT.MM.JJJJ, Listen mit ";" getrennt.

  Grundlage:
    Angenommen die Prozesse des Wohngelds sind bereitgestellt

  Szenario: Ein vollständiger Online-Antrag wird mit dem berechneten Betrag bewilligt, ausgezahlt und an die Weiterleistung erinnert
    Angenommen ein Online-Wohngeldantrag des Haushalts "beispiel_3" in Halle (Saale)
    Dann ist die offene Aufgabe "Vollständigkeit prüfen" für die Gruppe "zsa-wohngeld"
    Und das Falldatum "erforderliche_nachweise" enthält den Eintrag "Verdienstbescheinigungen der letzten 12 Monate"
    Und das Falldatum "erforderliche_nachweise" enthält den Eintrag "Meldebescheinigung bzw. Angaben zu allen Haushaltsmitgliedern"
    Wenn "zsa-wohngeld" die Aufgabe "Vollständigkeit prüfen" erledigt mit:
      | Feld                    | Wert                       |
      | unterlagen_vollstaendig | ja                         |
      | pruefvermerk            | Alle Nachweise liegen vor. |
    Dann ist die offene Aufgabe "Plausibilität und Vorrang prüfen (SGB II/XII)" für die Gruppe "zsa-wohngeld"
    Wenn "zsa-wohngeld" die Aufgabe "Plausibilität und Vorrang prüfen (SGB II/XII)" erledigt mit:
      | Feld                   | Wert |
      | transferleistung_bezug | nein |
      | rueckfrage_noetig      | nein |
    Dann ist das Falldatum "wohngeld_m" gleich 253
    Und das Falldatum "wohngeld_anspruch" ist gleich ja
    Und das Falldatum "vorschlag" ist gleich "bewilligung"
    Und die offene Aufgabe ist "Bescheidentwurf erstellen" für die Gruppe "zsa-wohngeld"
    Wenn "zsa-wohngeld" die Aufgabe "Bescheidentwurf erstellen" erledigt mit:
      | Feld               | Wert                                      |
      | vorschlag          | bewilligung                               |
      | bewilligung_monate | 12                                        |
      | begruendung        | Anspruch nach § 19 WoGG: 253 € monatlich. |
    Dann ist die offene Aufgabe "Über den Antrag entscheiden" für die Gruppe "wohngeldstelle"
    Wenn "wohngeldstelle" die Aufgabe "Über den Antrag entscheiden" erledigt mit:
      | Feld               | Wert        |
      | entscheidung       | bewilligung |
      | bewilligung_monate | 12          |
    Dann ist das Falldatum "bewilligung_von" gleich 01.03.2026
    Und das Falldatum "bewilligung_bis" ist gleich 28.02.2027
    Und das Falldatum "erinnerung_am" ist gleich 01.01.2027
    Und die Nachricht "bescheid_wohngeld" wurde versendet
    Und die offene Aufgabe ist "Laufende Zahlung anweisen (§ 26 WoGG)" für die Gruppe "kasse"
    Wenn "kasse" die Aufgabe "Laufende Zahlung anweisen (§ 26 WoGG)" erledigt mit:
      | Feld             | Wert                   |
      | kassenzeichen    | WOGG-2026-000001       |
      | iban             | DE02120300000000202051 |
      | erste_zahlung_am | 02.03.2026             |
    Dann läuft der Vorgang ohne offene Aufgabe
    Und der Vorgang wartet auf eine Frist am 01.01.2027
    Wenn die Uhr auf den 31.12.2026 gestellt wird
    Dann wurde die Nachricht "erinnerung_weiterleistung" nicht versendet
    Wenn die Uhr auf den 01.01.2027 gestellt wird
    Dann wurde die Nachricht "erinnerung_weiterleistung" versendet
    Und der Vorgang ist mit "Wohngeld bewilligt, Erinnerung versandt" abgeschlossen

  Szenario: Fehlende Unterlagen werden nachgefordert und fristgerecht nachgereicht
    Angenommen ein Online-Wohngeldantrag des Haushalts "beispiel_3" in Magdeburg
    Wenn "zsa-wohngeld" die Aufgabe "Vollständigkeit prüfen" erledigt mit:
      | Feld                    | Wert                                     |
      | unterlagen_vollstaendig | nein                                     |
      | fehlende_nachweise      | Mietbescheinigung des Vermieters         |
      | nachforderung_hinweis   | Bitte die Mietbescheinigung nachreichen. |
    Dann wurde die Nachricht "nachforderung_unterlagen" versendet
    Und der Vorgang läuft ohne offene Aufgabe
    Und der Vorgang wartet auf eine Frist am 16.03.2026
    Wenn 6 Tage vergehen
    Und die Nachricht "unterlagen_eingegangen" eingeht
    Dann ist die offene Aufgabe "Vollständigkeit prüfen" für die Gruppe "zsa-wohngeld"
    Wenn "zsa-wohngeld" die Aufgabe "Vollständigkeit prüfen" erledigt mit:
      | Feld                    | Wert |
      | unterlagen_vollstaendig | ja   |
    Und 20 Tage vergehen
    Dann ist die offene Aufgabe "Plausibilität und Vorrang prüfen (SGB II/XII)" für die Gruppe "zsa-wohngeld"
    Und der Vorgang hat "Versagung vorschlagen (§ 66 SGB I)" nicht durchlaufen

  Szenario: Die Frist verstreicht ohne Unterlagen: Versagungsvorschlag nach § 66 SGB I, die Gemeinde versagt
    Angenommen ein Online-Wohngeldantrag des Haushalts "beispiel_3" in Halle (Saale)
    Wenn "zsa-wohngeld" die Aufgabe "Vollständigkeit prüfen" erledigt mit:
      | Feld                    | Wert                                           |
      | unterlagen_vollstaendig | nein                                           |
      | fehlende_nachweise      | Verdienstbescheinigungen der letzten 12 Monate |
    Und 13 Tage vergehen
    Dann läuft der Vorgang ohne offene Aufgabe
    Wenn 1 Tag vergeht
    Dann hat der Vorgang "Versagung vorschlagen (§ 66 SGB I)" durchlaufen
    Und das Falldatum "vorschlag" ist gleich "versagung"
    Und die offene Aufgabe ist "Bescheidentwurf erstellen" für die Gruppe "zsa-wohngeld"
    Wenn die Nachricht "unterlagen_eingegangen" zu spät eingeht
    Und "zsa-wohngeld" die Aufgabe "Bescheidentwurf erstellen" erledigt mit:
      | Feld               | Wert                                                                                                                       |
      | vorschlag          | versagung                                                                                                                  |
      | bewilligung_monate | 12                                                                                                                         |
      | begruendung        | Verdienstbescheinigungen trotz Aufforderung mit Fristsetzung und Hinweis auf die Folgen nicht vorgelegt (§§ 60, 66 SGB I). |
    Und "wohngeldstelle" die Aufgabe "Über den Antrag entscheiden" erledigt mit:
      | Feld                 | Wert                                         |
      | entscheidung         | versagung                                    |
      | bewilligung_monate   | 12                                           |
      | entscheidung_vermerk | Versagung bis zur Nachholung der Mitwirkung. |
    Dann wurde die Nachricht "bescheid_wohngeld" versendet
    Und der Vorgang ist mit "Antrag abgelehnt oder versagt" abgeschlossen
    Und der Vorgang hat "Wohngeld berechnen" nicht durchlaufen

  Szenario: Bezug von Bürgergeld (SGB II) schließt Wohngeld aus, der Antrag wird abgelehnt
    Angenommen ein Online-Wohngeldantrag des Haushalts "buergergeld" in Magdeburg
    Wenn "zsa-wohngeld" die Aufgabe "Vollständigkeit prüfen" erledigt mit:
      | Feld                    | Wert |
      | unterlagen_vollstaendig | ja   |
    Und "zsa-wohngeld" die Aufgabe "Plausibilität und Vorrang prüfen (SGB II/XII)" erledigt mit:
      | Feld                   | Wert                                                |
      | transferleistung_bezug | ja                                                  |
      | rueckfrage_noetig      | nein                                                |
      | plausibilitaet_vermerk | Jobcenter bestätigt laufenden Bezug von Bürgergeld. |
    Dann hat der Vorgang "Ablehnung vorschlagen (Transferleistung)" durchlaufen
    Und der Vorgang hat "Wohngeld berechnen" nicht durchlaufen
    Und das Falldatum "vorschlag" ist gleich "ablehnung"
    Wenn "zsa-wohngeld" die Aufgabe "Bescheidentwurf erstellen" erledigt mit:
      | Feld               | Wert                                                         |
      | vorschlag          | ablehnung                                                    |
      | bewilligung_monate | 12                                                           |
      | begruendung        | Ausschluss nach § 7 Abs. 1 WoGG wegen Bezugs von Bürgergeld. |
    Und "wohngeldstelle" die Aufgabe "Über den Antrag entscheiden" erledigt mit:
      | Feld               | Wert      |
      | entscheidung       | ablehnung |
      | bewilligung_monate | 12        |
    Dann wurde die Nachricht "bescheid_wohngeld" versendet
    Und der Vorgang ist mit "Antrag abgelehnt oder versagt" abgeschlossen

  Szenario: Unplausible Angaben führen vor der Berechnung zu einer Rückfrage
    Angenommen ein Online-Wohngeldantrag des Haushalts "beispiel_3" in Halle (Saale)
    Wenn "zsa-wohngeld" die Aufgabe "Vollständigkeit prüfen" erledigt mit:
      | Feld                    | Wert |
      | unterlagen_vollstaendig | ja   |
    Und "zsa-wohngeld" die Aufgabe "Plausibilität und Vorrang prüfen (SGB II/XII)" erledigt mit:
      | Feld                   | Wert                                                    |
      | transferleistung_bezug | nein                                                    |
      | rueckfrage_noetig      | ja                                                      |
      | nachforderung_hinweis  | Wovon bestreiten Sie die Miete über die Angaben hinaus? |
    Dann wurde die Nachricht "nachforderung_unterlagen" versendet
    Und der Vorgang hat kein Falldatum "wohngeld_m"
    Wenn 3 Tage vergehen
    Und die Nachricht "unterlagen_eingegangen" eingeht
    Und "zsa-wohngeld" die Aufgabe "Vollständigkeit prüfen" erledigt mit:
      | Feld                    | Wert |
      | unterlagen_vollstaendig | ja   |
    Und "zsa-wohngeld" die Aufgabe "Plausibilität und Vorrang prüfen (SGB II/XII)" erledigt mit:
      | Feld                   | Wert |
      | transferleistung_bezug | nein |
      | rueckfrage_noetig      | nein |
    Dann ist das Falldatum "wohngeld_m" gleich 253
    Und die offene Aufgabe ist "Bescheidentwurf erstellen" für die Gruppe "zsa-wohngeld"

  Szenario: Ein Papierantrag ohne Anspruch wird nach der Berechnung abgelehnt
    Angenommen ein Papier-Wohngeldantrag des Haushalts "hohes_einkommen" in Magdeburg
    Dann ist die offene Aufgabe "Vollständigkeit prüfen" für die Gruppe "zsa-wohngeld"
    Wenn "zsa-wohngeld" die Aufgabe "Vollständigkeit prüfen" erledigt mit:
      | Feld                    | Wert |
      | unterlagen_vollstaendig | ja   |
    Und "zsa-wohngeld" die Aufgabe "Plausibilität und Vorrang prüfen (SGB II/XII)" erledigt mit:
      | Feld                   | Wert |
      | transferleistung_bezug | nein |
      | rueckfrage_noetig      | nein |
    Dann ist das Falldatum "wohngeld_m" gleich 0
    Und das Falldatum "wohngeld_anspruch" ist gleich nein
    Und das Falldatum "vorschlag" ist gleich "ablehnung"
    Wenn "zsa-wohngeld" die Aufgabe "Bescheidentwurf erstellen" erledigt mit:
      | Feld               | Wert                                                   |
      | vorschlag          | ablehnung                                              |
      | bewilligung_monate | 12                                                     |
      | begruendung        | Einkommen im Verhältnis zur Miete zu hoch (§ 19 WoGG). |
    Und "wohngeldstelle" die Aufgabe "Über den Antrag entscheiden" erledigt mit:
      | Feld               | Wert      |
      | entscheidung       | ablehnung |
      | bewilligung_monate | 12        |
    Dann ist der Vorgang mit "Antrag abgelehnt oder versagt" abgeschlossen
    Und die Nachricht "erinnerung_weiterleistung" wurde nicht versendet

  Szenario: Das Papier-Startformular weist eine ungültige IBAN mit einer Feldmeldung zurück
    Wenn ein Papier-Wohngeldantrag des Haushalts "beispiel_3" in Magdeburg erfasst wird mit:
      | Feld | Wert         |
      | iban | DE0212030000 |
    Dann wird die Eingabe mit einer Meldung zum Feld "iban" abgelehnt
