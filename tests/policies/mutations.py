"""Edits on a `pulumi stack export` JSON, as a reviewer would hand-edit one: the mechanism of
the prod mutation test and its Scaleway twin (tests/data/rules/<ID>/prod-mutation.json,
scaleway-mutation.json; docs/adding-a-rule.md).

`set` and `drop` change inputs and outputs both (resource rules read inputs, stack rules
outputs); `add` appends a resource; `provider` re-points a resource at another provider
reference ("" for none: the engine's default provider).
"""

from __future__ import annotations

import json
from typing import Any

Doc = dict[str, Any]


def _resource(doc: Doc, urn: str) -> Doc:
    for resource in doc["deployment"]["resources"]:
        if resource["urn"] == urn:
            return resource
    raise AssertionError(f"{urn} is not in the snapshot")


def _walk(node: Any, parents: list[str]) -> Any:
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    return node


def edit_export(doc: Doc, edit: Doc) -> str:
    """Apply one edit (`set`, `drop`, `provider` or `add`); the URN it touched."""
    if "add" in edit:
        doc["deployment"]["resources"].append(json.loads(json.dumps(edit["add"])))
        return str(edit["add"]["urn"])
    resource = _resource(doc, edit["urn"])
    if "provider" in edit:
        resource["provider"] = edit["provider"]
    for side in ("inputs", "outputs"):
        if not resource.get(side):
            continue
        for path, value in edit.get("set", {}).items():
            *parents, leaf = path.split(".")
            node = _walk(resource[side], parents)
            node[int(leaf) if isinstance(node, list) else leaf] = value
        for path in edit.get("drop", []):
            *parents, leaf = path.split(".")
            _walk(resource[side], parents).pop(leaf, None)
    return str(edit["urn"])
