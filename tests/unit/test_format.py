"""German display formats (zsa_flow/web/format.py): what people read for money, numbers, dates."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from zsa_flow.web import format as fmt


@pytest.mark.parametrize("value, shown", [
    ("500.00", "500,00 €"), (500, "500,00 €"), (Decimal("1234567.5"), "1.234.567,50 €"), ("0.5", "0,50 €"),
    (-12.3, "-12,30 €"), (None, "–"), ("", "–"), ("keine Zahl", "keine Zahl"),
])
def test_money(value, shown):
    assert fmt.money(value) == shown


@pytest.mark.parametrize("value, shown", [
    (0, "0"), (999, "999"), (1000, "1.000"), (5000000, "5.000.000"), (10000, "10.000"), (450.5, "450,5"),
    (Decimal("450.50"), "450,5"), ("12.345", "12,345"), (-1234, "-1.234"), (2.0, "2"),
])
def test_number_uses_german_separators(value, shown):
    assert fmt.number(value) == shown


def test_number_with_fixed_decimals():
    assert fmt.number("691.6", decimals=2) == "691,60"


def test_dates_and_date_times_in_german_local_time():
    assert fmt.date("2026-11-29") == "29.11.2026"
    assert fmt.date(date(2026, 1, 5)) == "05.01.2026"
    assert fmt.date_time("2026-11-29T13:05:00+00:00") == "29.11.2026, 14:05 Uhr"  # CET
    assert fmt.date_time(datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc)) == "01.07.2026, 14:00 Uhr"  # CEST
    assert fmt.date("2026-11-29T23:30:00+00:00") == "30.11.2026"  # already the next day in Germany
    assert fmt.date_time(None) == fmt.date("") == "–"
    assert fmt.iso_local("2026-11-29T13:05:00+00:00") == "2026-11-29T14:05+01:00"


@pytest.mark.parametrize("value, kind, shown", [
    (True, None, "Ja"), (False, None, "Nein"), (None, None, "–"), ("", None, "–"),
    ("2026-03-10", None, "10.03.2026"), ("2026-03-10T08:00:00+00:00", None, "10.03.2026, 09:00 Uhr"),
    ("96.00", None, "96,00 €"), (5000000, None, "5.000.000"), (5000000, "money", "5.000.000,00 €"),
    ("39104", "text", "39104"), ("39104", None, "39104"), ("Breiter Weg 1", None, "Breiter Weg 1"),
    (["a", "b"], None, "a, b"), ("0.0637", None, "0,0637"), ("1.5", "text", "1.5"), ("2026-03-10", "text", "2026-03-10"), (12, "number", "12"),
])
def test_auto_picks_the_format_from_value_and_kind(value, kind, shown):
    assert fmt.auto(value, kind) == shown
