"""Where glibc and musl part ways, each row computed by the model on a small case.

Every row has a twin in ``tests/oracles/dns_cases.py`` that runs the same case through the
real libraries (the case id is in the last column).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


DIFFERENCES = (
    Difference(
        "dots >= ndots, name missing",
        NS + SEARCH + "options ndots:1\n",
        "no.thing",
        {},
        "ndots3-3dots-as-is-miss",
    ),
    Difference(
        "NODATA on the first search domain",
        NS + SEARCH + "options ndots:1\n",
        "svc",
        {"svc.s1.test.": "NOERROR", "svc.s2.test.": "NOERROR+"},
        "nodata-at-position-1",
    ),
    Difference(
        "SERVFAIL on the first search domain",
        NS + SEARCH + "options ndots:1\n",
        "svc",
        {"svc.s1.test.": "SERVFAIL", "svc.s3.test.": "NOERROR+"},
        "servfail-position-1",
    ),
    Difference(
        "REFUSED on the first search domain",
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
        "search line of 416 characters",
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
        "a 64-octet label in the 2nd search domain",
        NS + f"search s1.test {'a' * 64}.test s2.test\n",
        "nosuch",
        {},
        "label64-second-domain",
    ),
    Difference(
        "a 256-character candidate, then s1.test",
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
        "`LOCALDOMAIN=s3.test` in the environment",
        NS + SEARCH + "options ndots:1\n",
        "svc",
        {},
        "localdomain-replaces-search",
        env={"LOCALDOMAIN": "s3.test"},
    ),
    Difference(
        "a 2nd search domain of 249 characters",
        NS + f"search s1.test {'b' * 63}.{'b' * 63}.{'b' * 63}.{'b' * 57}\n",
        "svc",
        {},
        "glibc-aborts-defdname-cut",
    ),
)


def _short(qname: str) -> str:
    name = qname.rstrip(".")
    return name if len(name) <= 24 else f"{name[:10]}…({len(name)} chars)"


def _step(step: Step) -> str:
    if step.action == "asked":
        return _short(step.qname) + (" (malformed)" if step.qname.endswith("..") else "")
    if step.action == "abort":
        return "SIGABRT before any query"
    reason = step.outcome.split(":", 1)[0]
    return f"✗ {_short(step.qname)} {step.action}: {reason}"


def _summary(look: Lookup) -> str:
    shown = [_step(s) for s in look.steps]
    if len(shown) > 4:
        shown = [shown[0], f"… {len(shown) - 2} more …", shown[-1]]
    return " → ".join(shown) + f" ⇒ {look.status}"


def differences_table() -> Table:
    rows = []
    for d in DIFFERENCES:
        looks = [
            resolve(d.name, parse_resolv_conf(d.resolv_conf, libc, env=d.env), _respond(d.answers))
            for libc in ("glibc", "musl")
        ]
        rows.append(
            (d.behaviour, _short(d.name), _summary(looks[0]), _summary(looks[1]), d.oracle_case)
        )
    return Table(("behaviour", "name", "glibc 2.36", "musl 1.2.3", "oracle case"), rows)
