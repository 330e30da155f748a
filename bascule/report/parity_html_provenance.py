"""The parity page's provenance block: which bascule, when, from which two inputs."""

from __future__ import annotations

from html import escape

from bascule.parity.model import InputRef, Provenance


def _input(ref: InputRef) -> str:
    detail = f", {ref.detail}" if ref.detail else ""
    return f"{escape(ref.label)} <small>({escape(ref.kind)}{escape(detail)})</small>"


def provenance_block(provenance: Provenance | None) -> str:
    if provenance is None:
        return (
            '<p class="note" id="provenance">Provenance not recorded: this page was rendered '
            "outside the <code>bascule parity</code> command.</p>"
        )
    commit = provenance.bascule_commit or "unknown"
    rows = (
        ("bascule", f"{escape(provenance.bascule_version)}, commit {escape(commit)}"),
        ("generated", escape(provenance.generated_at)),
        ("source", _input(provenance.source)),
        ("target", _input(provenance.target)),
    )
    items = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<dl class="provenance" id="provenance">{items}</dl>'
