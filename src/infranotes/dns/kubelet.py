"""The resolv.conf kubelet composes for a Pod: dnsPolicy, dnsConfig, clusterDomain, the node's file.

Follows ``pkg/kubelet/network/dns/dns.go`` (``GetPodDNS``, ``getPodDNSType``,
``generateSearchesForDNSClusterFirst``, ``appendDNSConfig``, ``mergeDNSOptions``,
``formDNSConfigFitsLimits``, ``parseResolvConf``) and the limits of
``pkg/apis/core/validation`` (3 nameservers; 32 search paths and 2048 characters since
KEP-2595 "Expanded DNS Configuration" went GA in v1.28, 6 and 256 before).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from infranotes.dns.resolvconf import render_resolv_conf
from infranotes.errors import ParseError

POLICIES = ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")
MAX_NAMESERVERS = 3
MAX_SEARCH_PATHS, MAX_SEARCH_CHARS = 32, 2048
LEGACY_MAX_SEARCH_PATHS, LEGACY_MAX_SEARCH_CHARS = 6, 256
MAX_DOMAIN_LENGTH = 253  # utilvalidation.DNS1123SubdomainMaxLength
DEFAULT_OPTIONS = ("ndots:5",)


@dataclass(frozen=True)
class DNSOption:
    name: str
    value: str | None = None


@dataclass(frozen=True)
class DNSConfig:
    """A Pod's ``spec.dnsConfig``."""

    nameservers: tuple[str, ...] = ()
    searches: tuple[str, ...] = ()
    options: tuple[DNSOption, ...] = ()

    @classmethod
    def from_json(cls, data: str | bytes, source: str = "<dnsConfig>") -> DNSConfig:
        """Read a dnsConfig object from JSON (YAML users: ``kubectl get pod -o json``)."""
        try:
            obj = json.loads(data)
        except RecursionError:
            raise ParseError("nesting too deep", source=source, expected="a JSON object") from None
        except json.JSONDecodeError as exc:
            raise ParseError(
                exc.msg, source=source, line=exc.lineno, column=exc.colno, expected="a JSON object"
            ) from None
        if isinstance(obj, dict) and "spec" in obj and isinstance(obj["spec"], dict):
            obj = obj["spec"].get("dnsConfig", {})
        if not isinstance(obj, dict):
            raise ParseError("dnsConfig is not an object", source=source, expected="a JSON object")
        unknown = set(obj) - {"nameservers", "searches", "options"}
        if unknown:
            raise ParseError(
                f"unknown field(s) {sorted(unknown)}",
                source=source,
                expected="nameservers, searches, options",
            )

        def strings(key: str) -> tuple[str, ...]:
            value = obj.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ParseError(f"{key} must be a list of strings", source=source)
            return tuple(value)

        options = []
        for i, opt in enumerate(obj.get("options") or []):
            if not isinstance(opt, dict) or not isinstance(opt.get("name"), str):
                raise ParseError(f"options[{i}] needs a string 'name'", source=source)
            value = opt.get("value")
            if value is not None and not isinstance(value, str):
                raise ParseError(f"options[{i}].value must be a string", source=source)
            options.append(DNSOption(opt["name"], value))
        return cls(strings("nameservers"), strings("searches"), tuple(options))


@dataclass(frozen=True)
class KubeletDNS:
    """The kubelet settings that shape Pod DNS."""

    cluster_domain: str = "cluster.local"
    cluster_dns: tuple[str, ...] = ("10.96.0.10",)
    resolv_conf: str | None = "/etc/resolv.conf"  # --resolv-conf; "" disables the node's file
    expanded_dns_config: bool = True  # v1.28+: 32 search paths, 2048 characters


@dataclass(frozen=True)
class HostDNS:
    """What kubelet reads from the node's resolv.conf (its own parser, not libc's)."""

    nameservers: tuple[str, ...] = ()
    searches: tuple[str, ...] = ()
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class PodDNSResult:
    nameservers: tuple[str, ...]
    searches: tuple[str, ...]
    options: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return render_resolv_conf(self.nameservers, self.searches, self.options)

    def to_json(self) -> dict[str, object]:
        """The shape ``infranotes dns pod-resolv-conf --json`` prints, with the file's text."""
        return {
            "nameservers": list(self.nameservers),
            "searches": list(self.searches),
            "options": list(self.options),
            "warnings": list(self.warnings),
            "text": self.text,
        }


