"""The "Measured with" footer: each parser against the tool's real output, and the line."""

from __future__ import annotations

import os
import shutil

import pytest

from infranotes.lab import versions

# Outputs recorded on Debian 12 (the machine the book's labs run on).
RECORDED = [
    (versions.parse_glibc, "glibc 2.36\n", "2.36"),
    (versions.parse_musl, "musl libc (x86_64)\nVersion 1.2.3\nDynamic Program Loader\n", "1.2.3"),
    (versions.parse_iptables, "iptables v1.8.9 (nf_tables)\n", "1.8.9 (nf_tables)"),
    (versions.parse_iptables, "iptables v1.8.7 (legacy)\n", "1.8.7 (legacy)"),
    (versions.parse_v_version, "nftables v1.0.6 (Lester Gooch #5)\n", "1.0.6"),
    (versions.parse_v_version, "conntrack v1.4.7 (conntrack-tools)\n", "1.4.7"),
    (
        versions.parse_ceph,
        "ceph version 16.2.15 (618f440892089921c3e944a991122ddc44e60516) pacific (stable)\n",
        "16.2.15 pacific",
    ),
    (versions.parse_go, "go version go1.19.8 linux/amd64\n", "1.19.8"),
    (
        versions.parse_mariadb,
        "mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)\n",
        "10.11.19",
    ),
    (versions.parse_postgres, "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n", "15.18"),
    (versions.parse_nsd, "NSD version 4.6.1\nWritten by NLnet Labs.\n", "4.6.1"),
    (versions.parse_openssl, "OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19)\n", "3.0.19"),
    (versions.parse_chrony, "chronyd (chrony) version 4.3 (+CMDMON +NTP)\n", "4.3"),
    (versions.parse_dpkg_version, "1.1.1+ds1-3+b5", "1.1.1"),
    (versions.parse_dpkg_version, "2025b-0+deb12u2", "2025b"),
    (versions.parse_dpkg_version, "1:3.0.1-1", "3.0.1"),
]


@pytest.mark.parametrize(("parse", "text", "expected"), RECORDED)
def test_parsers_read_recorded_outputs(parse, text: str, expected: str) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize("parse", sorted({p for p, _, _ in RECORDED}, key=lambda p: p.__name__))
def test_parsers_say_none_for_missing_or_foreign_output(parse) -> None:
    assert parse(None) is None
    assert parse("command not found\n") is None


def test_linux_is_the_kernel_series() -> None:
    assert versions.parse_linux("6.1.0-18-amd64") == "6.1"
    assert versions.parse_linux("6.18.44-fc-v657") == "6.18"
    assert versions.parse_linux("weird") == "weird"


def test_line_names_missing_tools_and_keeps_order() -> None:
    v = versions.Versions((("glibc", "2.36"), ("chrony", None), ("Linux", "6.1")))
    assert v.line() == "Measured with glibc 2.36, chrony not installed, Linux 6.1."
    assert v.line(["Linux", "glibc"]) == "Measured with Linux 6.1, glibc 2.36."
    assert v.get("chrony") is None


def test_missing_program_reads_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    line = versions.collect(["Go", "Python"]).line()
    assert line.startswith("Measured with Go not installed, Python 3.")


def test_unknown_tool_is_an_error_naming_it() -> None:
    with pytest.raises(KeyError, match="no version probe for gcc"):
        versions.collect(["gcc"])


def test_collect_is_deterministic_here() -> None:
    first = versions.collect(versions.PROBES)
    assert first == versions.collect(versions.PROBES)
    assert first.get("Python") is not None and first.get("SQLite") is not None


@pytest.mark.skipif(shutil.which("getconf") is None, reason="no getconf on this machine")
def test_glibc_matches_confstr() -> None:
    # os.confstr reads the same value getconf prints, from the running libc itself.
    assert versions.collect(["glibc"]).get("glibc") == os.confstr("CS_GNU_LIBC_VERSION").split()[1]
