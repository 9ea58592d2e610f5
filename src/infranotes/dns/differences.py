"""Where glibc and musl part ways, each row computed by the model on a small case.

Every row has a twin in ``tests/oracles/dns_cases.py`` that runs the same case through the
real libraries (the case id is in the last column).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from infranotes.dns.messages import step_reason, tr
from infranotes.dns.resolvconf import parse_resolv_conf
from infranotes.dns.search import Answer, Lookup, Step, resolve
from infranotes.table import Table

NS = "nameserver 127.0.0.1\n"
SEARCH = "search s1.test s2.test s3.test\n"


@dataclass(frozen=True)
class Difference:
    behaviour: str
    resolv_conf: str
    name: str
    answers: dict[str, str]  # qname -> rcode ("NOERROR+" = an address); others NXDOMAIN
    oracle_case: str
    env: dict[str, str] = field(default_factory=dict)


def _respond(answers: dict[str, str]):
    def respond(qname: str, qtype: str) -> Answer:
        rcode = answers.get(qname, "NXDOMAIN")
        if rcode == "NOERROR+":
            return Answer("NOERROR", ("192.0.2.1",) if qtype == "A" else ())
        return Answer(rcode)  # type: ignore[arg-type]

    return respond


def differences(lang: str = "en") -> tuple[Difference, ...]:
    """The cases, with each behaviour described in ``lang`` (the cases themselves are data)."""
    # A behaviour that is only code (`options ndots:abc`) reads the same in both languages.
    return (
        Difference(
            tr(lang, "dots >= ndots, name missing"),
            NS + SEARCH + "options ndots:1\n",
            "no.thing",
            {},
            "ndots3-3dots-as-is-miss",
        ),
        Difference(
            tr(lang, "NODATA on the first search domain"),
            NS + SEARCH + "options ndots:1\n",
            "svc",
            {"svc.s1.test.": "NOERROR", "svc.s2.test.": "NOERROR+"},
            "nodata-at-position-1",
        ),
        Difference(
            tr(lang, "SERVFAIL on the first search domain"),
            NS + SEARCH + "options ndots:1\n",
            "svc",
            {"svc.s1.test.": "SERVFAIL", "svc.s3.test.": "NOERROR+"},
            "servfail-position-1",
        ),
        Difference(
            tr(lang, "REFUSED on the first search domain"),
            NS + SEARCH + "options ndots:1\n",
            "svc",
            {"svc.s1.test.": "REFUSED", "svc.s3.test.": "NOERROR+"},
            "refused-position-1",
        ),
        Difference(
            "`domain s1.test s3.test`",
            NS + "domain s1.test s3.test\noptions ndots:1\n",
            "svc",
            {"svc.s3.test.": "NOERROR+"},
            "domain-with-two-words",
        ),
        Difference(
            "`options ndots:1 ndots:3`",
            NS + "search s1.test\noptions ndots:1 ndots:3\n",
            "x.y",
            {},
            "ndots-repeated-first-or-last",
        ),
        Difference(
            "`options ndots:abc`",
            NS + "search s1.test\noptions ndots:abc\n",
            "svc",
            {},
            "ndots-not-a-number",
        ),
        Difference(
            tr(lang, "search line of 416 characters"),
            NS + "search " + " ".join(f"d{i}.{'a' * 40}.example" for i in range(1, 9)) + "\n",
            "nosuch",
            {},
            "search-line-416-chars",
        ),
        Difference(
            "`search s1.test .`",
            NS + "search s1.test .\noptions ndots:1\n",
            "intranet",
            {"intranet.": "NOERROR+"},
            "search-with-root",
        ),
        Difference(
            tr(lang, "a 64-octet label in the 2nd search domain"),
            NS + f"search s1.test {'a' * 64}.test s2.test\n",
            "nosuch",
            {},
            "label64-second-domain",
        ),
        Difference(
            tr(lang, "a 256-character candidate, then s1.test"),
            NS + "search s2.test.abcd s1.test\noptions ndots:9\n",
            ".".join(["c" * 59] * 4) + ".ccc",
            {},
            "candidate-256-chars-musl-skips",
        ),
        Difference(
            "`options ndots:-1`",
            NS + "search s1.test\noptions ndots:-1\n",
            "a.b.c",
            {},
            "ndots-minus-1",
        ),
        Difference(
            tr(lang, "`LOCALDOMAIN=s3.test` in the environment"),
            NS + SEARCH + "options ndots:1\n",
            "svc",
            {},
            "localdomain-replaces-search",
            env={"LOCALDOMAIN": "s3.test"},
        ),
        Difference(
            tr(lang, "a 2nd search domain of 249 characters"),
            NS + f"search s1.test {'b' * 63}.{'b' * 63}.{'b' * 63}.{'b' * 57}\n",
            "svc",
            {},
            "glibc-aborts-defdname-cut",
        ),
    )


DIFFERENCES = differences()


def _short(qname: str, lang: str = "en") -> str:
    name = qname.rstrip(".")
    if len(name) <= 24:
        return name
    return tr(lang, "{head}…({n} chars)", head=name[:10], n=len(name))


def _step(step: Step, lang: str) -> str:
    if step.action == "asked":
        short = _short(step.qname, lang)
        return tr(lang, "{name} (malformed)", name=short) if step.qname.endswith("..") else short
    if step.action == "abort":
        return tr(lang, "SIGABRT before any query")
    reason = step_reason(step.outcome.split(":", 1)[0], lang)
    return f"✗ {_short(step.qname, lang)} {step.action}: {reason}"


def _summary(look: Lookup, lang: str) -> str:
    shown = [_step(s, lang) for s in look.steps]
    if len(shown) > 4:
        shown = [shown[0], tr(lang, "… {n} more …", n=len(shown) - 2), shown[-1]]
    return " → ".join(shown) + f" ⇒ {look.status}"


def differences_table(*, lang: str = "en") -> Table:
    """One row per case: what each libc asks, in order, and how the lookup ends."""
    rows = []
    for d in differences(lang):
        looks = [
            resolve(d.name, parse_resolv_conf(d.resolv_conf, libc, env=d.env), _respond(d.answers))
            for libc in ("glibc", "musl")
        ]
        rows.append(
            (
                d.behaviour,
                _short(d.name, lang),
                _summary(looks[0], lang),
                _summary(looks[1], lang),
                d.oracle_case,
            )
        )
    return Table(
        (
            tr(lang, "behaviour"),
            tr(lang, "name"),
            "glibc 2.36",
            "musl 1.2.3",
            tr(lang, "oracle case"),
        ),
        rows,
    )
