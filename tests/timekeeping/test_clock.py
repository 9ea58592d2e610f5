"""The clock after boot: clocksource, adjtimex (read only), the RTC in UTC or local time, and
chronyd's slew-or-step decision measured with two ``chronyd -x`` on loopback."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from infranotes.lab import unavailable_reason
from infranotes.timekeeping import chrony, clock, rtc
from tests.labs import lab_skip


def test_decode_timex_flags_units_and_state() -> None:
    t = clock.decode_timex(5, 0x0040 | 0x2000, 1500, 3 * 65536, 16_000_000, 16_000_000, 10_000)
    assert t.state == "TIME_ERROR" and t.status == ("STA_UNSYNC", "STA_NANO")
    assert t.offset_us == 1.5 and t.frequency_ppm == 3.0 and not t.synchronised
    synced = clock.decode_timex(0, 0x0001, 12, -65536 // 2, 100, 10, 10_000)
    assert synced.synchronised and synced.offset_us == 12.0 and synced.frequency_ppm == -0.5


def test_read_timex_changes_nothing_and_agrees_with_itself() -> None:
    a, b = clock.read_timex(), clock.read_timex()
    assert a.tick_us == b.tick_us and a.state in clock.CLOCK_STATES.values()
    assert a.synchronised == ("STA_UNSYNC" not in a.status)


def test_clocksource_from_sysfs(tmp_path: Path) -> None:
    (tmp_path / "current_clocksource").write_text("tsc\n")
    (tmp_path / "available_clocksource").write_text("tsc hpet acpi_pm \n")
    assert clock.read_clocksource(tmp_path) == clock.Clocksource("tsc", ("tsc", "hpet", "acpi_pm"))
    assert clock.read_clocksource(tmp_path / "missing") is None


@pytest.mark.parametrize(
    ("reading", "zone"),
    [("2024-01-15 20:00:00", "Asia/Shanghai"), ("2024-07-01 09:30:00", "America/New_York"),
     ("2024-03-31 01:59:00", "Europe/Berlin"), ("1995-06-01 00:00:00", "Australia/Sydney")],
)  # fmt: skip
def test_rtc_in_local_time_read_like_mktime(reading: str, zone: str) -> None:
    """hwclock converts a LOCAL reading with mktime; glibc's `date -d` does the same."""
    naive = datetime.fromisoformat(reading)
    out = subprocess.run(["date", "-d", reading, "+%s"], env={"TZ": zone}, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert rtc.rtc_to_system(naive, "LOCAL", ZoneInfo(zone)) == int(out)
    utc = subprocess.run(["date", "-u", "-d", reading, "+%s"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    assert rtc.rtc_to_system(naive, "UTC", ZoneInfo(zone)) == int(utc)
    assert rtc.system_to_rtc(int(out), "LOCAL", ZoneInfo(zone)) == naive


def test_rtc_rejects_zoned_readings_and_unknown_modes() -> None:
    with pytest.raises(ValueError):
        rtc.rtc_to_system(datetime(2024, 1, 1, tzinfo=ZoneInfo("UTC")), "UTC", ZoneInfo("UTC"))
    with pytest.raises(ValueError):
        rtc.system_to_rtc(0, "localtime", ZoneInfo("UTC"))


def test_dual_boot_shows_the_zone_offset_both_ways() -> None:
    steps = rtc.dual_boot(1705320000, ZoneInfo("Asia/Shanghai"))  # 2024-01-15 12:00 UTC
    assert steps[0].linux_shows == "2024-01-15 20:00"
    assert steps[1].linux_shows == "2024-01-16 04:00"  # Linux reads Windows' local RTC as UTC
    assert steps[1].windows_shows == "2024-01-15 20:00"
    assert steps[2].windows_shows == "2024-01-15 12:00"  # Windows reads Linux's UTC as local
    assert steps[2].linux_shows == "2024-01-15 20:00"


def test_slew_takes_twelve_seconds_per_second_of_offset() -> None:
    assert chrony.slew_seconds(1.0) == pytest.approx(12.0, rel=1e-6)
    assert chrony.slew_seconds(-0.5) == pytest.approx(6.0, rel=1e-6)


def test_a_step_is_measured_by_its_logged_correction() -> None:
    """chronyc tracking after a step reads ~0 (the race that made notebook 06 flaky); the
    log line says what the client measured. Without a step, tracking is the measurement."""
    stepped = chrony.Tracking("7F000001", 9, -0.0001, 0.0, "Normal")
    log = ("System clock wrong by -5.000213 seconds",)
    assert chrony.measured_offset(log, stepped) == -5.000213
    assert chrony.ChronyRun(-5.0, stepped, "step", 60.0, log).to_json()["measured_offset_s"] == -5.0
    slewing = chrony.Tracking("7F000001", 9, 0.499998, 0.0, "Normal")
    assert chrony.measured_offset((), slewing) == 0.499998


def test_tracking_csv() -> None:
    line = (
        "7F000001,127.0.0.1,9,1795699572.2,0.499998,0.0000001,0.0,0.168,2.4,1.8,0.0,0.0,1.1,Normal"
    )
    t = chrony.Tracking.parse_csv(line)
    assert (t.reference, t.stratum, t.system_offset_s, t.leap_status) == (
        "127.0.0.1", 9, 0.499998, "Normal")  # fmt: skip
    with pytest.raises(ValueError):
        chrony.Tracking.parse_csv("1,2,3")


@pytest.mark.oracle
def test_chronyd_slews_small_offsets_and_would_step_large_ones() -> None:
    reason = unavailable_reason(*chrony.REQUIRES, netns=True)
    if reason:
        lab_skip(reason)
    small, large = chrony.measure(0.5), chrony.measure(-5.0)
    assert small.tracking.system_offset_s == pytest.approx(0.5, abs=0.01)
    assert small.would == "slew" and small.log == ()
    # once stepped, tracking reads ~0: the measurement is the step's logged correction
    assert large.measured_offset_s == pytest.approx(-5.0, abs=0.01)
    assert large.slew_seconds == pytest.approx(60.0, abs=0.2)
    assert large.would == "step" and any("wrong by -5.0" in line for line in large.log)
