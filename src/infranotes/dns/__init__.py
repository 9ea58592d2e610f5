"""DNS for Pods: resolv.conf, search lists, kubelet's Pod resolv.conf, zones, a logging server."""

from infranotes.dns.kubelet import DNSConfig, KubeletDNS, PodDNSResult, pod_resolv_conf
from infranotes.dns.resolvconf import Options, ResolvConf, parse_resolv_conf, render_resolv_conf
from infranotes.dns.search import Lookup, candidates, resolve
from infranotes.dns.zone import Zone, ZoneSet, parse_zone

__all__ = [
    "DNSConfig",
    "KubeletDNS",
    "Lookup",
    "Options",
    "PodDNSResult",
    "ResolvConf",
    "Zone",
    "ZoneSet",
    "candidates",
    "parse_resolv_conf",
    "parse_zone",
    "pod_resolv_conf",
    "render_resolv_conf",
    "resolve",
]
