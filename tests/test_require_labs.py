"""The INFRANOTES_REQUIRE_LABS hook, run on a small suite with pytester."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SUITE = """
import pytest
from tests.labs import lab_skip

def test_lab_helper_skip():
    lab_skip("missing tool(s): nsd")

@pytest.mark.oracle
def test_oracle_plain_skip():
    pytest.skip("reference plugins missing")

@pytest.mark.oracle
@pytest.mark.skipif(True, reason="no go")
def test_oracle_skipif():
    pass

@pytest.fixture
def server():
    lab_skip("needs root")

def test_fixture_lab_skip(server):
    pass

def test_other_skip():
    pytest.skip("no system tzdata")

@pytest.mark.skipif(True, reason="no right/ zones")
def test_other_skipif():
    pass

@pytest.mark.oracle
@pytest.mark.skip(reason="decided: too slow here")
def test_oracle_explicit_skip():
    pass

@pytest.mark.oracle
@pytest.mark.xfail(reason="known difference")
def test_oracle_xfail():
    assert False

def test_passes():
    pass
"""
LAB = (
    "test_lab_helper_skip",
    "test_oracle_plain_skip",
    "test_oracle_skipif",
    "test_fixture_lab_skip",
)


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.syspathinsert(str(ROOT))  # so the inner suite imports this repository's tests
    pytester.makeconftest("from tests.conftest import pytest_runtest_makereport  # noqa: F401\n")
    pytester.makeini("[pytest]\nmarkers =\n    oracle: x\n    lab: x\n")
    pytester.makepyfile(test_suite=SUITE)
    return pytester


def test_without_the_variable_every_skip_is_a_skip(suite, monkeypatch) -> None:
    monkeypatch.delenv("INFRANOTES_REQUIRE_LABS", raising=False)
    r = suite.runpytest("-p", "no:cacheprovider")
    r.assert_outcomes(passed=1, skipped=7, xfailed=1)


def test_with_the_variable_lab_skips_fail(suite, monkeypatch) -> None:
    monkeypatch.setenv("INFRANOTES_REQUIRE_LABS", "1")
    r = suite.runpytest("-p", "no:cacheprovider", "-rfEs")
    r.assert_outcomes(passed=1, failed=2, errors=2, skipped=3, xfailed=1)  # fixture/skipif: setup
    out = r.stdout.str()
    for name in LAB:
        assert f"test_suite.py::{name}" in out
    assert "would be skipped: lab unavailable: missing tool(s): nsd" in out
    assert "would be skipped: no go" in out
    for name in ("test_other_skip", "test_other_skipif", "test_oracle_explicit_skip"):
        assert f"FAILED test_suite.py::{name}" not in out
        assert f"ERROR test_suite.py::{name}" not in out
