"""Which source object is which target object (pure).

In order, each step pairing only what the ones before left unpaired, within one capability:
1. the pairing file (`--pairing`, `pairing_file.py`): its entries in order, the first whose
   pattern matches a source object wins;
2. by role: the one gateway and the one audit trail of each estate, whatever their names;
3. by tags: the `project` and `role` tags (vocabulary.PAIRING_TAGS) equal on both sides, and
   held by one object on each side;
4. by name, then by normalised name (lower case, separators and type words such as `vm`,
   `vnet`, `st` dropped: `vm-web-01` is `web-01`), unique on each side.
Nothing is guessed among several candidates: what stays unpaired is reported missing
(source only) or extra (target only).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bascule.errors import BadInputError
from bascule.parity import vocabulary as v
from bascule.parity.model import ROLE, CanonicalObject, Capability, Pair

# One object per estate by design: matched by role, not by name.
SINGLETONS = (Capability.GATEWAY, Capability.LOGGING, Capability.INTERCONNECT)
BY_FILE = "pairing file"
BY_NORMALISED_NAME = "normalised name"
URN_PREFIX = "urn:pulumi:"
CAPABILITIES = frozenset(str(c) for c in Capability)


@dataclass(frozen=True)
class PairingRule:
    """`pattern -> target`: the pattern a source URN, `capability/name` or name (globs `*`
    and `?`, case-insensitive); the target a name, `capability/name` or URN, each `*` in it
    taking what the pattern's wildcards matched, in order."""

    pattern: str
    target: str
    where: str  # how messages name the entry: `pairing.yaml: pairs["vm-*"]`

    def _subject(self, obj: CanonicalObject) -> list[str]:
        if self.pattern.lower().startswith(URN_PREFIX):
            return list(obj.urns)
        head = self.pattern.split("/", 1)[0].lower()
        return [obj.key] if head in CAPABILITIES else [obj.name]

    def match(self, obj: CanonicalObject) -> tuple[str, ...] | None:
        """What the wildcards matched, or None when the pattern does not match `obj`."""
        regex = glob_regex(self.pattern)
        for subject in self._subject(obj):
            found = regex.fullmatch(subject)
            if found:
                return found.groups()
        return None

    def expand(self, groups: Sequence[str]) -> str:
        parts = self.target.split("*")
        out = parts[0]
        for index, part in enumerate(parts[1:]):
            out += (groups[index] if index < len(groups) else "") + part
        return out


def glob_regex(pattern: str) -> re.Pattern[str]:
    parts = [
        "(.*)" if c == "*" else "(.)" if c == "?" else re.escape(c) for c in pattern
    ]  # each wildcard a group, for the target's `*`
    return re.compile("".join(parts), re.IGNORECASE)


def wildcards(text: str) -> int:
    return text.count("*") + text.count("?")


def normalised(name: str) -> str:
    """`vm-Web_01` and `web-01-instance` -> `web01`: lower case, no separators, no leading
    or trailing type word (vocabulary.NAME_AFFIXES); never empty."""
    words = [w for w in re.split(r"[^0-9a-z]+", name.lower()) if w]
    while len(words) > 1 and words[0] in v.NAME_AFFIXES:
        words = words[1:]
    while len(words) > 1 and words[-1] in v.NAME_AFFIXES:
        words = words[:-1]
    return "".join(words)


@dataclass
class _State:
    left: dict[str, CanonicalObject]  # source objects not paired yet, by key
    right: dict[str, CanonicalObject]  # target objects not paired yet, by key
    pairs: list[Pair]

    def take(
        self, source: CanonicalObject, target: CanonicalObject | None, name: str, by: str | None
    ) -> None:
        self.pairs.append(Pair(source.capability, name, source, target, by))
        del self.left[source.key]
        if target is not None:
            del self.right[target.key]


