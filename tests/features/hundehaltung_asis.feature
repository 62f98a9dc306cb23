Feature: Hundeanmeldung – Ist-Varianten einzelner Gemeinden (processes/hundehaltung/as-is/)
  The as-is models are executable so that they can be simulated and compared with the ZSA process.
  Each variant runs end to end through the real engine: paper work is done as manual tasks,
  decisions and hand-typed tax amounts as user tasks, batching and working days as timers.
  Manual tasks cannot carry candidate groups in Camunda Modeler, so the lane name is their group.
  The engine clock starts on 2026-03-02.

  Background:
    Given the Hundehaltung processes are deployed

  Scenario: Magdeburg – Bürgerbüro, Steueramt and Ordnungsamt hand the paper file on
    Given a paper dog registration handed in for "hundehaltung_asis_magdeburg" in Magdeburg
    Then the case number starts with "HUND-2026-"
    And the open task is "Antrag annehmen und per Hauspost an Steueramt" for group "buergerbuero"
    When "buergerbuero" does the paper work "Antrag annehmen und per Hauspost an Steueramt"
    Then the open task is "Antrag sichten und prüfen" for group "steueramt"
    When "steueramt" completes "Antrag sichten und prüfen" with:
      """
      {"vollstaendig": "nein", "fehlende_unterlagen_text": "Versicherungsnachweis fehlt", "gefaehrlich": false}
      """
    Then the message "nachforderung_unterlagen" was sent
    And the case is waiting with no open task
    When 12 days pass
    And the applicant sends the missing documents:
      """
      {"versicherer": "Beispiel Versicherung AG"}
      """
    Then the open task is "Antrag sichten und prüfen" for group "steueramt"
    When "steueramt" completes "Antrag sichten und prüfen" with:
      """
      {"vollstaendig": "ja", "gefaehrlich": false}
      """
    Then the open task is "Steuer nach Satzung festsetzen" for group "steueramt"
    When "steueramt" completes "Steuer nach Satzung festsetzen" with:
      """
      {"steuer_jahresbetrag": 96, "steuer_erstes_jahr": 72}
      """
    And "steueramt" does the paper work "Im Fachverfahren Steuer erfassen"
    And "steueramt" does the paper work "Bescheid drucken, zeichnen und versenden"
    And "steueramt" does the paper work "Antragskopie per Hauspost an Ordnungsamt"
    Then the open task is "Hund im Zentralen Hunderegister erfassen" for group "ordnungsamt"
    When "ordnungsamt" does the paper work "Hund im Zentralen Hunderegister erfassen"
    Then the case is completed at "Hund angemeldet"

  Scenario: Kuhfelde – one part-time clerk, everything by post; the answer never comes
    Given a paper dog registration handed in for "hundehaltung_asis_kuhfelde" in Kuhfelde
    Then the case is waiting with no open task
    When 2 days pass
    Then the open task is "Antrag prüfen" for group "kasse"
    When "kasse" completes "Antrag prüfen" with:
      """
      {"vollstaendig": "nein", "fehlende_unterlagen_text": "Chipnummer unleserlich", "gefaehrlich": false}
      """
    Then the message "nachforderung_unterlagen" was sent
    When 41 days pass
    Then the case is waiting with no open task
    When 1 days pass
    Then the case is completed at "Vorgang abgelegt"

  Scenario: Kuhfelde – a complete registration is assessed by hand and reported on paper
    Given a paper dog registration handed in for "hundehaltung_asis_kuhfelde" in Kuhfelde
    When 2 days pass
    And "kasse" completes "Antrag prüfen" with:
      """
      {"vollstaendig": "ja", "gefaehrlich": false}
      """
    And "kasse" completes "Steuer nach Satzung berechnen" with:
      """
      {"steuer_jahresbetrag": 15, "steuer_erstes_jahr": 11.25}
      """
    And "kasse" does the paper work "Karteikarte und Excel-Liste führen"
    And "kasse" does the paper work "Bescheid schreiben, Steuermarke per Post senden"
    And "kasse" does the paper work "Meldung an Register ausdrucken und senden"
    Then the case is completed at "Hund angemeldet"

  Scenario: Haldensleben – weekly batches; a dangerous dog goes to the Ordnungsamt
    Given a paper dog registration handed in for "hundehaltung_asis_haldensleben" in Haldensleben
    When "buergerbuero" does the paper work "Eingang scannen und ablegen"
    Then the case is waiting with no open task
    When 7 days pass
    Then the open task is "Stapel: Antrag prüfen" for group "steueramt"
    When "steueramt" completes "Stapel: Antrag prüfen" with:
      """
      {"vollstaendig": "ja", "gefaehrlich": true}
      """
    Then the open task is "Erlaubnis für gefährlichen Hund prüfen" for group "ordnungsamt"
    When "ordnungsamt" completes "Erlaubnis für gefährlichen Hund prüfen" with:
      """
      {"sachkunde_nachgewiesen": true, "wesenstest_bestanden": true, "zuverlaessig": true,
       "persoenlich_geeignet": true, "erlaubnis": "erteilt"}
      """
    And "steueramt" completes "Steuer festsetzen" with:
      """
      {"steuer_jahresbetrag": 312, "steuer_erstes_jahr": 234}
      """
    And "steueramt" does the paper work "Im Fachverfahren Steuer erfassen"
    Then the case is waiting with no open task
    When 7 days pass
    And "steueramt" does the paper work "Bescheide kuvertieren und versenden"
    And "ordnungsamt" does the paper work "Sammelliste ins Register übertragen"
    Then the case is completed at "Hund angemeldet"

  Scenario: Haldensleben – the Ordnungsamt refuses the Erlaubnis
    Given a paper dog registration handed in for "hundehaltung_asis_haldensleben" in Haldensleben
    When "buergerbuero" does the paper work "Eingang scannen und ablegen"
    And 7 days pass
    And "steueramt" completes "Stapel: Antrag prüfen" with:
      """
      {"vollstaendig": "ja", "gefaehrlich": true}
      """
    And "ordnungsamt" completes "Erlaubnis für gefährlichen Hund prüfen" with:
      """
      {"erlaubnis": "versagt", "erlaubnis_begruendung": "Wesenstest nicht bestanden."}
      """
    Then the message "bescheid_erlaubnis_versagt" was sent
    And the case is completed at "Erlaubnis versagt"
