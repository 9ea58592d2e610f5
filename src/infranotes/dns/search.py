"""Search-list expansion: which names a stub resolver asks for, in which order, and when it stops.

glibc: ``resolv/res_query.c`` ``__res_context_search`` (as-is first when dots >= ndots, the
search list, the as-is name last otherwise; SERVFAIL moves on, REFUSED and timeouts abandon
the list; ``no-tld-query``). musl: ``src/network/lookup_name.c`` ``name_from_dns_search``
(the search list only when dots < ndots, the absolute name last; NODATA stops the walk,
SERVFAIL/REFUSED/timeouts end the lookup with EAI_AGAIN). Both send A and AAAA together
for an AF_UNSPEC getaddrinfo().

A search candidate that cannot be put on the wire ends the walk differently per libc:
glibc (``res_query.c`` ``__res_context_querydomain`` and ``__res_context_query``: the name
is longer than MAXDNAME, or ``res_nmkquery`` fails on a label over 63 octets, an empty label
or a name over 255 wire octets) sets NO_RECOVERY, which the search loop treats as "done":
the rest of the list is abandoned and the name as typed is still tried if it was not yet.
musl 1.2.3 (``lookup_name.c`` ``name_from_dns_search``) first skips, silently, a domain that
would not fit its 256-byte buffer (``z-p < 256 - l - 1``) and goes on with the next one;
a candidate that fits but that ``__res_mkquery`` refuses (over 253 characters after one
trailing dot, a label over 63, an empty label inside) makes ``name_from_dns`` return
EAI_NONAME, which ends the whole lookup. Every candidate, asked or not, is kept in
:attr:`Lookup.steps` with the reason, duplicates included (both libcs ask them again).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from infranotes.dns.resolvconf import ResolvConf
from infranotes.errors import ParseError

Rcode = Literal["NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", "TIMEOUT", "FORMERR"]
Outcome = Literal["data", "nodata", "nxdomain", "servfail", "refused", "timeout"]
Status = Literal["ok", "EAI_NONAME", "EAI_NODATA", "EAI_AGAIN", "EAI_FAIL", "abort"]
Action = Literal["asked", "skipped", "unencodable", "abort"]

GLIBC_MAXDNAME = 1025  # arpa/nameser.h NS_MAXDNAME: __res_context_querydomain's text limit
MUSL_NAME_BUFFER = 256  # lookup_name.c: canon[256], so name + "." + domain must stay below
MAX_WIRE_TEXT = 253  # 255 wire octets: the text without a trailing dot, both mkquery()s


@dataclass(frozen=True)
class Answer:
    """What a nameserver said to one query (``TIMEOUT``: it said nothing)."""

    rcode: Rcode
    addresses: tuple[str, ...] = ()

    @property
    def outcome(self) -> Outcome:
        if self.rcode == "NOERROR":
            return "data" if self.addresses else "nodata"
        return self.rcode.lower()  # type: ignore[return-value]


@dataclass(frozen=True)
class Query:
    """One question the resolver sent and the answer it got."""

    qname: str
    qtype: str
    rcode: Rcode
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One candidate of the walk: asked, skipped by musl's length check, or not encodable."""

    qname: str
    action: Action
    outcome: str  # the combined answer for "asked"; the reason otherwise

    def to_json(self) -> dict[str, str]:
        return {"qname": self.qname, "action": self.action, "outcome": self.outcome}


@dataclass(frozen=True)
class Lookup:
    """The result of one getaddrinfo(): names tried in order, queries, and what came back."""

    name: str
    libc: str
    ndots: int
    qtypes: tuple[str, ...]
    tried: tuple[str, ...]
    queries: tuple[Query, ...]
    status: Status
    answered_by: str | None
    addresses: tuple[str, ...]
    steps: tuple[Step, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "libc": self.libc,
            "ndots": self.ndots,
            "qtypes": list(self.qtypes),
            "tried": list(self.tried),
            "queries": [
                {"qname": q.qname, "qtype": q.qtype, "rcode": q.rcode, "answers": list(q.addresses)}
                for q in self.queries
            ],
            "status": self.status,
            "answered_by": self.answered_by,
            "addresses": list(self.addresses),
            "steps": [step.to_json() for step in self.steps],
        }


Responder = Callable[[str, str], Answer]


