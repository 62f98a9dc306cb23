Feature: Hundeanmeldung mit Hundesteuer – Soll-Prozess der ZSA (processes/hundehaltung/to-be/hundehaltung.bpmn)
  The ZSA, as Verwaltungshelfer of the municipality, takes the registration (online portal or paper),
  checks it automatically against the HundeG LSA (chip number, liability insurance, breed list,
  keeper's age), requests missing documents with a 14-day deadline and one reminder, lets the
  municipal Ordnungsamt decide on a dangerous dog's Erlaubnis, calculates the dog tax from the
  municipality's Satzung (hundesteuer.dmn) and drafts the tax assessment, which the municipal
  Steueramt issues. The dog is then entered in the Zentrales Hunderegister and the applicant is
  notified. The engine clock starts on 2026-03-02; the dog is acquired on 2026-03-10, so the tax is
  owed from April (nine months in 2026).

  Background:
    Given the Hundehaltung processes are deployed

  Scenario Outline: A complete online registration is assessed with the municipality's tax rate
    Given an online dog registration in <kommune> with:
      """
      {"anzahl_hunde_bereits": <bereits>}
      """
    Then the case number starts with "HUND-2026-"
    And the case data "vollstaendig" is true
    And the case data "gefaehrlich" is false
    And the dog tax is <jahr> € a year and <erstes> € in 2026
    And the case data "steuer_tarif" is "<tarif>"
    And the open task is "Bescheid entwerfen" for group "zsa-hundehaltung"
    And the task "Bescheid entwerfen" is due on 2026-03-04
    When "zsa-hundehaltung" completes "Bescheid entwerfen" with:
      """
      {"bescheid_hinweise": "", "entwurf_geprueft": true}
      """
    Then the open task is "Steuerbescheid prüfen und erlassen" for group "steueramt"
    When "steueramt" completes "Steuerbescheid prüfen und erlassen" with:
      """
      {"bescheid_entscheidung": "freigeben", "bescheid_gezeichnet_von": "Frau Schulze, Steueramt"}
      """
    Then the message "hunderegister_eintrag" was sent
    And the message "bescheid_hundehaltung" was sent
    And the message "nachforderung_unterlagen" was not sent
    And the case did not pass "Erlaubnis für gefährlichen Hund prüfen"
    And the case is completed at "Hund angemeldet und veranlagt"

    Examples:
      | kommune       | bereits | jahr   | erstes | tarif                          |
      | Magdeburg     | 0       | 96.00  | 72.00  | erster Hund                    |
      | Magdeburg     | 1       | 144.00 | 108.00 | zweiter Hund                   |
      | Magdeburg     | 2       | 192.00 | 144.00 | dritter und jeder weitere Hund |
      | Halle (Saale) | 0       | 100.00 | 75.00  | erster Hund                    |
      | Halle (Saale) | 1       | 180.00 | 135.00 | zweiter und jeder weitere Hund |
      | Haldensleben  | 0       | 54.00  | 40.50  | erster Hund                    |
      | Kuhfelde      | 1       | 30.00  | 22.50  | zweiter Hund                   |

  Scenario: Quarterly instalments follow the Satzung (Magdeburg: 15.2./15.5./15.8./15.11.)
    Given an online dog registration in Magdeburg
    Then the first instalment of 24.00 € is due on 2026-05-15

  Scenario: A paper registration is keyed in by the ZSA with the start form
    Given a paper dog registration in Halle (Saale) keyed in with:
      """
      {"halter_ort": "Halle (Saale)", "halter_plz": "06108"}
      """
    Then the dog tax is 100.00 € a year and 75.00 € in 2026
    And the open task is "Bescheid entwerfen" for group "zsa-hundehaltung"
    And the case title is the keeper's name

  Scenario: The start form rejects a malformed chip number and postcode
    When a paper dog registration in Magdeburg is keyed in with:
      """
      {"transponder_nr": "27609810654321", "halter_plz": "3910"}
      """
    Then it is rejected with a message for field "transponder_nr"
    And it is rejected with a message for field "halter_plz"

  Scenario: A listed breed needs the Erlaubnis of the Ordnungsamt, which grants it
    Given an online dog registration in Magdeburg with:
      """
      {"rasse": "American Staffordshire Terrier"}
      """
    Then the case data "gefaehrlich" is true
    And the open task is "Erlaubnis für gefährlichen Hund prüfen" for group "ordnungsamt"
    When "ordnungsamt" completes "Erlaubnis für gefährlichen Hund prüfen" with:
      """
      {"sachkunde_nachgewiesen": true, "wesenstest_bestanden": true, "zuverlaessig": true,
       "persoenlich_geeignet": true, "erlaubnis": "erteilt", "erlaubnis_auflagen": "Leinen- und Maulkorbpflicht"}
      """
    Then the dog tax is 500.00 € a year and 375.00 € in 2026
    And the case data "steuer_tarif" is "gefährlicher Hund"
    When "zsa-hundehaltung" completes "Bescheid entwerfen" with:
      """
      {"entwurf_geprueft": true}
      """
    And "steueramt" completes "Steuerbescheid prüfen und erlassen" with:
      """
      {"bescheid_entscheidung": "freigeben", "bescheid_gezeichnet_von": "Herr Krause"}
      """
    Then the case is completed at "Hund angemeldet und veranlagt"

  Scenario: A dog found dangerous in the individual case, kept by a minor: the Erlaubnis is refused
    Given an online dog registration in Halle (Saale) with:
      """
      {"rasse": "Schäferhund-Mischling", "gefaehrlich_festgestellt": true, "halter_geburtsdatum": "2009-01-15"}
      """
    Then the case data "gefaehrlich" is true
    And the case data "halter_ist_volljaehrig" is false
    When "ordnungsamt" completes "Erlaubnis für gefährlichen Hund prüfen" with:
      """
      {"sachkunde_nachgewiesen": false, "wesenstest_bestanden": true, "zuverlaessig": true,
       "persoenlich_geeignet": false, "erlaubnis": "versagt",
       "erlaubnis_begruendung": "Die Halterin ist noch nicht 18 Jahre alt (§ 4 HundeG LSA)."}
      """
    Then the message "bescheid_erlaubnis_versagt" was sent
    And the message "hunderegister_eintrag" was not sent
    And the case did not pass "Hundesteuer berechnen"
    And the case is completed at "Erlaubnis versagt"

  Scenario: The Ordnungsamt must give reasons for a refusal
    Given an online dog registration in Magdeburg with:
      """
      {"rasse": "Pitbull-Mischling"}
      """
    When "ordnungsamt" tries to complete "Erlaubnis für gefährlichen Hund prüfen" with:
      """
      {"erlaubnis": "versagt"}
      """
    Then it is rejected with a message for field "erlaubnis_begruendung"

  Scenario: Missing insurance cover is requested and delivered within the deadline
    Given an online dog registration in Magdeburg with:
      """
      {"versicherung_personen_sach": 500000, "versicherung_vermoegen": 0}
      """
    Then the case data "vollstaendig" is false
    And the case data "fehlende_unterlagen" contains "Haftpflichtversicherung"
    And the message "nachforderung_unterlagen" was sent
    And the case is waiting with no open task
    When 10 days pass
    And the applicant sends the missing documents:
      """
      {"versicherung_personen_sach": 1000000, "versicherung_vermoegen": 50000, "versicherer": "Neue Versicherung AG"}
      """
    Then the case data "vollstaendig" is true
    And the message "erinnerung_unterlagen" was not sent
    And the open task is "Bescheid entwerfen" for group "zsa-hundehaltung"

  Scenario: An invalid chip number is requested; after one reminder the documents arrive
    Given an online dog registration in Halle (Saale) with:
      """
      {"transponder_nr": "123456789012345"}
      """
    Then the case data "fehlende_unterlagen" contains "Transpondernummer"
    When 14 days pass
    Then the message "erinnerung_unterlagen" was sent
    And the case is waiting with no open task
    When 5 days pass
    And the applicant sends the missing documents:
      """
      {"transponder_nr": "276098106543210"}
      """
    Then the case data "transponder_ok" is true
    And the open task is "Bescheid entwerfen" for group "zsa-hundehaltung"

  Scenario: The deadline passes after one reminder: the registration is not pursued
    Given an online dog registration in Magdeburg with:
      """
      {"versicherung_personen_sach": 0, "versicherung_vermoegen": 0}
      """
    When 13 days pass
    Then the message "erinnerung_unterlagen" was not sent
    When 1 days pass
    Then the message "erinnerung_unterlagen" was sent 1 times
    When 14 days pass
    Then the message "mitteilung_nicht_weiterverfolgt" was sent
    And the message "erinnerung_unterlagen" was sent 1 times
    And the case is completed at "Antrag nicht weiterverfolgt"
    When the applicant sends the missing documents too late

  Scenario: Documents delivered but still insufficient are requested again
    Given an online dog registration in Magdeburg with:
      """
      {"versicherung_personen_sach": 0, "versicherung_vermoegen": 0}
      """
    When the applicant sends the missing documents:
      """
      {"versicherung_personen_sach": 1000000, "versicherung_vermoegen": 10000}
      """
    Then the case data "vollstaendig" is false
    And the message "nachforderung_unterlagen" was sent 2 times
    And the case is waiting with no open task

  Scenario: A puppy under three months needs no insurance yet
    Given an online dog registration in Magdeburg with:
      """
      {"geburtsdatum_hund": "2026-01-20", "versicherung_personen_sach": 0, "versicherung_vermoegen": 0}
      """
    Then the case data "vollstaendig" is true
    And the open task is "Bescheid entwerfen" for group "zsa-hundehaltung"

  Scenario Outline: A requested exemption or reduction is checked by the ZSA
    Given an online dog registration in <kommune> with:
      """
      {"befreiung": "<befreiung>", "befreiung_nachweis": "<nachweis>"}
      """
    Then the open task is "Nachweis für Befreiung / Ermäßigung prüfen" for group "zsa-hundehaltung"
    When "zsa-hundehaltung" completes "Nachweis für Befreiung / Ermäßigung prüfen" with:
      """
      {"befreiung_anerkannt": <anerkannt>, "befreiung_vermerk": "geprüft"}
      """
    Then the dog tax is <jahr> € a year and <erstes> € in 2026
    And the open task is "Bescheid entwerfen" for group "zsa-hundehaltung"

    Examples:
      | kommune       | befreiung     | nachweis                          | anerkannt | jahr   | erstes |
      | Magdeburg     | assistenzhund | Schwerbehindertenausweis, Merkzeichen Bl | true      | 0.00   | 0.00   |
      | Halle (Saale) | rettungshund  | Prüfungszeugnis Rettungshundestaffel     | true      | 50.00  | 37.50  |
      | Halle (Saale) | rettungshund  | keiner beigefügt                  | false     | 100.00 | 75.00  |

  Scenario: The Steueramt returns the draft for correction, then issues it
    Given an online dog registration in Magdeburg
    When "zsa-hundehaltung" completes "Bescheid entwerfen" with:
      """
      {"entwurf_geprueft": true}
      """
    And "steueramt" completes "Steuerbescheid prüfen und erlassen" with:
      """
      {"bescheid_entscheidung": "korrigieren", "korrektur_hinweis": "Bitte auf die abgeschaffte Steuermarke hinweisen."}
      """
    Then the open task is "Bescheid entwerfen" for group "zsa-hundehaltung"
    And the message "bescheid_hundehaltung" was not sent
    When "zsa-hundehaltung" completes "Bescheid entwerfen" with:
      """
      {"bescheid_hinweise": "Eine Hundesteuermarke muss seit 20.07.2024 nicht mehr getragen werden.", "entwurf_geprueft": true}
      """
    And "steueramt" completes "Steuerbescheid prüfen und erlassen" with:
      """
      {"bescheid_entscheidung": "freigeben", "bescheid_gezeichnet_von": "Frau Schulze"}
      """
    Then the message "bescheid_hundehaltung" was sent 1 times
    And the case is completed at "Hund angemeldet und veranlagt"
