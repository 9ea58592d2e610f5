"""``infranotes ceph explain``: a ``ceph -s`` / ``pg dump`` / ``health detail`` JSON explained."""

from __future__ import annotations

import argparse

from infranotes.cli.common import Parser, add_lang, emit, json_parent, read_text


def _explain(args: argparse.Namespace) -> int:
    from infranotes.ceph.doctor import explain
    from infranotes.ceph.messages import tr
    from infranotes.ceph.snapshot import parse

    lang = args.lang
    report = explain(parse(read_text(args.file, "Ceph JSON"), args.file), lang)
    if args.json:
        emit(report.to_json())
        return 0 if report.ok else 1
    sep = "，" if lang == "zh" else ", "
    print(
        f"{report.health or tr(lang, '(no health in this document)')}: "
        + sep.join(tr(lang, "{n} {state}", n=n, state=st) for st, n, _ in report.combinations)
    )
    for st, n, words in report.combinations:
        print(f"  {n:5d}  {st}: {words}")
    for e in report.check_explanations:
        print(f"  {tr(lang, 'check')} {e.raised.name} ({e.raised.severity}): {e.raised.summary}")
        if e.glossary and lang == "zh":
            print(f"        {e.glossary.meaning_zh}")
        elif e.glossary:
            print(f"        {e.glossary.meaning_en}")
            print(f"        {e.glossary.meaning_zh}")
        else:
            print("        " + tr(lang, "(not a Ceph 16 check code this tool knows)"))
    for why in report.recovery_blocked:
        print("  " + tr(lang, "no recovery can start: {why}", why=why))
    for i, step in enumerate(report.next_steps, 1):
        print(f"  {i}. {step.command:45s}  # {step.why}")
    return 0 if report.ok else 1


def register(parser: argparse.ArgumentParser) -> None:
    """The ``ceph`` verbs."""
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)
    ce = verbs.add_parser(
        "explain", parents=[json_parent()], help="ceph -s / pg dump / health detail JSON explained"
    )
    ce.add_argument("file", metavar="FILE")
    add_lang(ce, "states, codes and commands")
    ce.set_defaults(func=_explain)