@dataclass(frozen=True)
class SearchReport:
    """What ``infranotes dns search`` reports: the configuration's search list, the walk of
    one lookup through it (every step with its action and reason) and the warnings."""

    lookup: Lookup
    search: tuple[str, ...]
    warnings: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The ``--json`` shape of ``dns search``."""
        return {
            "name": self.lookup.name,
            "libc": self.lookup.libc,
            "ndots": self.lookup.ndots,
            "search": list(self.search),
            "candidates": list(self.lookup.tried),
            "steps": [s.to_json() for s in self.lookup.steps],
            "outcome": self.lookup.status,
            "warnings": list(self.warnings),
        }


def _absolute(name: str) -> str:
    return name if name.endswith(".") else name + "."


def check_name(name: str, source: str = "<name>") -> str:
    """The name if a resolver would send it; ParseError for empty names and empty labels."""
    if not name or name == ".":
        raise ParseError("empty name", source=source, expected="a host name")
    labels = name[:-1].split(".") if name.endswith(".") else name.split(".")
    if any(not label for label in labels):
        raise ParseError(f"empty label in {name!r}", source=source, expected="a host name")
    if any(len(label) > 63 for label in labels):
        raise ParseError(f"label longer than 63 in {name!r}", source=source, expected="a host name")
    if len(name.rstrip(".")) > 253:
        raise ParseError("name longer than 253 characters", source=source, expected="a host name")
    return name


def glibc_encode_problem(name: str, domain: str | None) -> str | None:
    """Why glibc cannot send ``name`` (+ ``.domain``) as a query, or None if it can.

    ``res_query.c`` ``__res_context_querydomain``: ``n + d + 1 >= MAXDNAME`` is refused before
    any encoding; then ``res_nmkquery`` -> ``ns_name_compress`` -> ``ns_name_pton`` fails on a
    label over 63 octets, an empty label, or more than 255 octets of wire name.
    """
    text = name if domain is None else f"{name}.{domain}"
    if domain is not None and len(name) + len(domain) + 1 >= GLIBC_MAXDNAME:
        return f"name and domain are {len(text)} characters, glibc's MAXDNAME is 1025"
    return _wire_problem(text.removesuffix("."))


def _wire_problem(text: str) -> str | None:
    """What keeps ``text`` (no trailing dot) from being a wire-format name, or None."""
    labels = text.split(".")
    if any(len(label) > 63 for label in labels):
        longest = max(len(label) for label in labels)
        return f"a label of {longest} octets (at most 63)"
    if any(not label for label in labels):
        return "an empty label"
    if len(text) > MAX_WIRE_TEXT:
        return f"{len(text) + 2} octets on the wire (at most 255)"
    return None


def musl_encode_problem(candidate: str) -> str | None:
    """Why musl 1.2.3's ``__res_mkquery`` returns -1 for ``candidate``, or None.

    ``res_mkquery.c``: one trailing dot is dropped, more than 253 characters fail, and every
    label must be 1..63 octets; a second trailing dot is *not* checked and goes out as a
    malformed question (the dot is left in the packet as a length byte).
    """
    text = candidate[:-1] if candidate.endswith(".") else candidate
    if len(text) > MAX_WIRE_TEXT:
        return f"{len(text)} characters after the trailing dot (musl's limit is 253)"
    labels = text.split(".")
    inner = labels[:-1] if text.endswith(".") else labels  # the malformed "name.." case
    if any(len(label) > 63 for label in inner):
        return f"a label of {max(len(label) for label in inner)} octets (at most 63)"
    if any(not label for label in inner):
        return "an empty label"
    return None


def is_ip_literal(name: str) -> bool:
    """getaddrinfo() answers IP literals itself, without any query."""
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    return True


def lookup_qtypes(conf: ResolvConf, family: str = "unspec") -> tuple[str, ...]:
    """Query types for one getaddrinfo() call: A then AAAA for AF_UNSPEC.

    glibc's ``no-aaaa`` option suppresses AAAA (glibc 2.36 NEWS).
    """
    if family == "inet":
        return ("A",)
    if family == "inet6":
        return ("AAAA",)
    if conf.libc == "glibc" and conf.options.no_aaaa:
        return ("A",)
    return ("A", "AAAA")


def _join(name: str, domain: str) -> str:
    domain = domain[1:] if domain.startswith(".") else domain  # glibc drops one leading dot
    return _absolute(f"{name}.{domain}" if domain else name)


def _combine(libc: str, answers: list[Answer]) -> Outcome:
    """One candidate's outcome from its A and AAAA answers, as each libc weighs them."""
    if libc == "musl":
        # lookup_name.c name_from_dns: rcodes are checked in query order before any data.
        for a in answers:
            if a.rcode in ("SERVFAIL", "REFUSED", "TIMEOUT", "FORMERR"):
                return "timeout"  # res_msend ignores all but NOERROR/NXDOMAIN and waits
            if a.rcode == "NXDOMAIN":
                return "nxdomain"
        return "data" if any(a.addresses for a in answers) else "nodata"
    if any(a.outcome == "data" for a in answers):
        return "data"
    for bad in ("timeout", "refused", "servfail"):
        if any(a.outcome == bad for a in answers):
            return bad  # type: ignore[return-value]
    if all(a.outcome == "nxdomain" for a in answers):
        return "nxdomain"
    return "nodata"


