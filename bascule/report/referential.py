"""The SecNumCloud 3.2 requirements as data (`secnumcloud-3.2.json`): numbers, titles, who
each applies to, and the evidence a reviewer collects; which rules automate one comes from
the rules' own `secnumcloud` fields, never from this file."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

REFERENTIAL_FILE = "secnumcloud-3.2.json"
TENANT_SCOPES = ("tenant", "shared")  # the requirements that apply to an IaaS tenant


@dataclass(frozen=True)
class Requirement:
    id: str  # "10.5"
    title: str
    scope: str  # "tenant" | "shared" | "provider"
    evidence: str

    @property
    def chapter(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def applies_to_tenant(self) -> bool:
        return self.scope in TENANT_SCOPES


@dataclass(frozen=True)
class Referential:
    version: str
    source: str
    numbering: str
    chapters: Mapping[str, str]
    requirements: tuple[Requirement, ...]

    def by_id(self) -> dict[str, Requirement]:
        return {r.id: r for r in self.requirements}


def parse_referential(doc: Mapping[str, Any]) -> Referential:
    return Referential(
        version=str(doc["version"]),
        source=str(doc["source"]),
        numbering=str(doc["numbering"]),
        chapters={str(k): str(v) for k, v in doc["chapters"].items()},
        requirements=tuple(
            Requirement(str(r["id"]), str(r["title"]), str(r["scope"]), str(r["evidence"]))
            for r in doc["requirements"]
        ),
    )


@cache
def referential() -> Referential:
    """The bundled referential (package data, read once)."""
    text = resources.files("bascule.report").joinpath(REFERENTIAL_FILE).read_text("utf-8")
    return parse_referential(json.loads(text))


@dataclass(frozen=True)
class Coverage:
    chapter: str
    title: str
    applicable: int  # requirements that apply to a tenant
    automated: int  # of which at least one rule checks


def coverage(ref: Referential, rule_sections: Iterable[Sequence[str]]) -> list[Coverage]:
    """Per chapter: how many tenant requirements there are and how many rules automate."""
    automated_ids = {s for sections in rule_sections for s in sections}
    out = []
    for chapter, title in ref.chapters.items():
        mine = [r for r in ref.requirements if r.chapter == chapter and r.applies_to_tenant]
        if mine:
            done = sum(1 for r in mine if r.id in automated_ids)
            out.append(Coverage(chapter, title, len(mine), done))
    return out


def coverage_markdown(ref: Referential, rule_sections: Iterable[Sequence[str]]) -> str:
    """The README's coverage table (generated, kept in sync by a test)."""
    rows = coverage(ref, rule_sections)
    lines = [
        "| Chapter | Apply to a tenant | Automated by a rule |",
        "|---|---:|---:|",
    ]
    lines += [f"| {c.chapter}. {c.title} | {c.applicable} | {c.automated} |" for c in rows]
    total, done = sum(c.applicable for c in rows), sum(c.automated for c in rows)
    lines.append(f"| **All ({len(ref.requirements)} requirements)** | **{total}** | **{done}** |")
    return "\n".join(lines) + "\n"
