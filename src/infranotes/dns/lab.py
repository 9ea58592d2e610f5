"""The live resolver lab: a Pod-like namespace, its resolv.conf, and a logging DNS server on :53.

Real glibc (``getent ahosts`` and a getaddrinfo() probe) and real musl (the same probe,
linked statically with musl-gcc) run inside the namespace; the server's query log turns
each run into a :class:`~infranotes.dns.search.Lookup`, the same type the model returns.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from infranotes.dns.resolvconf import parse_resolv_conf
from infranotes.dns.search import Lookup, Query
from infranotes.dns.server import DNSServer, LoggedQuery
from infranotes.dns.zone import ZoneSet
from infranotes.errors import LabUnavailable
from infranotes.lab import NetNS, available, build_gai

HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost\n"
NSSWITCH = "hosts: files dns\n"  # no mdns/myhostname/resolve modules in the way
CLIENTS = ("getent", "glibc", "musl")
# What the resolver lab needs besides root and network namespaces (the probes are built
# with gcc and musl-gcc); notebooks check lab.can_run(*REQUIRES).
REQUIRES = ("ip", "getent", "gcc", "musl-gcc")


@dataclass(frozen=True)
class Observation:
    """What one real client did: its exit, output, the queries the server saw, as a Lookup."""

    client: str
    returncode: int
    stdout: str
    log: tuple[LoggedQuery, ...]
    lookup: Lookup


def collapse(log: Sequence[LoggedQuery]) -> tuple[str, ...]:
    """Candidate names in the order asked, one entry per time the resolver asked for a name.

    Retries of an unanswered question (a timeout, SERVFAIL, REFUSED) and the A/AAAA pair
    belong to one candidate; a question asked again after a final answer (NOERROR or
    NXDOMAIN) starts a new one, so a search domain listed twice shows twice.
    """
    out: list[str] = []
    answered: set[str] = set()  # qtypes of the current candidate that got a final answer
    for q in log:
        if not out or out[-1] != q.qname or q.qtype in answered:
            out.append(q.qname)
            answered = set()
        if q.rcode in ("NOERROR", "NXDOMAIN"):
            answered.add(q.qtype)
    return tuple(out)


def _getent_addresses(stdout: str) -> tuple[str, ...]:
    seen: list[str] = []
    for line in stdout.splitlines():
        if line.split():
            addr = line.split()[0]
            if addr not in seen:
                seen.append(addr)
    return tuple(seen)


class ResolverLab:
    """A namespace whose /etc/resolv.conf is ``resolv_conf`` and whose nameservers are ours.

    Every ``nameserver`` address of the file is added to ``lo`` inside the namespace and
    served on port 53 by one :class:`DNSServer` answering from ``zones``.
    """

    def __init__(self, zones: ZoneSet, resolv_conf: str) -> None:
        self.zones = zones
        self.resolv_conf = resolv_conf
        conf = parse_resolv_conf(resolv_conf, "glibc")
        # Serve on every nameserver of the file, and on 127.0.0.1 as well, all on port 53.
        named = [s.split("%")[0] for s in conf.nameservers]
        self.servers = tuple(dict.fromkeys([*named, "127.0.0.1"]))
        self.ns = NetNS(
            "infranotes-dns",
            files={"resolv.conf": resolv_conf, "hosts": HOSTS, "nsswitch.conf": NSSWITCH},
            addresses=self.servers,
        )
        self.server = DNSServer(zones, self.servers, port=53)

    def __enter__(self) -> ResolverLab:
        available(*REQUIRES, netns=True)
        self.ns.__enter__()
        try:
            with self.ns.entered():
                self.server.bind()
            self.server.start()
        except BaseException:
            self.ns.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()
        self.ns.__exit__(None, None, None)

    def run(
        self,
        client: str,
        name: str,
        *,
        env: Mapping[str, str] | None = None,
        timeout: float = 30,
    ) -> Observation:
        """Resolve ``name`` with a real client: ``getent`` (glibc NSS), ``glibc`` or ``musl``.

        ``env`` is added to the client's environment (``LOCALDOMAIN``, ``RES_OPTIONS``).
        """
        if client == "getent":
            cmd = ["getent", "ahosts", name]
        elif client in ("glibc", "musl"):
            cmd = [str(build_gai(client)), name]
        else:
            raise LabUnavailable(f"unknown client {client!r}; choose from {', '.join(CLIENTS)}")
        if env:
            cmd = ["env", *(f"{k}={v}" for k, v in env.items()), *cmd]
        with self.server.capture() as log:
            proc = self.ns.exec(cmd, timeout=timeout)
        libc = "musl" if client == "musl" else "glibc"
        if client == "getent":
            addrs = _getent_addresses(proc.stdout)
            status = "ok" if proc.returncode == 0 else "failed"
        elif proc.returncode == -signal.SIGABRT:
            addrs, status = (), "abort"  # glibc's assert() in update_from_conf
        else:
            try:
                result = json.loads(proc.stdout)
            except json.JSONDecodeError:
                raise LabUnavailable(f"{client} probe printed {proc.stdout!r}") from None
            addrs, status = tuple(result["addrs"]), result["status"]
        conf = parse_resolv_conf(self.resolv_conf, libc, env=env)  # type: ignore[arg-type]
        tried = collapse(log)
        answered = None
        if status == "ok":
            hits = [q.qname for q in log if q.answers]
            answered = hits[-1] if hits else None
        lookup = Lookup(
            name=name,
            libc=libc,
            ndots=conf.options.ndots,
            qtypes=tuple(dict.fromkeys(q.qtype for q in log)),
            tried=tried,
            queries=tuple(
                Query(q.qname, q.qtype, "TIMEOUT" if q.rcode == "(dropped)" else q.rcode, q.answers)  # type: ignore[arg-type]
                for q in log
            ),
            status=status,  # type: ignore[arg-type]
            answered_by=answered,
            addresses=addrs,
        )
        return Observation(client, proc.returncode, proc.stdout, tuple(log), lookup)
