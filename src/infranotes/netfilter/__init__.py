"""netfilter and iptables: iptables-save parsing, the hook order, and a packet tracer."""

from infranotes.netfilter.packet import Node, Packet, parse_packet
from infranotes.netfilter.ruleset import Ruleset, parse_iptables_save
from infranotes.netfilter.trace import Branch, Step, Trace, Tracer

__all__ = [
    "Branch",
    "Node",
    "Packet",
    "Ruleset",
    "Step",
    "Trace",
    "Tracer",
    "parse_iptables_save",
    "parse_packet",
]
