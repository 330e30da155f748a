"""The parity and drift pages' inline style and frame, and how a wave status (any word) maps
to a look.

Colours never carry meaning alone: weaker cells say ▼, stronger ▲, smaller-but-at-parity ≈,
and every status is written out.
"""

from __future__ import annotations

from html import escape

# Wave statuses the stack config uses or will use -> a look. Any other word is shown as
# written, in the neutral "other" look: a new status is never mistaken for a known one.
STATUS_LOOKS = {
    "planned": "planned",
    "migrating": "active",
    "replicating": "active",
    "parallel": "active",
    "cutover": "done",
    "rolled-back": "rollback",
    "decommissioned": "retired",
}
OTHER_LOOK = "other"


def status_look(status: str | None) -> str:
    """The CSS look (class `s-<look>`) of a wave status: a fixed word, never the input."""
    return STATUS_LOOKS.get((status or "").strip().lower(), OTHER_LOOK)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 2rem 2rem;
color:#1f2933;background:#f7f9fb}
[id]{scroll-margin-top:3.5rem}
h1{margin:1rem 0 .2rem;font-size:1.6rem}h2{margin:1.6rem 0 .5rem;font-size:1.2rem}
h3{margin:1rem 0 .3rem;font-size:1rem}
.sub{color:#52606d;margin-bottom:.8rem}
.verdict{display:inline-block;padding:.5rem 1.2rem;border-radius:.4rem;font-size:1.3rem;
font-weight:700;color:#fff}.verdict.ready{background:#2f9e44}.verdict.blocked{background:#c92a2a}
dl.provenance{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;
margin:.8rem 0;font-size:.85rem;color:#3e4c59}dl.provenance dt{font-weight:600}
dl.provenance dd{margin:0}
nav.toc{position:sticky;top:0;z-index:2;background:#f7f9fb;border-bottom:1px solid #d9e2ec;
padding:.5rem 0;font-size:.9rem}nav.toc a{margin-right:.9rem;white-space:nowrap}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:.4rem;padding:.6rem 1rem;
min-width:6rem}.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;background:#fff;width:100%;margin:.3rem 0;font-size:.88rem}
th,td{border:1px solid #d9e2ec;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#e4ecf4}
td.weaker{background:#ffe3e3;color:#8a1c1c;font-weight:600}
td.stronger{background:#d3f9d8;color:#1b5e20}
td.allowed{background:#fff3bf;color:#6b4e00}
.mark{font-weight:700;margin-right:.25rem}
small.renamed{display:block;color:#52606d}
.badge{border-radius:.3rem;padding:.05rem .45rem;color:#fff;font-size:.8rem;font-weight:600;
white-space:nowrap}
.b-ok{background:#2f9e44}.b-missing,.b-weaker{background:#c92a2a}.b-extra{background:#1c7ed6}
.b-stronger{background:#0c8599}.b-accepted{background:#e67700}
.v-ready{background:#2f9e44}.v-blocked{background:#c92a2a}.v-empty{background:#868e96}
ol.blocking li{margin:.2rem 0}
section.wave{background:#fff;border:1px solid #d9e2ec;border-left-width:.5rem;
border-radius:.3rem;margin:1.2rem 0;padding:.2rem 1rem .8rem}
section.wave>h2{margin-top:.6rem}
.why{margin:.3rem 0 .6rem}
.chip{border-radius:1rem;padding:.05rem .6rem;font-size:.8rem;font-weight:600;
border:2px solid transparent;white-space:nowrap}
.date{font-size:.9rem;font-weight:400;color:#3e4c59;margin-left:.4rem}
section.s-done{border-left:.5rem solid #2f9e44;background:#f4fcf5}
.chip.s-done{background:#2f9e44;color:#fff}
section.s-active{border-left:.5rem solid #1c7ed6;background:#f3f9ff}
.chip.s-active{background:#1c7ed6;color:#fff}
section.s-planned{border-left:.5rem dashed #adb5bd;background:#fcfcfd}
section.s-planned>h2{color:#52606d}
.chip.s-planned{background:#fff;color:#52606d;border:2px dashed #adb5bd}
section.s-rollback{border-left:.5rem solid #e8590c;background:#fff8f1}
.chip.s-rollback{background:#e8590c;color:#fff}
section.s-retired{border-left:.5rem solid #495057;background:#f5f6f7}
.chip.s-retired{background:#495057;color:#fff}
section.s-other{border-left:.5rem dotted #868e96}
.chip.s-other{background:#fff;color:#3e4c59;border:2px dotted #868e96}
section.platform{border-left:.5rem double #5f3dc4}
input.show{position:absolute;opacity:0;width:1px;height:1px}
.filters{margin:1rem 0 .2rem;font-size:.9rem}
.filters label{display:inline-block;border:1px solid #9aa5b1;border-radius:.3rem;
padding:.15rem .6rem;margin-right:.3rem;cursor:pointer;background:#fff}
#show-all:checked~.filters label[for=show-all],#show-gaps:checked~.filters label[for=show-gaps],
#show-blocking:checked~.filters label[for=show-blocking]{background:#1f2933;color:#fff}
input.show:focus-visible~.filters{outline:2px solid #1c7ed6}
#show-gaps:checked~main tbody tr.at-parity{display:none}
#show-blocking:checked~main tbody tr:not(.blocking){display:none}
main tbody tr:target{outline:3px solid #1c7ed6;display:table-row!important}
.legend span{margin-right:1rem;white-space:nowrap}
.note{color:#52606d;font-size:.9rem}
"""


def page(title: str, body: str) -> str:
    """A whole self-contained page: the head (charset, viewport, title, inline CSS), then
    `body` (its last line ended)."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{CSS}</style></head><body>
{body}</body></html>
"""
