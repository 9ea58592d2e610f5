"""What only the DNS chapters show: outputs of the notebooks that no other code needs."""

from __future__ import annotations

from infranotes.dns.manifests import load_manifests
from infranotes.dns.records import generate


def generation_warnings(manifest: str, *, version: str = "1.1.0", lang: str = "en") -> str:
    """The warnings of :func:`~infranotes.dns.records.generate` for ``manifest``, as the
    chapter has always printed them: the tuple itself."""
    return str(generate(load_manifests(manifest), version=version, lang=lang).warnings)
