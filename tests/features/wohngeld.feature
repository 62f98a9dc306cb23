Feature: Wohngeld – Soll-Prozess der ZSA (processes/wohngeld/to-be/wohngeld.bpmn)
  The ZSA, as Verwaltungshelfer of the municipality, takes the application, checks completeness
  (requesting missing documents with a deadline, § 60 SGB I), checks plausibility and priority
  (no Wohngeld alongside SGB II/XII), calculates the amount and drafts the decision. The municipal
  Wohngeldstelle decides, the Kasse pays, and two months before the approval period ends the
  applicant is reminded to apply for continuation. The engine clock starts on 2026-03-02.

  Background:
    Given the Wohngeld processes are deployed

  Scenario: A complete online application is granted with the calculated amount, paid and reminded
    Given an online Wohngeld application for household "beispiel_3" in Halle (Saale)
    Then the open task is "Vollständigkeit prüfen" for group "zsa-wohngeld"
    And the case data "erforderliche_nachweise" contains "Verdienstbescheinigungen der letzten 12 Monate"
    And the case data "erforderliche_nachweise" contains "Meldebescheinigung bzw. Angaben zu allen Haushaltsmitgliedern"
    When "zsa-wohngeld" completes "Vollständigkeit prüfen" with:
      """
      {"unterlagen_vollstaendig": true, "pruefvermerk": "Alle Nachweise liegen vor."}
      """
    Then the open task is "Plausibilität und Vorrang prüfen (SGB II/XII)" for group "zsa-wohngeld"
    When "zsa-wohngeld" completes "Plausibilität und Vorrang prüfen (SGB II/XII)" with:
      """
      {"transferleistung_bezug": false, "rueckfrage_noetig": false}
      """
    Then the case data "wohngeld_m" is 253
    And the case data "wohngeld_anspruch" is true
    And the case data "vorschlag" is "bewilligung"
    And the open task is "Bescheidentwurf erstellen" for group "zsa-wohngeld"
    When "zsa-wohngeld" completes "Bescheidentwurf erstellen" with:
      """
      {"vorschlag": "bewilligung", "bewilligung_monate": 12, "begruendung": "Anspruch nach § 19 WoGG: 253 € monatlich."}
      """
    Then the open task is "Über den Antrag entscheiden" for group "wohngeldstelle"
    When "wohngeldstelle" completes "Über den Antrag entscheiden" with:
      """
      {"entscheidung": "bewilligung", "bewilligung_monate": 12}
      """
    Then the case data "bewilligung_von" is "2026-03-01"
    And the case data "bewilligung_bis" is "2027-02-28"
    And the case data "erinnerung_am" is "2027-01-01"
    And the message "bescheid_wohngeld" was sent
    And the open task is "Laufende Zahlung anweisen (§ 26 WoGG)" for group "kasse"
    When "kasse" completes "Laufende Zahlung anweisen (§ 26 WoGG)" with:
      """
      {"kassenzeichen": "WOGG-2026-000001", "iban": "DE02120300000000202051", "erste_zahlung_am": "2026-03-02"}
      """
    Then the case is running with no open task
    And the case waits for a timer due on 2027-01-01
    When the clock is moved to 2026-12-31
    Then the message "erinnerung_weiterleistung" was not sent
    When the clock is moved to 2027-01-01
    Then the message "erinnerung_weiterleistung" was sent
    And the case is completed at "Wohngeld bewilligt, Erinnerung versandt"

  Scenario: Missing documents are requested and delivered within the deadline
    Given an online Wohngeld application for household "beispiel_3" in Magdeburg
    When "zsa-wohngeld" completes "Vollständigkeit prüfen" with:
      """
      {"unterlagen_vollstaendig": false, "fehlende_nachweise": ["Mietbescheinigung des Vermieters"], "nachforderung_hinweis": "Bitte die Mietbescheinigung nachreichen."}
      """
    Then the message "nachforderung_unterlagen" was sent
    And the case is running with no open task
    And the case waits for a timer due on 2026-03-16
    When 6 days pass
    And the message "unterlagen_eingegangen" arrives
    Then the open task is "Vollständigkeit prüfen" for group "zsa-wohngeld"
    When "zsa-wohngeld" completes "Vollständigkeit prüfen" with:
      """
      {"unterlagen_vollstaendig": true}
      """
    And 20 days pass
    Then the open task is "Plausibilität und Vorrang prüfen (SGB II/XII)" for group "zsa-wohngeld"
    And the case did not pass "Versagung vorschlagen (§ 66 SGB I)"

  Scenario: The deadline passes without the documents: refusal proposal per § 66 SGB I, refused by the municipality
    Given an online Wohngeld application for household "beispiel_3" in Halle (Saale)
    When "zsa-wohngeld" completes "Vollständigkeit prüfen" with:
      """
      {"unterlagen_vollstaendig": false, "fehlende_nachweise": ["Verdienstbescheinigungen der letzten 12 Monate"]}
      """
    And 13 days pass
    Then the case is running with no open task
    When 1 days pass
    Then the case passed "Versagung vorschlagen (§ 66 SGB I)"
    And the case data "vorschlag" is "versagung"
    And the open task is "Bescheidentwurf erstellen" for group "zsa-wohngeld"
    When the message "unterlagen_eingegangen" arrives too late
    And "zsa-wohngeld" completes "Bescheidentwurf erstellen" with:
      """
      {"vorschlag": "versagung", "bewilligung_monate": 12, "begruendung": "Verdienstbescheinigungen trotz Aufforderung mit Fristsetzung und Hinweis auf die Folgen nicht vorgelegt (§§ 60, 66 SGB I)."}
      """
    And "wohngeldstelle" completes "Über den Antrag entscheiden" with:
      """
      {"entscheidung": "versagung", "bewilligung_monate": 12, "entscheidung_vermerk": "Versagung bis zur Nachholung der Mitwirkung."}
      """
    Then the message "bescheid_wohngeld" was sent
    And the case is completed at "Antrag abgelehnt oder versagt"
    And the case did not pass "Wohngeld berechnen"

  Scenario: Receipt of Bürgergeld (SGB II) excludes Wohngeld and the application is refused
    Given an online Wohngeld application for household "buergergeld" in Magdeburg
    When "zsa-wohngeld" completes "Vollständigkeit prüfen" with:
      """
      {"unterlagen_vollstaendig": true}
      """
    And "zsa-wohngeld" completes "Plausibilität und Vorrang prüfen (SGB II/XII)" with:
      """
      {"transferleistung_bezug": true, "rueckfrage_noetig": false, "plausibilitaet_vermerk": "Jobcenter bestätigt laufenden Bezug von Bürgergeld."}
      """
    Then the case passed "Ablehnung vorschlagen (Transferleistung)"
    And the case did not pass "Wohngeld berechnen"
    And the case data "vorschlag" is "ablehnung"
    When "zsa-wohngeld" completes "Bescheidentwurf erstellen" with:
      """
      {"vorschlag": "ablehnung", "bewilligung_monate": 12, "begruendung": "Ausschluss nach § 7 Abs. 1 WoGG wegen Bezugs von Bürgergeld."}
      """
    And "wohngeldstelle" completes "Über den Antrag entscheiden" with:
      """
      {"entscheidung": "ablehnung", "bewilligung_monate": 12}
      """
    Then the message "bescheid_wohngeld" was sent
    And the case is completed at "Antrag abgelehnt oder versagt"

  Scenario: Implausible data lead to a query to the applicant before the calculation
    Given an online Wohngeld application for household "beispiel_3" in Halle (Saale)
    When "zsa-wohngeld" completes "Vollständigkeit prüfen" with:
      """
      {"unterlagen_vollstaendig": true}
      """
    And "zsa-wohngeld" completes "Plausibilität und Vorrang prüfen (SGB II/XII)" with:
      """
      {"transferleistung_bezug": false, "rueckfrage_noetig": true, "nachforderung_hinweis": "Wovon bestreiten Sie die Miete über die Angaben hinaus?"}
      """
    Then the message "nachforderung_unterlagen" was sent
    And the case data has no "wohngeld_m"
    When 3 days pass
    And the message "unterlagen_eingegangen" arrives
    And "zsa-wohngeld" completes "Vollständigkeit prüfen" with:
      """
      {"unterlagen_vollstaendig": true}
      """
    And "zsa-wohngeld" completes "Plausibilität und Vorrang prüfen (SGB II/XII)" with:
      """
      {"transferleistung_bezug": false, "rueckfrage_noetig": false}
      """
    Then the case data "wohngeld_m" is 253
    And the open task is "Bescheidentwurf erstellen" for group "zsa-wohngeld"

  Scenario: A paper application without entitlement is refused after the calculation
    Given a paper Wohngeld application for household "hohes_einkommen" in Magdeburg
    Then the open task is "Vollständigkeit prüfen" for group "zsa-wohngeld"
    When "zsa-wohngeld" completes "Vollständigkeit prüfen" with:
      """
      {"unterlagen_vollstaendig": true}
      """
    And "zsa-wohngeld" completes "Plausibilität und Vorrang prüfen (SGB II/XII)" with:
      """
      {"transferleistung_bezug": false, "rueckfrage_noetig": false}
      """
    Then the case data "wohngeld_m" is 0
    And the case data "wohngeld_anspruch" is false
    And the case data "vorschlag" is "ablehnung"
    When "zsa-wohngeld" completes "Bescheidentwurf erstellen" with:
      """
      {"vorschlag": "ablehnung", "bewilligung_monate": 12, "begruendung": "Einkommen im Verhältnis zur Miete zu hoch (§ 19 WoGG)."}
      """
    And "wohngeldstelle" completes "Über den Antrag entscheiden" with:
      """
      {"entscheidung": "ablehnung", "bewilligung_monate": 12}
      """
    Then the case is completed at "Antrag abgelehnt oder versagt"
    And the message "erinnerung_weiterleistung" was not sent

  Scenario: The paper start form rejects an invalid IBAN with a field message
    When a paper Wohngeld application for household "beispiel_3" in Magdeburg is filed with:
      """
      {"iban": "DE0212030000"}
      """
    Then the application is rejected with a message for field "iban"
