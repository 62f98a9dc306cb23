Feature: Hundeabmeldung mit anteiliger Hundesteuer – Soll-Prozess der ZSA (processes/hundehaltung/to-be/hundeabmeldung.bpmn)
  A keeper deregisters a dog after a move, a hand-over or its death. The ZSA checks the
  deregistration, takes the annual tax and the payments of the year from the municipality's tax
  account, and calculates the tax owed until the end of the month of deregistration (the
  municipality's Satzung rule); the Steueramt issues the assessment, the Kasse refunds an
  overpayment, and the dog is removed from the Zentrales Hunderegister. The engine clock starts on
  2026-03-02.

  Background:
    Given the Hundehaltung processes are deployed

  Scenario: Death of the dog in Magdeburg: the tax ends with February, the overpaid quarter is refunded
    Given an online deregistration in Magdeburg with:
      """
      {"abmeldegrund": "tod", "abmeldedatum": "2026-02-20"}
      """
    Then the case number starts with "HUAB-2026-"
    And the case data "vollstaendig" is true
    And the open task is "Steuerkonto abgleichen" for group "zsa-hundehaltung"
    When "zsa-hundehaltung" completes "Steuerkonto abgleichen" with:
      """
      {"steuer_jahresbetrag": 96, "bereits_gezahlt": 24, "kassenzeichen": "HUND-4711"}
      """
    Then the case data "steuerpflichtige_monate" is 2
    And the case data "steuer_bis_abmeldung" is "16.00"
    And the case data "erstattung" is "8.00"
    And the case data "nachzahlung" is "0.00"
    And the open task is "Bescheid über Abmeldung entwerfen" for group "zsa-hundehaltung"
    When "zsa-hundehaltung" completes "Bescheid über Abmeldung entwerfen" with:
      """
      {"entwurf_geprueft": true}
      """
    Then the open task is "Bescheid über Abmeldung erlassen" for group "steueramt"
    When "steueramt" completes "Bescheid über Abmeldung erlassen" with:
      """
      {"bescheid_gezeichnet_von": "Frau Schulze"}
      """
    Then the open task is "Erstattung auszahlen" for group "kasse"
    When "kasse" completes "Erstattung auszahlen" with:
      """
      {"erstattung_angewiesen": true, "kassenzeichen": "HUND-4711"}
      """
    Then the message "hunderegister_abmeldung" was sent
    And the message "bescheid_hundeabmeldung" was sent
    And the case is completed at "Hund abgemeldet"

  Scenario: A move out of Halle (Saale) with nothing paid yet: back payment, no refund
    Given an online deregistration in Halle (Saale) with:
      """
      {"abmeldegrund": "umzug", "abmeldedatum": "2026-02-27", "neue_anschrift": "Hauptstraße 5, 04109 Leipzig"}
      """
    When "zsa-hundehaltung" completes "Steuerkonto abgleichen" with:
      """
      {"steuer_jahresbetrag": 100, "bereits_gezahlt": 0}
      """
    Then the case data "steuer_bis_abmeldung" is "16.67"
    And the case data "erstattung" is "0.00"
    And the case data "nachzahlung" is "16.67"
    When "zsa-hundehaltung" completes "Bescheid über Abmeldung entwerfen" with:
      """
      {"entwurf_geprueft": true, "bescheid_hinweise": "Bitte 16,67 EUR bis zum 15.05.2026 überweisen."}
      """
    And "steueramt" completes "Bescheid über Abmeldung erlassen" with:
      """
      {"bescheid_gezeichnet_von": "Herr Krause"}
      """
    Then the case did not pass "Erstattung auszahlen"
    And the message "hunderegister_abmeldung" was sent
    And the case is completed at "Hund abgemeldet"

  Scenario: A hand-over without the new keeper's details is clarified by the ZSA first
    Given an online deregistration in Haldensleben with:
      """
      {"abmeldegrund": "abgabe", "abmeldedatum": "2026-01-31", "neuer_halter_name": "", "neuer_halter_anschrift": ""}
      """
    Then the case data "vollstaendig" is false
    And the case data "fehlende_angaben" contains "neuen Halter"
    And the open task is "Fehlende Angaben mit Halter/in klären" for group "zsa-hundehaltung"
    When "zsa-hundehaltung" completes "Fehlende Angaben mit Halter/in klären" with:
      """
      {"transponder_nr": "276098106543210", "neuer_halter_name": "Max Beispiel",
       "neuer_halter_anschrift": "Lindenstraße 3, 39340 Haldensleben", "klaerung_vermerk": "telefonisch geklärt"}
      """
    Then the case data "vollstaendig" is true
    When "zsa-hundehaltung" completes "Steuerkonto abgleichen" with:
      """
      {"steuer_jahresbetrag": 54, "bereits_gezahlt": 0}
      """
    Then the case data "steuerpflichtige_monate" is 1
    And the case data "steuer_bis_abmeldung" is "4.50"
    And the open task is "Bescheid über Abmeldung entwerfen" for group "zsa-hundehaltung"

  Scenario: A paper deregistration keyed in by the ZSA must name the new keeper of a handed-over dog
    When a paper deregistration in Magdeburg is keyed in with:
      """
      {"abmeldegrund": "abgabe"}
      """
    Then it is rejected with a message for field "neuer_halter_name"
    And it is rejected with a message for field "neuer_halter_anschrift"

  Scenario: A paper deregistration after the dog's death
    Given a paper deregistration in Kuhfelde keyed in with:
      """
      {"abmeldegrund": "tod", "abmeldedatum": "2026-02-10", "iban": ""}
      """
    Then the open task is "Steuerkonto abgleichen" for group "zsa-hundehaltung"
    When "zsa-hundehaltung" completes "Steuerkonto abgleichen" with:
      """
      {"steuer_jahresbetrag": 15, "bereits_gezahlt": 0}
      """
    Then the case data "steuer_bis_abmeldung" is "2.50"
