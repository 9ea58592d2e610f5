"""The schedule model against the real robfig/cron v3.0.1 (Debian's package, built offline).

Two checks: the whole schedule table (so the table's expectations are the library's, not
ours), and a seeded random differential of specs, zones with unusual DST and start times.
"""

from __future__ import annotations

import pytest

from infranotes.cronjob.lab import Query, differences, model_answer, random_queries, robfig_next
from infranotes.lab import unavailable_reason
from tests.cronjob.table import CASES

pytestmark = pytest.mark.oracle


@pytest.fixture(scope="module", autouse=True)
def _go() -> None:
    reason = unavailable_reason("go", root=False)
    if reason:
        pytest.skip(reason)


def test_table_is_the_librarys() -> None:
    queries = [Query(c.spec, c.start, max(1, len(c.next)), c.zone) for c in CASES]
    for case, real in zip(CASES, robfig_next(queries), strict=True):
        if case.error is not None:
            assert real.error == case.error, case.id
        elif case.never:
            assert real.zero and not real.times, case.id
        else:
            assert real.times == case.next, case.id


def test_random_specs_agree_with_the_library() -> None:
    queries = random_queries(2000, seed=20261125)
    assert differences(queries) == []
    assert sum(model_answer(q).error is None for q in queries) > 1000  # most of them parse