def _omit_duplicates(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _append_options(options: list[str], new: list[str]) -> list[str]:
    """kubelet appendOptions: a later value for the same option name replaces the earlier one."""
    by_name = {opt.split(":", 1)[0]: opt for opt in options}
    for opt in new:
        by_name[opt.split(":", 1)[0]] = opt
    return list(by_name.values())


def parse_host_resolv_conf(
    text: str, source: str = "<node resolv.conf>"
) -> tuple[HostDNS, list[str]]:
    """kubelet's parseResolvConf: trims, ``#`` comments, last ``search`` wins, no ``domain``."""
    servers: list[str] = []
    searches: list[str] = []
    options: list[str] = []
    errors = []
    for no, line in enumerate(text.split("\n"), start=1):
        trimmed = line.strip()
        if trimmed.startswith("#"):
            continue
        fields = trimmed.split()
        if not fields:
            continue
        if fields[0] == "nameserver":
            if len(fields) >= 2:
                servers.append(fields[1])
            else:
                errors.append(f"{source}:{no}: nameserver list is empty")
        elif fields[0] == "search":
            searches = [s.rstrip(".") if s.endswith(".") else s for s in fields[1:] if s != "."]
        elif fields[0] == "options":
            options = _append_options(options, fields[1:])
    return HostDNS(tuple(servers), tuple(searches), tuple(options)), errors


def _merge_options(existing: list[str], extra: tuple[DNSOption, ...]) -> list[str]:
    """kubelet mergeDNSOptions; kubelet's output order comes from a Go map, so we sort it."""
    merged: dict[str, str] = {}
    for op in existing:
        name, _, value = op.partition(":")
        merged[name] = value
    for op in extra:
        merged[op.name] = op.value or ""
    return [f"{k}:{v}" if v else k for k, v in sorted(merged.items())]


def _fit_search(searches: list[str], expanded: bool, warnings: list[str]) -> list[str]:
    max_paths, max_chars = (
        (MAX_SEARCH_PATHS, MAX_SEARCH_CHARS)
        if expanded
        else (LEGACY_MAX_SEARCH_PATHS, LEGACY_MAX_SEARCH_CHARS)
    )
    exceeded = False
    if len(searches) > max_paths:
        searches, exceeded = searches[:max_paths], True
    kept = [s for s in searches if len(s) <= MAX_DOMAIN_LENGTH]
    exceeded = exceeded or len(kept) != len(searches)
    line_len = len(" ".join(kept))
    if line_len > max_chars:
        cut = 0
        for s in reversed(kept):
            line_len -= len(s) + 1
            cut += 1
            if line_len <= max_chars:
                break
        kept, exceeded = kept[: len(kept) - cut], True
    if exceeded:
        warnings.append(
            "DNSConfigForming: Search Line limits were exceeded, some search paths have been "
            "omitted, the applied search line is: " + " ".join(kept)
        )
    return kept


def pod_resolv_conf(
    kubelet: KubeletDNS,
    namespace: str,
    *,
    dns_policy: str = "ClusterFirst",
    host_network: bool = False,
    dns_config: DNSConfig | None = None,
    node_resolv_conf: str = "",
) -> PodDNSResult:
    """The nameservers, search list and options kubelet hands the runtime for one Pod."""
    if dns_policy not in POLICIES:
        raise ParseError(
            f"unknown dnsPolicy {dns_policy!r}", source="dnsPolicy", expected=", ".join(POLICIES)
        )
    if dns_policy == "None" and dns_config is None:
        raise ParseError(
            "dnsPolicy None requires dnsConfig",
            source="dnsPolicy",
            expected="a dnsConfig with at least one nameserver",
        )
    warnings: list[str] = []
    host, errors = parse_host_resolv_conf(node_resolv_conf)
    warnings += errors
    servers, searches, options = list(host.nameservers), list(host.searches), list(host.options)

    cluster = dns_policy == "ClusterFirstWithHostNet" or (
        dns_policy == "ClusterFirst" and not host_network
    )
    if dns_policy == "None":
        servers, searches, options = [], [], []
    elif cluster and kubelet.cluster_dns:
        servers = list(kubelet.cluster_dns)
        if kubelet.cluster_domain:
            d = kubelet.cluster_domain
            searches = _omit_duplicates([f"{namespace}.svc.{d}", f"svc.{d}", d, *searches])
        options = list(DEFAULT_OPTIONS)
    else:
        if cluster:
            warnings.append(
                "MissingClusterDNS: kubelet does not have ClusterDNS IP configured and cannot "
                "create "
                'Pod using "ClusterFirst" policy. Falling back to "Default" policy.'
            )
        if kubelet.resolv_conf == "":
            servers, searches = ["127.0.0.1"], ["."]
    if dns_config is not None:
        servers = _omit_duplicates(servers + list(dns_config.nameservers))
        searches = _omit_duplicates(searches + list(dns_config.searches))
        options = _merge_options(options, dns_config.options)
    if len(servers) > MAX_NAMESERVERS:
        servers = servers[:MAX_NAMESERVERS]
        warnings.append(
            "DNSConfigForming: Nameserver limits were exceeded, some nameservers have been "
            "omitted, the applied nameserver line is: " + " ".join(servers)
        )
    searches = _fit_search(searches, kubelet.expanded_dns_config, warnings)
    return PodDNSResult(tuple(servers), tuple(searches), tuple(options), tuple(warnings))
