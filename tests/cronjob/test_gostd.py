"""Go standard-library behaviours robfig/cron inherits, held as known values (no Go needed;
tests/oracles/test_cron_oracle.py checks the same functions against the real library)."""

from __future__ import annotations

import pytest

from infranotes.cronjob import gostd
from infranotes.cronjob.schedule import ScheduleError, parse_schedule


def test_duration_fraction_is_scaled_in_float64() -> None:
    # exact decimals: 2999999999.9999999999 ns; float64(f) * (1e9 / 1e19) reaches 1e9
    assert gostd.parse_duration("2.9999999999999999999s") == 3_000_000_000
    assert gostd.parse_duration("0.3333333333333333333h") == 1_200_000_000_000


def test_duration_range_is_asymmetric() -> None:
    assert gostd.parse_duration("-9223372036854775808ns") == -(2**63)
    assert gostd.parse_duration("9223372036854775807ns") == 2**63 - 1
    with pytest.raises(gostd.GoError, match=r'^time: invalid duration "9223372036854775808ns"$'):
        gostd.parse_duration("9223372036854775808ns")


def test_duration_errors_quote_bytes() -> None:
    with pytest.raises(gostd.GoError) as exc:
        gostd.parse_duration("1é")
    assert str(exc.value) == 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'


def test_to_lower_is_the_simple_mapping() -> None:
    assert gostd.to_lower("FRİ") == "fri"
    assert "FRİ".lower() != "fri"  # Python's full mapping: 'fri' + U+0307
    assert parse_schedule("0 0 * * FRİ").dow == 1 << 5


def test_fields_split_on_unicode_white_space_only() -> None:
    assert gostd.fields("0\x1c0 *\xa0*") == ["0\x1c0", "*", "*"]
    fs = "0\x1c0"
    assert fs.split() == ["0", "0"]  # Python's str.split() treats FS as whitespace
    with pytest.raises(ScheduleError, match="expected exactly 5 fields, found 4"):
        parse_schedule("0 0\x1f* * *")
    assert gostd.trim_space("\x85 x\x1c ") == "x\x1c"


def test_load_location_opens_the_name_as_a_path() -> None:
    assert gostd.load_location("Asia/./Shanghai") is not None
    assert gostd.load_location("Asia//Shanghai") is not None
    for name, text in (
        ("Asia/../UTC", "time: invalid location name"),
        ("/UTC", "time: invalid location name"),
        ("Asia", "is a directory"),
        ("UTC/x", "not a directory"),
        ("zone.tab", "malformed time zone information"),
        ("Asia/Nowhere", "unknown time zone Asia/Nowhere"),
    ):
        with pytest.raises(gostd.GoError) as exc:
            gostd.load_location(name)
        assert str(exc.value) == text, name
    assert gostd.load_location("Local") is None
