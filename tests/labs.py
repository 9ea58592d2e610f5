"""Skipping a test because a lab cannot run here — the one way tests do it.

``lab_skip`` raises :class:`LabSkipped`, a pytest skip that the hook in ``tests/conftest.py``
recognises: with ``INFRANOTES_REQUIRE_LABS=1`` (``make test`` as root) it becomes a failure,
so CI cannot pass by skipping the labs it promised to run. Skips for other reasons (a
``skipif`` on the host's tzdata, say) stay skips.
"""

from __future__ import annotations

from typing import NoReturn

import pytest

from infranotes.lab import unavailable_reason

REQUIRE_ENV = "INFRANOTES_REQUIRE_LABS"


class LabSkipped(pytest.skip.Exception):  # type: ignore[misc, name-defined]
    """A skip because a tool, root or a kernel feature is missing."""


def lab_skip(reason: str) -> NoReturn:
    raise LabSkipped(msg=f"lab unavailable: {reason}")


def require(*tools: str, root: bool = True, netns: bool = True) -> None:
    """Skip (as a lab skip) unless ``tools`` are found and, by default, root and netns."""
    reason = unavailable_reason(*tools, root=root, netns=netns)
    if reason:
        lab_skip(reason)
