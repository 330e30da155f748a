"""`aliased` spells a pulumiverse-scaleway type and its deprecated alias once; every pair the
rules hold is checked against the aliases the installed SDK declares, so a pair that names an
alias the SDK does not have (a typo, a renamed module) fails here, not silently in a review."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import pulumiverse_scaleway

import bascule.rules
from bascule.rules.types import aliased

ALIAS = re.compile(r'pulumi\.Alias\(type_="([^"]+)"\)')
SNAKE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")  # the SDK's file of `sshKey` is `ssh_key.py`


def _sdk_aliases() -> dict[str, set[str]]:
    """Each Scaleway type of the installed SDK, with the alias types its class declares."""
    root = Path(pulumiverse_scaleway.__file__).parent
    text = (root / "__init__.py").read_text()
    start = text.index('resource_modules="""') + len('resource_modules="""')
    modules = json.loads(text[start : text.index('"""', start)])
    found: dict[str, set[str]] = {}
    for module in modules:
        folder = root.joinpath(*module["fqn"].split(".")[1:])
        name = SNAKE.sub("_", module["mod"].split("/")[-1]).lower()
        source = (folder / f"{name}.py").read_text()
        for token in module["classes"]:
            found[token] = set(ALIAS.findall(source))
    return found


def _rule_pairs() -> dict[str, tuple[str, str]]:
    """Every (type, `index/` alias) pair a rule module holds, by `module.NAME`."""
    pairs: dict[str, tuple[str, str]] = {}
    for info in pkgutil.iter_modules(bascule.rules.__path__):
        module = importlib.import_module(f"bascule.rules.{info.name}")
        for name, value in vars(module).items():
            if (
                isinstance(value, tuple)
                and len(value) == 2
                and all(isinstance(v, str) for v in value)
                and value[1].startswith("scaleway:index/")
            ):
                pairs[f"{info.name}.{name}"] = value
    return pairs


def test_aliased_spells_the_alias_from_its_module_name() -> None:
    assert aliased("object/bucket:Bucket", "objectBucket") == (
        "scaleway:object/bucket:Bucket",
        "scaleway:index/objectBucket:ObjectBucket",
    )
    assert aliased("loadbalancers/loadBalancer:LoadBalancer", "loadbalancer")[1] == (
        "scaleway:index/loadbalancer:Loadbalancer"
    )


def test_every_pair_the_rules_hold_is_a_type_and_an_alias_the_sdk_declares() -> None:
    sdk = _sdk_aliases()
    pairs = _rule_pairs()
    assert len(pairs) >= 30  # the rules' Scaleway kinds; fewer means the scan lost them
    wrong = {name: pair for name, pair in pairs.items() if pair[1] not in sdk.get(pair[0], set())}
    assert wrong == {}
