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
    Und das Falldatum "erforderliche_nachweise" enthält den Eintrag "Erika Muster: Einkommensnachweis Erwerbseinkommen (Verdienstbescheinigungen der letzten 12 Monate)"
    Und das Falldatum "erforderliche_nachweise" enthält den Eintrag "Meldebescheinigung aller Haushaltsmitglieder"
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
      | Feld                    | Wert                                                                                               |
      | unterlagen_vollstaendig | nein                                                                                               |
      | fehlende_nachweise      | Erika Muster: Einkommensnachweis Erwerbseinkommen (Verdienstbescheinigungen der letzten 12 Monate) |
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

  # Haushalte mit mehreren Mitgliedern. Jede Zeile der Tabelle ist ein Eintrag der Liste
  # haushaltsmitglieder des Antrags (Beträge monatlich brutto, Unterhalt jährlich). Die Beträge sind
  # von Hand nach dem Domain-Brief nachgerechnet (Stichtag 01.03.2026, Parameter ab 01.01.2025,
  # Mietstufe III): je Mitglied Jahreseinkommen = (12 × Lohn − 1.230 €) bzw. (12 × Rente − 102 €),
  # abzüglich 10 % je Merkmal Steuern / KV-PV / RV (§ 16); Y = (Summe − Freibeträge) ÷ 12;
  # M = min(Miete, Höchstbetrag + Klimakomponente) + Heizkostenentlastung + Heizkostenkomponente;
  # Wohngeld = 1,15 · (M − (a + b·M + c·Y)·Y), auf volle Euro gerundet.

  # Zwei Verdienende und eine Rentnerin, 3 Personen:
  #   Erika: 12 × 1.200 − 1.230 = 13.170 × 0,7 = 9.219,00; Paul: 12 × 600 − 1.230 = 5.970 × 0,8 = 4.776,00;
  #   Gerda: 12 × 800 − 102 = 9.498 × 0,9 = 8.548,20; Summe 22.543,20 → Y = 1.878,60.
  #   M: Miete 700 > 657 + 29,60 → 686,60 + 22,20 + 148 = 856,80.
  #   z1 = 0,02 + 0,0002917 · 856,80 + 0,0000245 · 1.878,60 = 0,31595426; z2 = z1 · Y = 593,5516728360;
  #   1,15 · (856,80 − 593,5516728360) = 302,74 → 303 €.
  Szenario: Zwei Verdienende und eine Rentnerin: jedes Mitglied mit eigenem Pauschalabzug und eigenen Nachweisen
    Angenommen ein Online-Wohngeldantrag in Halle (Saale) mit einer Bruttokaltmiete von 700 € und den Haushaltsmitgliedern:
      | name         | beziehung     | geburtsdatum | bruttolohn_m | rente_m | zahlt_steuern | zahlt_kv_pv | zahlt_rv |
      | Erika Muster | antragsteller | 02.04.1980   | 1.200        | 0       | ja            | ja          | ja       |
      | Paul Muster  | ehegatte      | 20.11.1978   | 600          | 0       | nein          | ja          | ja       |
      | Gerda Muster | elternteil    | 03.07.1950   | 0            | 800     | nein          | ja          | nein     |
    Dann ist die offene Aufgabe "Vollständigkeit prüfen" für die Gruppe "zsa-wohngeld"
    Und die Checkliste "erforderliche_nachweise" ist:
      | Nachweis                                                                                         |
      | Mietvertrag (Kopie)                                                                              |
      | Mietbescheinigung des Vermieters                                                                 |
      | Nachweis der aktuellen Mietzahlung (Kontoauszug)                                                 |
      | Meldebescheinigung aller Haushaltsmitglieder                                                     |
      | Erika Muster: Einkommensnachweis Erwerbseinkommen (Verdienstbescheinigungen der letzten 12 Monate) |
      | Paul Muster: Einkommensnachweis Erwerbseinkommen (Verdienstbescheinigungen der letzten 12 Monate)  |
      | Gerda Muster: Rentenbescheid bzw. aktuelle Rentenanpassungsmitteilung                            |
    Wenn die Prüfungen der ZSA ohne Befund erledigt sind
    Dann ist das Falldatum "wohngeld_m" gleich 303
    Und der Rechenweg zeigt:
      | Schritt                                                                                                                          | Wert        |
      | Mitglied 1 (Erika Muster): Jahreseinkommen                                                                                       | 9.219,00 €  |
      | Mitglied 2 (Paul Muster): pauschaler Abzug 20 % (Kranken-/Pflegeversicherung, Rentenversicherung)                                | 20 %        |
      | Mitglied 2 (Paul Muster): Jahreseinkommen                                                                                        | 4.776,00 €  |
      | Mitglied 3 (Gerda Muster): Werbungskosten-Pauschbetrag Rente                                                                     | 102,00 €    |
      | Mitglied 3 (Gerda Muster): Jahreseinkommen                                                                                       | 8.548,20 €  |
      | Summe der Jahreseinkommen                                                                                                        | 22.543,20 € |
      | Monatliches Gesamteinkommen Y                                                                                                    | 1.878,60 €  |
      | Zu berücksichtigende Miete M                                                                                                     | 856,80 €    |
      | Monatliches Wohngeld                                                                                                             | 303         |

  # Alleinerziehend mit einem volljährigen Sohn in Ausbildung und einer Tochter von 10 Jahren:
  #   Anna: 12 × 1.500 − 1.230 = 16.770 × 0,7 = 11.739,00; Lukas: 12 × 800 − 1.230 = 8.370 × 0,8 = 6.696,00;
  #   Freibeträge: alleinerziehend einmal 1.320 (Mia unter 18, § 17 Nr. 3), eigenes Einkommen des
  #   Kindes Lukas höchstens 1.200 (§ 17 Nr. 4); (18.435,00 − 2.520) ÷ 12 → Y = 1.326,25.
  #   M: Miete 600 ≤ 686,60 → 600 + 22,20 + 148 = 770,20.
  #   z1 = 0,02 + 0,0002917 · 770,20 + 0,0000245 · 1.326,25 = 0,2771604650; z2 = 367,5840667063;
  #   1,15 · (770,20 − 367,5840667063) = 463,01 → 463 €.
  Szenario: Alleinerziehend mit einem verdienenden volljährigen Kind: Freibeträge nach § 17 Nr. 3 und Nr. 4
    Angenommen ein Online-Wohngeldantrag in Magdeburg mit einer Bruttokaltmiete von 600 € und den Haushaltsmitgliedern:
      | name          | beziehung     | geburtsdatum | bruttolohn_m | zahlt_steuern | zahlt_kv_pv | zahlt_rv | alleinerziehend |
      | Anna Beispiel | antragsteller | 14.02.1984   | 1.500        | ja            | ja          | ja       | ja              |
      | Lukas Beispiel | kind         | 10.05.2006   | 800          | nein          | ja          | ja       | nein            |
      | Mia Beispiel  | kind          | 01.09.2015   | 0            | nein          | nein        | nein     | nein            |
    Dann enthält das Falldatum "erforderliche_nachweise" den Eintrag "Anna Beispiel: Nachweis Kindergeld bzw. Alleinerziehung (Kindergeldbescheid)"
    Und das Falldatum "erforderliche_nachweise" enthält den Eintrag "Lukas Beispiel: Einkommensnachweis Erwerbseinkommen (Verdienstbescheinigungen der letzten 12 Monate)"
    Wenn die Prüfungen der ZSA ohne Befund erledigt sind
    Dann ist das Falldatum "wohngeld_m" gleich 463
    Und der Rechenweg zeigt:
      | Schritt                                                                | Wert        |
      | Mitglied 1 (Anna Beispiel): Freibetrag Alleinerziehende (einmal, 1 Kind(er)) | 1.320,00 €  |
      | Mitglied 2 (Lukas Beispiel): Freibetrag eigenes Einkommen des Kindes   | 1.200,00 €  |
      | Summe der Frei- und Abzugsbeträge                                      | 2.520,00 €  |
      | Gesamteinkommen (jährlich)                                             | 15.915,00 € |
      | Monatliches Gesamteinkommen Y                                          | 1.326,25 €  |

  # Ein Ehepaar von Rentnern, die Ehefrau schwerbehindert (GdB 80) und zu Hause gepflegt:
  #   Klaus: 12 × 1.300 − 102 = 15.498 × 0,9 = 13.948,20; Ingrid: 12 × 700 − 102 = 8.298 × 0,9 = 7.468,20;
  #   Freibetrag § 17 Nr. 1: 1.800 (GdB unter 100, aber häusliche Pflege); (21.416,40 − 1.800) ÷ 12 → Y = 1.634,70.
  #   M (2 Personen): Miete 520 ≤ 551 + 24,80 → 520 + 18,60 + 124 = 662,60.
  #   z1 = 0,03 + 0,0003571 · 662,60 + 0,0000304 · 1.634,70 = 0,3163093400; z2 = 517,0708780980;
  #   1,15 · (662,60 − 517,0708780980) = 167,36 → 167 €.
  Szenario: Ein schwerbehindertes, pflegebedürftiges Mitglied: Freibetrag nach § 17 Nr. 1 und Nachweise
    Angenommen ein Online-Wohngeldantrag in Halle (Saale) mit einer Bruttokaltmiete von 520 € und den Haushaltsmitgliedern:
      | name          | beziehung     | geburtsdatum | rente_m | zahlt_kv_pv | gdb | pflegebeduerftig |
      | Klaus Schmidt | antragsteller | 12.01.1956   | 1.300   | ja          | 0   | nein             |
      | Ingrid Schmidt | ehegatte     | 30.06.1958   | 700     | ja          | 80  | ja               |
    Dann enthält das Falldatum "erforderliche_nachweise" den Eintrag "Ingrid Schmidt: Schwerbehindertenausweis bzw. Feststellungsbescheid über den Grad der Behinderung"
    Und das Falldatum "erforderliche_nachweise" enthält den Eintrag "Ingrid Schmidt: Nachweis der Pflegebedürftigkeit (Bescheid der Pflegekasse)"
    Und das Falldatum "erforderliche_nachweise" enthält den Eintrag "Klaus Schmidt: Rentenbescheid bzw. aktuelle Rentenanpassungsmitteilung"
    Wenn die Prüfungen der ZSA ohne Befund erledigt sind
    Dann ist das Falldatum "wohngeld_m" gleich 167
    Und der Rechenweg zeigt:
      | Schritt                                                  | Wert        |
      | Mitglied 2 (Ingrid Schmidt): Freibetrag Schwerbehinderung | 1.800,00 €  |
      | Monatliches Gesamteinkommen Y                            | 1.634,70 €  |
      | Zu berücksichtigende Miete M                             | 662,60 €    |