def _find_target(
    state: _State,
    every: Mapping[str, CanonicalObject],
    source: CanonicalObject,
    wanted: str,
    where: str,
) -> tuple[CanonicalObject | None, str]:
    """The target object an entry names, or None and the name it is expected under."""
    if wanted.lower().startswith(URN_PREFIX):
        found = next((o for o in every.values() if wanted in o.urns), None)
        name = wanted.rsplit("::", 1)[-1]
    else:
        head, _, rest = wanted.partition("/")
        key = wanted if head.lower() in CAPABILITIES and rest else f"{source.capability}/{wanted}"
        found = every.get(key)
        name = rest if head.lower() in CAPABILITIES and rest else wanted
    if found is None:
        return None, name
    if found.capability is not source.capability:
        raise BadInputError(
            f"{where}: {source.key} is a {source.capability}, {found.key} a {found.capability}"
        )
    if found.key not in state.right:
        owner = next(p.source.key for p in state.pairs if p.target is found and p.source)
        raise BadInputError(f"{where}: {found.key} is already paired with {owner}")
    return found, found.name


def _by_file(
    state: _State, every: Mapping[str, CanonicalObject], rules: Sequence[PairingRule]
) -> list[str]:
    notes = []
    for rule in rules:
        matched = [(o, g) for o in list(state.left.values()) if (g := rule.match(o)) is not None]
        if not matched:
            notes.append(f"{rule.where}: matches no source object")
            continue
        if len(matched) > 1 and "*" not in rule.target:
            names = ", ".join(sorted(o.key for o, _ in matched))
            raise BadInputError(
                f"{rule.where}: matches {len(matched)} source objects ({names}) for one "
                "target; use `*` in the target to pair each with its own"
            )
        for source, groups in matched:
            target, name = _find_target(state, every, source, rule.expand(groups), rule.where)
            state.take(source, target, name, BY_FILE)
    return notes


def _by_role(state: _State) -> None:
    for capability in SINGLETONS:
        sources = [o for o in state.left.values() if o.capability is capability]
        targets = [o for o in state.right.values() if o.capability is capability]
        if len(sources) == 1 and len(targets) == 1 and sources[0].key != targets[0].key:
            state.take(sources[0], targets[0], targets[0].name, ROLE)


def _unique_match(
    state: _State, key: Callable[[CanonicalObject], str | None], by: Callable[[str], str | None]
) -> None:
    """Pair objects of one capability whose `key` is equal and held by one object per side."""
    groups: dict[tuple[Capability, str], list[list[CanonicalObject]]] = defaultdict(
        lambda: [[], []]
    )
    for side, objects in enumerate((state.left, state.right)):
        for obj in sorted(objects.values(), key=lambda o: o.key):
            if (k := key(obj)) is not None:
                groups[(obj.capability, k)][side].append(obj)
    for (_, k), (sources, targets) in sorted(groups.items()):
        if len(sources) == 1 and len(targets) == 1:
            # Under one name, the pair needs no explaining however it was found.
            same = sources[0].name == targets[0].name
            state.take(sources[0], targets[0], targets[0].name, None if same else by(k))


def _tag_key(obj: CanonicalObject) -> str | None:
    """`project=x, role=y` (the tags it has of vocabulary.PAIRING_TAGS), None with neither."""
    values = [f"{t}={obj.labels[t]}" for t in v.PAIRING_TAGS if t in obj.labels]
    return ", ".join(values) or None


def pair_objects(
    source: Mapping[str, CanonicalObject],
    target: Mapping[str, CanonicalObject],
    rules: Sequence[PairingRule] = (),
) -> tuple[list[Pair], list[str]]:
    """Every object of either side in one pair, and the notes of the pairing file."""
    state = _State(dict(source), dict(target), [])
    notes = _by_file(state, target, rules)
    _by_role(state)
    _unique_match(state, _tag_key, lambda k: f"tags {k}")
    _unique_match(state, lambda o: o.name, lambda _: None)
    _unique_match(state, lambda o: normalised(o.name), lambda _: BY_NORMALISED_NAME)
    for obj in state.left.values():
        state.pairs.append(Pair(obj.capability, obj.name, obj, None))
    for obj in state.right.values():
        state.pairs.append(Pair(obj.capability, obj.name, None, obj))
    order = {c: i for i, c in enumerate(Capability)}
    return sorted(state.pairs, key=lambda p: (order[p.capability], p.name)), notes


def duplicate_targets(rules: Sequence[PairingRule]) -> list[str]:
    """Literal targets named by two entries (a mistake the file is refused for)."""
    counts = Counter(r.target.lower() for r in rules if "*" not in r.target)
    return sorted(t for t, n in counts.items() if n > 1)
