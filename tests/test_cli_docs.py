"""book/cli.md documents every verb, and each documented --json shape is the program's."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from infranotes.cli import build_parser, main
from tests.fuzz.test_cli_contract import _json_verbs, good  # noqa: F401 (the fixture)

PAGE = (Path(__file__).resolve().parents[1] / "book" / "cli.md").read_text()
HEADING = re.compile(r"^### (.+)$", re.M)
KEYS = re.compile(r"^JSON keys: `\{([^}]*)\}`", re.M)


def _sections() -> dict[str, str]:
    """Each ``### `infranotes …``` section's text, under every verb its heading names."""
    parts = HEADING.split(PAGE)[1:]
    out: dict[str, str] = {}
    for heading, body in zip(parts[::2], parts[1::2], strict=True):
        names = re.findall(r"`(?:infranotes )?([a-z]+(?: [a-z-]+)?)`", heading)
        topic = names[0].split()[0]
        for name in names:
            out[name if " " in name else f"{topic} {name}"] = body
    return out


def _verbs() -> list[str]:
    verbs = []
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            for topic, parser in action.choices.items():
                for sub in parser._actions:
                    if isinstance(sub, argparse._SubParsersAction):
                        verbs += [f"{topic} {verb}" for verb in sub.choices]
    return verbs


def test_every_verb_has_a_section() -> None:
    missing = sorted(set(_verbs()) - set(_sections()))
    assert not missing, f"book/cli.md does not document {missing}"


def test_documented_keys_are_the_programs(good: dict[str, str]) -> None:  # noqa: F811
    sections = _sections()
    checked = 0
    for name, argv in _json_verbs(good).items():
        documented = KEYS.search(sections[name.split(" (")[0]])  # "upgrade (plan)": upgrade
        if documented is None:  # a list, not an object: documented in prose
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            main([*argv, "--json"])
        keys = set(json.loads(out.getvalue()))
        assert {k.strip() for k in documented.group(1).split(",")} == keys, name
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize("verb", ["dns records", "cron next"])
def test_list_shaped_verbs_say_so(verb: str) -> None:
    assert "JSON: a list" in _sections()[verb]