class _Asker:
    def __init__(self, libc: str, qtypes: tuple[str, ...], respond: Responder) -> None:
        self.libc, self.qtypes, self.respond = libc, qtypes, respond
        self.tried: list[str] = []
        self.queries: list[Query] = []
        self.steps: list[Step] = []
        self.addresses: tuple[str, ...] = ()

    def note(self, qname: str, action: Action, reason: str) -> None:
        self.steps.append(Step(qname, action, reason))

    def ask(self, qname: str) -> Outcome:
        self.tried.append(qname)
        answers = []
        for qtype in self.qtypes:
            # An empty label cannot be encoded; a server answers such a query with FORMERR.
            a = Answer("FORMERR") if ".." in qname else self.respond(qname, qtype)
            answers.append(a)
            self.queries.append(Query(qname, qtype, a.rcode, a.addresses))
        outcome = _combine(self.libc, answers)
        self.steps.append(Step(qname, "asked", outcome))
        if outcome == "data":
            self.addresses = tuple(
                addr for a in answers if a.outcome == "data" for addr in a.addresses
            )
        return outcome


_HERRNO_STATUS: dict[Outcome, Status] = {
    "nxdomain": "EAI_NONAME",
    "nodata": "EAI_NODATA",
    "servfail": "EAI_AGAIN",
    "refused": "EAI_AGAIN",
    "timeout": "EAI_AGAIN",
}


def _walk_glibc(name: str, conf: ResolvConf, asker: _Asker) -> tuple[Status, str | None]:
    dots = name.count(".")
    trailing = name.endswith(".")
    if trailing:
        outcome = asker.ask(name)
        return ("ok", name) if outcome == "data" else (_HERRNO_STATUS[outcome], None)
    saved: Outcome | None = None
    last: Outcome = "nxdomain"
    tried_as_is = root_on_list = searched = False
    got_nodata = got_servfail = unencodable = False
    if dots >= conf.options.ndots:
        last = asker.ask(_absolute(name))
        if last == "data":
            return "ok", _absolute(name)
        saved, tried_as_is = last, True
    # RES_DEFNAMES (no dots) and RES_DNSRCH (dots, no trailing dot) are both on by default.
    for domain in conf.search:
        searched = True
        dname = domain[1:] if domain.startswith(".") else domain  # res_query.c: dname++
        if dname == "":
            root_on_list = True
        qname = _join(name, domain)
        problem = glibc_encode_problem(name, dname)
        if problem is not None:
            # NO_RECOVERY from querydomain/mkquery: "anything else implies that we're done"
            asker.note(_absolute(f"{name}.{dname}"), "unencodable", problem + ": search ends")
            unencodable = True
            break
        last = asker.ask(qname)
        if last == "data":
            return "ok", qname
        if last == "nodata":
            got_nodata = True
        elif last == "servfail":
            got_servfail = True
        elif last != "nxdomain":
            break  # REFUSED or no answer: "anything else implies that we're done"
    if (dots or not searched or not conf.options.no_tld_query) and not (
        tried_as_is or root_on_list
    ):
        last = asker.ask(_absolute(name))
        if last == "data":
            return "ok", _absolute(name)
    if saved is not None:
        final = saved
    elif got_nodata:
        final = "nodata"
    elif got_servfail:
        final = "servfail"
    elif unencodable and asker.steps[-1].action == "unencodable":
        # h_errno is still NO_RECOVERY, which getaddrinfo() reports as EAI_NONAME (oracle)
        return "EAI_NONAME", None
    else:
        final = last
    return _HERRNO_STATUS[final], None


