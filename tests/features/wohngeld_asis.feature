# language: de
Funktionalität: Wohngeld – Ist-Prozesse einzelner Kommunen (processes/wohngeld/as-is/)
  Auch die Ist-Varianten sind ausführbar, damit sie simuliert und mit dem ZSA-Prozess verglichen
  werden können: Papiereingang, Abtippen, Übergaben, Postwege und wöchentliche Stapel.
  Die Uhr der Engine beginnt am 02.03.2026.
  Falldaten stehen in Tabellen | Feld | Wert | (Schlüssel der Formularfelder); Werte nach Feldtyp:
  ja/nein, Zahlen deutsch (5.000.000, 11,25), Datum TT.MM.JJJJ, Listen mit ";" getrennt.

  Grundlage:
    Angenommen die Prozesse des Wohngelds sind bereitgestellt

  Szenario: Halle (Saale) – Papierantrag mit Korrekturschleife bei der Gegenzeichnung der Teamleitung, bewilligt
    Angenommen ein Papierantrag für "wohngeld_asis_halle", eingegangen im Posteingang in Halle (Saale)
    Dann ist die offene Aufgabe "Eingangsstempel setzen, Papierakte anlegen" für die Gruppe "buergerbuero"
    Wenn "buergerbuero" die Papierarbeit "Eingangsstempel setzen, Papierakte anlegen" erledigt
    Dann läuft der Vorgang ohne offene Aufgabe
    Wenn 1 Tag vergeht
    Dann ist die offene Aufgabe "Antrag ins Fachverfahren abtippen" für die Gruppe "wohngeldstelle"
    Wenn "wohngeldstelle" die Aufgabe "Antrag ins Fachverfahren abtippen" mit dem Antrag des Haushalts "beispiel_3" erledigt
    Und "wohngeldstelle" die Aufgabe "Vollständigkeit prüfen (Papier-Checkliste)" erledigt mit:
      | Feld                    | Wert |
      | unterlagen_vollstaendig | ja   |
    Und "wohngeldstelle" die Papierarbeit "Leistungsbezug beim Jobcenter schriftlich erfragen" erledigt
    Dann läuft der Vorgang ohne offene Aufgabe
    Wenn 7 Tage vergehen
    Und die Nachricht "auskunft_leistungsbezug" eingeht
    Und "wohngeldstelle" die Aufgabe "Plausibilität und Vorrang prüfen" erledigt mit:
      | Feld                   | Wert |
      | transferleistung_bezug | nein |
      | rueckfrage_noetig      | nein |
    Dann ist das Falldatum "wohngeld_m" gleich 253
    Wenn "wohngeldstelle" die Aufgabe "Bescheid erstellen" erledigt mit:
      | Feld               | Wert        |
      | entscheidung       | bewilligung |
      | bewilligung_monate | 12          |
    Und "wohngeldstelle" die Aufgabe "Bescheid gegenzeichnen (Vier-Augen-Prinzip)" erledigt mit:
      | Feld              | Wert                            |
      | freigabe_erteilt  | nein                            |
      | korrektur_hinweis | Bewilligungszeitraum begründen. |
    Dann ist die offene Aufgabe "Bescheid erstellen" für die Gruppe "wohngeldstelle"
    Wenn "wohngeldstelle" die Aufgabe "Bescheid erstellen" erledigt mit:
      | Feld                 | Wert                                    |
      | entscheidung         | bewilligung                             |
      | bewilligung_monate   | 12                                      |
      | entscheidung_vermerk | Regelfall 12 Monate (§ 25 Abs. 1 WoGG). |
    Und "wohngeldstelle" die Aufgabe "Bescheid gegenzeichnen (Vier-Augen-Prinzip)" erledigt mit:
      | Feld             | Wert |
      | freigabe_erteilt | ja   |
    Und "wohngeldstelle" die Papierarbeit "Bescheid drucken und per Post versenden" erledigt
    Und "wohngeldstelle" die Papierarbeit "Auszahlungsanordnung ausdrucken, an Stadtkasse senden" erledigt
    Dann ist die offene Aufgabe "Zahlung im Kassenverfahren erfassen" für die Gruppe "kasse"
    Wenn "kasse" die Aufgabe "Zahlung im Kassenverfahren erfassen" erledigt mit:
      | Feld             | Wert                   |
      | kassenzeichen    | 1234.5678.9012         |
      | iban             | DE02120300000000202051 |
      | erste_zahlung_am | 20.03.2026             |
    Dann ist der Vorgang mit "Wohngeld bewilligt" abgeschlossen

  Szenario: Halle (Saale) – per Post nachgeforderte Unterlagen kommen nicht binnen vier Wochen zurück, Versagung
    Angenommen ein Papierantrag für "wohngeld_asis_halle", eingegangen im Posteingang in Halle (Saale)
    Wenn "buergerbuero" die Papierarbeit "Eingangsstempel setzen, Papierakte anlegen" erledigt
    Und 1 Tag vergeht
    Und "wohngeldstelle" die Aufgabe "Antrag ins Fachverfahren abtippen" mit dem Antrag des Haushalts "beispiel_3" erledigt
    Und "wohngeldstelle" die Aufgabe "Vollständigkeit prüfen (Papier-Checkliste)" erledigt mit:
      | Feld                    | Wert                     |
      | unterlagen_vollstaendig | nein                     |
      | fehlende_unterlagen     | Verdienstbescheinigungen |
    Und "wohngeldstelle" die Papierarbeit "Nachforderung drucken und per Post versenden" erledigt
    Und 28 Tage vergehen
    Dann ist die offene Aufgabe "Bescheid erstellen" für die Gruppe "wohngeldstelle"
    Wenn "wohngeldstelle" die Aufgabe "Bescheid erstellen" erledigt mit:
      | Feld               | Wert      |
      | entscheidung       | versagung |
      | bewilligung_monate | 12        |
    Und "wohngeldstelle" die Aufgabe "Bescheid gegenzeichnen (Vier-Augen-Prinzip)" erledigt mit:
      | Feld             | Wert |
      | freigabe_erteilt | ja   |
    Und "wohngeldstelle" die Papierarbeit "Bescheid drucken und per Post versenden" erledigt
    Dann ist der Vorgang mit "Antrag abgelehnt oder versagt" abgeschlossen

  Szenario: Haldensleben – Teilzeitkraft mit wöchentlichem Bearbeitungstag und wöchentlicher Unterschriftenmappe, bewilligt
    Angenommen ein Papierantrag für "wohngeld_asis_haldensleben", eingegangen im Posteingang in Haldensleben
    Wenn "buergerbuero" die Papierarbeit "Antrag kopieren und ins Wohngeldfach legen" erledigt
    Dann läuft der Vorgang ohne offene Aufgabe
    Wenn 4 Tage vergehen
    Dann ist die offene Aufgabe "Antrag ins Fachverfahren eingeben" für die Gruppe "wohngeldstelle"
    Wenn "wohngeldstelle" die Aufgabe "Antrag ins Fachverfahren eingeben" mit dem Antrag des Haushalts "beispiel_3" erledigt
    Und "wohngeldstelle" die Aufgabe "Vollständigkeit prüfen" erledigt mit:
      | Feld                    | Wert              |
      | unterlagen_vollstaendig | nein              |
      | fehlende_unterlagen     | Mietbescheinigung |
    Und "wohngeldstelle" die Papierarbeit "Nachforderung schreiben und per Post versenden" erledigt
    Und 10 Tage vergehen
    Und die Nachricht "unterlagen_eingegangen" eingeht
    Und "buergerbuero" die Papierarbeit "Nachgereichte Unterlagen annehmen und ins Fach legen" erledigt
    Dann läuft der Vorgang ohne offene Aufgabe
    Wenn 4 Tage vergehen
    Und "wohngeldstelle" die Aufgabe "Vollständigkeit prüfen" erledigt mit:
      | Feld                    | Wert |
      | unterlagen_vollstaendig | ja   |
    Und "wohngeldstelle" die Papierarbeit "Leistungsbezug telefonisch beim Jobcenter erfragen" erledigt
    Und "wohngeldstelle" die Aufgabe "Plausibilität und Vorrang prüfen" erledigt mit:
      | Feld                   | Wert |
      | transferleistung_bezug | nein |
      | rueckfrage_noetig      | nein |
    Dann ist das Falldatum "wohngeld_m" gleich 253
    Wenn "wohngeldstelle" die Aufgabe "Bescheid erstellen" erledigt mit:
      | Feld               | Wert        |
      | entscheidung       | bewilligung |
      | bewilligung_monate | 12          |
    Dann läuft der Vorgang ohne offene Aufgabe
    Wenn 3 Tage vergehen
    Dann ist die offene Aufgabe "Bescheid zeichnen (Unterschriftenmappe)" für die Gruppe "wohngeldstelle"
    Wenn "wohngeldstelle" die Aufgabe "Bescheid zeichnen (Unterschriftenmappe)" erledigt mit:
      | Feld             | Wert |
      | freigabe_erteilt | ja   |
    Und "wohngeldstelle" die Papierarbeit "Bescheid kuvertieren und zur Post geben" erledigt
    Und "wohngeldstelle" die Papierarbeit "Auszahlungsanordnung auf Papier an die Stadtkasse" erledigt
    Und "kasse" die Aufgabe "Zahlung im Kassenverfahren erfassen" erledigt mit:
      | Feld             | Wert                   |
      | kassenzeichen    | HDL-2026-0042          |
      | iban             | DE02120300000000202051 |
      | erste_zahlung_am | 01.04.2026             |
    Dann ist der Vorgang mit "Wohngeld bewilligt" abgeschlossen

  Szenario: Haldensleben – Bürgergeldbezug telefonisch festgestellt, abgelehnt
    Angenommen ein Papierantrag für "wohngeld_asis_haldensleben", eingegangen im Posteingang in Haldensleben
    Wenn "buergerbuero" die Papierarbeit "Antrag kopieren und ins Wohngeldfach legen" erledigt
    Und 4 Tage vergehen
    Und "wohngeldstelle" die Aufgabe "Antrag ins Fachverfahren eingeben" mit dem Antrag des Haushalts "buergergeld" erledigt
    Und "wohngeldstelle" die Aufgabe "Vollständigkeit prüfen" erledigt mit:
      | Feld                    | Wert |
      | unterlagen_vollstaendig | ja   |
    Und "wohngeldstelle" die Papierarbeit "Leistungsbezug telefonisch beim Jobcenter erfragen" erledigt
    Und "wohngeldstelle" die Aufgabe "Plausibilität und Vorrang prüfen" erledigt mit:
      | Feld                   | Wert |
      | transferleistung_bezug | ja   |
      | rueckfrage_noetig      | nein |
    Dann hat der Vorgang "Wohngeld im Fachverfahren berechnen" nicht durchlaufen
    Wenn "wohngeldstelle" die Aufgabe "Bescheid erstellen" erledigt mit:
      | Feld               | Wert      |
      | entscheidung       | ablehnung |
      | bewilligung_monate | 12        |
    Und 3 Tage vergehen
    Und "wohngeldstelle" die Aufgabe "Bescheid zeichnen (Unterschriftenmappe)" erledigt mit:
      | Feld             | Wert |
      | freigabe_erteilt | ja   |
    Und "wohngeldstelle" die Papierarbeit "Bescheid kuvertieren und zur Post geben" erledigt
    Dann ist der Vorgang mit "Antrag abgelehnt oder versagt" abgeschlossen
