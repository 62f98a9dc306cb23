"""Dog tax on deregistration: months owed by the Satzung's end rule, refund or back payment."""
import pytest

from zsa_flow.errors import ValidationFailed
from zsa_flow.rules.functions import hundesteuer_abmeldung_abrechnen

MAGDEBURG, MUSTERSTADT = "15003000", "15099001"  # tax ends with the month of / the month before


def test_refund_when_more_was_paid_than_owed():
    result = hundesteuer_abmeldung_abrechnen(MAGDEBURG, 96, "2026-02-27", 24)
    assert result["steuerpflichtige_monate"] == 2
    assert (result["steuer_bis_abmeldung"], result["erstattung"], result["nachzahlung"]) == ("16.00", "8.00", "0.00")
    assert result["erstattung_faellig"] is True and result["nachzahlung_faellig"] is False
    assert [step["key"] for step in result["rechenweg"]] == [
        "jahressteuer", "monate", "steuer_bis_abmeldung", "bereits_gezahlt", "erstattung"]


def test_back_payment_rounds_to_the_cent():
    result = hundesteuer_abmeldung_abrechnen("15002000", "100.00", "2026-02-01", 0)
    assert (result["steuer_bis_abmeldung"], result["erstattung"], result["nachzahlung"]) == ("16.67", "0.00", "16.67")
    assert result["nachzahlung_faellig"] is True


def test_january_deregistration_where_tax_ends_the_month_before_owes_nothing():
    result = hundesteuer_abmeldung_abrechnen(MUSTERSTADT, 120, "2026-01-20", 30)
    assert result["steuerpflichtige_monate"] == 0
    assert (result["steuer_bis_abmeldung"], result["erstattung"]) == ("0.00", "30.00")


@pytest.mark.parametrize("args, field", [
    (("1500300", 96, "2026-02-01", 0), "ags"),
    ((MAGDEBURG, -5, "2026-02-01", 0), "steuer_jahresbetrag"),
    ((MAGDEBURG, 96, "27.02.2026", 0), "abmeldedatum"),
    ((MAGDEBURG, 96, "2026-02-01", "viel"), "bereits_gezahlt"),
])
def test_bad_input_names_the_field(args, field):
    with pytest.raises(ValidationFailed) as err:
        hundesteuer_abmeldung_abrechnen(*args)
    assert field in err.value.details["fields"]