def _walk_musl(name: str, conf: ResolvConf, asker: _Asker) -> tuple[Status, str | None]:
    dots = name.count(".")
    base = name.rstrip(".")
    search: tuple[str, ...] = conf.search
    if dots >= conf.options.ndots or name.endswith("."):
        search = ()
    for domain in search:
        joined = f"{base}.{domain}"
        if len(base) + 1 + len(domain) >= MUSL_NAME_BUFFER:
            # lookup_name.c: `if (z-p < 256 - l - 1)`; a domain that does not fit is passed over
            asker.note(_absolute(joined), "skipped", "longer than musl's 256-byte buffer")
            continue
        problem = musl_encode_problem(joined)
        if problem is not None:
            # name_from_dns returns EAI_NONAME when __res_mkquery fails: the lookup ends
            asker.note(_absolute(joined), "unencodable", problem + ": lookup ends")
            return "EAI_NONAME", None
        # A domain ending in "." after the name's dot ("." itself, or "a.test..") gives
        # "name..": musl 1.2.3 still sends it, as a malformed question (the dot left in the
        # wire as a label length), which servers reject (oracle-tested).
        qname = joined if joined.endswith("..") else _absolute(joined)
        outcome = asker.ask(qname)
        if outcome == "data":
            return "ok", qname
        if outcome != "nxdomain":
            return _MUSL_STATUS[outcome], None
    outcome = asker.ask(_absolute(base))
    if outcome == "data":
        return "ok", _absolute(base)
    return _MUSL_STATUS[outcome], None


# musl 1.2.3 reports a name without addresses (NODATA) as EAI_NONAME, like a missing one;
# SERVFAIL, REFUSED and silence all end as EAI_AGAIN (observed; see the oracle tests).
_MUSL_STATUS: dict[Outcome, Status] = {
    "nxdomain": "EAI_NONAME",
    "nodata": "EAI_NONAME",
    "servfail": "EAI_AGAIN",
    "refused": "EAI_AGAIN",
    "timeout": "EAI_AGAIN",
}


def resolve(
    name: str,
    conf: ResolvConf,
    respond: Responder,
    *,
    family: str = "unspec",
) -> Lookup:
    """Simulate one getaddrinfo(name) under ``conf``, asking ``respond`` for each query."""
    check_name(name)
    qtypes = lookup_qtypes(conf, family)
    asker = _Asker(conf.libc, qtypes, respond)
    if is_ip_literal(name):
        status, by, addrs = "ok", None, (name,)
    elif conf.libc == "glibc" and conf.abort_reason:
        # resolv_conf.c update_from_conf: assert (resolv_conf_matches (resp, conf)) fails
        # when the resolver context is set up, before any query: the process gets SIGABRT.
        asker.note("", "abort", conf.abort_reason)
        status, by, addrs = "abort", None, ()
    else:
        walk = _walk_glibc if conf.libc == "glibc" else _walk_musl
        status, by = walk(name, conf, asker)
        addrs = asker.addresses if status == "ok" else ()
    return Lookup(
        name=name,
        libc=conf.libc,
        ndots=conf.options.ndots,
        qtypes=qtypes,
        tried=tuple(asker.tried),
        queries=tuple(asker.queries),
        status=status,  # type: ignore[arg-type]
        answered_by=by,
        addresses=addrs,
        steps=tuple(asker.steps),
    )


def _nxdomain(qname: str, qtype: str) -> Answer:
    return Answer("NXDOMAIN")


def candidates(name: str, conf: ResolvConf) -> tuple[str, ...]:
    """Every name the resolver tries, in order, when none of them exists (the full walk)."""
    return resolve(name, conf, _nxdomain).tried


def queries_per_lookup(name: str, conf: ResolvConf, respond: Responder) -> int:
    """How many questions one getaddrinfo() sends before it has an answer (no retries)."""
    return len(resolve(name, conf, respond).queries)
