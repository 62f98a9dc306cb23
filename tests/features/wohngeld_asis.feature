Feature: Wohngeld – Ist-Prozesse einzelner Kommunen (processes/wohngeld/as-is/)
  The as-is variants are executable too, so that they can be simulated and compared with the
  ZSA process: paper intake, re-keying, handovers, postal round trips and weekly batching.
  The engine clock starts on 2026-03-02.

  Background:
    Given the Wohngeld processes are deployed

  Scenario: Halle (Saale) – paper application with a correction loop at the team lead's sign-off, granted
    Given a paper application received at the Posteingang of "wohngeld_asis_halle" in Halle (Saale)
    Then the open task is "Eingangsstempel setzen, Papierakte anlegen" for group "buergerbuero"
    When "buergerbuero" does the paper work "Eingangsstempel setzen, Papierakte anlegen"
    Then the case is running with no open task
    When 1 days pass
    Then the open task is "Antrag ins Fachverfahren abtippen" for group "wohngeldstelle"
    When "wohngeldstelle" completes "Antrag ins Fachverfahren abtippen" with the application of household "beispiel_3"
    And "wohngeldstelle" completes "Vollständigkeit prüfen (Papier-Checkliste)" with:
      """
      {"unterlagen_vollstaendig": true}
      """
    And "wohngeldstelle" does the paper work "Leistungsbezug beim Jobcenter schriftlich erfragen"
    Then the case is running with no open task
    When 7 days pass
    And the message "auskunft_leistungsbezug" arrives
    And "wohngeldstelle" completes "Plausibilität und Vorrang prüfen" with:
      """
      {"transferleistung_bezug": false, "rueckfrage_noetig": false}
      """
    Then the case data "wohngeld_m" is 253
    When "wohngeldstelle" completes "Bescheid erstellen" with:
      """
      {"entscheidung": "bewilligung", "bewilligung_monate": 12}
      """
    And "wohngeldstelle" completes "Bescheid gegenzeichnen (Vier-Augen-Prinzip)" with:
      """
      {"freigabe_erteilt": false, "korrektur_hinweis": "Bewilligungszeitraum begründen."}
      """
    Then the open task is "Bescheid erstellen" for group "wohngeldstelle"
    When "wohngeldstelle" completes "Bescheid erstellen" with:
      """
      {"entscheidung": "bewilligung", "bewilligung_monate": 12, "entscheidung_vermerk": "Regelfall 12 Monate (§ 25 Abs. 1 WoGG)."}
      """
    And "wohngeldstelle" completes "Bescheid gegenzeichnen (Vier-Augen-Prinzip)" with:
      """
      {"freigabe_erteilt": true}
      """
    And "wohngeldstelle" does the paper work "Bescheid drucken und per Post versenden"
    And "wohngeldstelle" does the paper work "Auszahlungsanordnung ausdrucken, an Stadtkasse senden"
    Then the open task is "Zahlung im Kassenverfahren erfassen" for group "kasse"
    When "kasse" completes "Zahlung im Kassenverfahren erfassen" with:
      """
      {"kassenzeichen": "1234.5678.9012", "iban": "DE02120300000000202051", "erste_zahlung_am": "2026-03-20"}
      """
    Then the case is completed at "Wohngeld bewilligt"

  Scenario: Halle (Saale) – documents requested by post are not returned within four weeks, refusal
    Given a paper application received at the Posteingang of "wohngeld_asis_halle" in Halle (Saale)
    When "buergerbuero" does the paper work "Eingangsstempel setzen, Papierakte anlegen"
    And 1 days pass
    And "wohngeldstelle" completes "Antrag ins Fachverfahren abtippen" with the application of household "beispiel_3"
    And "wohngeldstelle" completes "Vollständigkeit prüfen (Papier-Checkliste)" with:
      """
      {"unterlagen_vollstaendig": false, "fehlende_unterlagen": "Verdienstbescheinigungen"}
      """
    And "wohngeldstelle" does the paper work "Nachforderung drucken und per Post versenden"
    And 28 days pass
    Then the open task is "Bescheid erstellen" for group "wohngeldstelle"
    When "wohngeldstelle" completes "Bescheid erstellen" with:
      """
      {"entscheidung": "versagung", "bewilligung_monate": 12}
      """
    And "wohngeldstelle" completes "Bescheid gegenzeichnen (Vier-Augen-Prinzip)" with:
      """
      {"freigabe_erteilt": true}
      """
    And "wohngeldstelle" does the paper work "Bescheid drucken und per Post versenden"
    Then the case is completed at "Antrag abgelehnt oder versagt"

  Scenario: Haldensleben – part-time clerk with a weekly processing day and a weekly signature folder, granted
    Given a paper application received at the Posteingang of "wohngeld_asis_haldensleben" in Haldensleben
    When "buergerbuero" does the paper work "Antrag kopieren und ins Wohngeldfach legen"
    Then the case is running with no open task
    When 4 days pass
    Then the open task is "Antrag ins Fachverfahren eingeben" for group "wohngeldstelle"
    When "wohngeldstelle" completes "Antrag ins Fachverfahren eingeben" with the application of household "beispiel_3"
    And "wohngeldstelle" completes "Vollständigkeit prüfen" with:
      """
      {"unterlagen_vollstaendig": false, "fehlende_unterlagen": "Mietbescheinigung"}
      """
    And "wohngeldstelle" does the paper work "Nachforderung schreiben und per Post versenden"
    And 10 days pass
    And the message "unterlagen_eingegangen" arrives
    And "buergerbuero" does the paper work "Nachgereichte Unterlagen annehmen und ins Fach legen"
    Then the case is running with no open task
    When 4 days pass
    And "wohngeldstelle" completes "Vollständigkeit prüfen" with:
      """
      {"unterlagen_vollstaendig": true}
      """
    And "wohngeldstelle" does the paper work "Leistungsbezug telefonisch beim Jobcenter erfragen"
    And "wohngeldstelle" completes "Plausibilität und Vorrang prüfen" with:
      """
      {"transferleistung_bezug": false, "rueckfrage_noetig": false}
      """
    Then the case data "wohngeld_m" is 253
    When "wohngeldstelle" completes "Bescheid erstellen" with:
      """
      {"entscheidung": "bewilligung", "bewilligung_monate": 12}
      """
    Then the case is running with no open task
    When 3 days pass
    Then the open task is "Bescheid zeichnen (Unterschriftenmappe)" for group "wohngeldstelle"
    When "wohngeldstelle" completes "Bescheid zeichnen (Unterschriftenmappe)" with:
      """
      {"freigabe_erteilt": true}
      """
    And "wohngeldstelle" does the paper work "Bescheid kuvertieren und zur Post geben"
    And "wohngeldstelle" does the paper work "Auszahlungsanordnung auf Papier an die Stadtkasse"
    And "kasse" completes "Zahlung im Kassenverfahren erfassen" with:
      """
      {"kassenzeichen": "HDL-2026-0042", "iban": "DE02120300000000202051", "erste_zahlung_am": "2026-04-01"}
      """
    Then the case is completed at "Wohngeld bewilligt"

  Scenario: Haldensleben – Bürgergeld receipt found by telephone, refused
    Given a paper application received at the Posteingang of "wohngeld_asis_haldensleben" in Haldensleben
    When "buergerbuero" does the paper work "Antrag kopieren und ins Wohngeldfach legen"
    And 4 days pass
    And "wohngeldstelle" completes "Antrag ins Fachverfahren eingeben" with the application of household "buergergeld"
    And "wohngeldstelle" completes "Vollständigkeit prüfen" with:
      """
      {"unterlagen_vollstaendig": true}
      """
    And "wohngeldstelle" does the paper work "Leistungsbezug telefonisch beim Jobcenter erfragen"
    And "wohngeldstelle" completes "Plausibilität und Vorrang prüfen" with:
      """
      {"transferleistung_bezug": true, "rueckfrage_noetig": false}
      """
    Then the case did not pass "Wohngeld im Fachverfahren berechnen"
    When "wohngeldstelle" completes "Bescheid erstellen" with:
      """
      {"entscheidung": "ablehnung", "bewilligung_monate": 12}
      """
    And 3 days pass
    And "wohngeldstelle" completes "Bescheid zeichnen (Unterschriftenmappe)" with:
      """
      {"freigabe_erteilt": true}
      """
    And "wohngeldstelle" does the paper work "Bescheid kuvertieren und zur Post geben"
    Then the case is completed at "Antrag abgelehnt oder versagt"
