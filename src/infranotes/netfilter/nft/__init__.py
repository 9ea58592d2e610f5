"""nftables: ``nft -j list ruleset`` as a model, and a packet tracer over it."""

from infranotes.netfilter.nft.model import NftRuleset, parse_nft_json
from infranotes.netfilter.nft.trace import NftBranch, NftTrace, NftTracer

__all__ = ["NftBranch", "NftRuleset", "NftTrace", "NftTracer", "parse_nft_json"]
