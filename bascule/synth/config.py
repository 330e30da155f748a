"""Read `Pulumi.yaml` and `Pulumi.<stack>.yaml` into the config map the engine would pass.

Pure where possible: `build_config` turns parsed YAML documents into `(config, secret_keys)`;
`read_project`/`read_stack_file` do the file reading and turn failures into one-line errors.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bascule.errors import BadInputError
from bascule.synth.crypt import CryptError, SymmetricCrypter, crypter_from_salt

SECRET_PLACEHOLDER = "[secret]"
# Keys of a project-level config *schema* entry (as opposed to a plain default value).
SCHEMA_KEYS = frozenset({"type", "default", "description", "secret", "value", "items"})


MERGE_TAG = "tag:yaml.org,2002:merge"


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping that names the same key twice (Go's yaml.v3, which the engine uses, refuses
    it: "mapping key ... already defined")."""

    def __init__(self, key: Any, line: int, first: int) -> None:
        super().__init__(problem=f"duplicate key {key!r}")
        self.key, self.line, self.first = key, line, first


class _Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 core scalars like Go's yaml.v3: no `yes`/`no` booleans, no timestamps, and
    no key twice in one mapping (PyYAML would keep the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == MERGE_TAG:
                continue  # merge keys (<<) may repeat what they merge: later keys win
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise DuplicateKeyError(key, line, seen[key])
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


# Values a stack file may expand to once its aliases are resolved (Go's yaml.v3, which the
# engine uses, refuses "excessive aliasing" too): a "billion laughs" file is refused at once.
MAX_EXPANDED_VALUES = 1_000_000


def parse_yaml(text: str, label: str) -> Any:
    try:
        document = yaml.load(text, Loader=_Yaml12Loader)
    except RecursionError:
        raise BadInputError(f"{label}: not a stack file: YAML nested too deeply") from None
    except DuplicateKeyError as exc:
        raise BadInputError(
            f"{label}: line {exc.line}: duplicate key {exc.key!r} (already at line {exc.first})"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise BadInputError(f"{label}: not YAML{where}: {problem}") from None
    _check_expansion(document, label)
    return document


def _check_expansion(document: Any, label: str) -> None:
    """Count the values the document expands to, each shared (aliased) node once per use,
    in time linear in the distinct nodes; refuse recursive aliases."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: Any) -> int:
        if not isinstance(node, dict | list):
            return 1
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise BadInputError(f"{label}: not a stack file: a YAML alias refers to itself")
        in_progress.add(key)
        children = node.values() if isinstance(node, dict) else node
        total = 1
        for child in children:
            total += size(child)
            if total > MAX_EXPANDED_VALUES:
                raise BadInputError(
                    f"{label}: not a stack file: its YAML aliases expand to more than "
                    f"{MAX_EXPANDED_VALUES:,} values"
                )
        in_progress.discard(key)
        sizes[key] = total
        return total

    try:
        size(document)
    except RecursionError:
        raise BadInputError(f"{label}: not a stack file: YAML nested too deeply") from None


PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")


def is_stack_file_name(name: str) -> bool:
    """`Pulumi.<stack>.yaml` (or `.yml`), as the engine names stack settings files."""
    stem, dot, suffix = name.rpartition(".")
    return (
        dot == "."
        and suffix in ("yaml", "yml")
        and stem.startswith("Pulumi.")
        and len(stem) > len("Pulumi.")
    )


def stack_names(directory: Path) -> list[str]:
    """The stacks whose settings files sit in `directory` (files only: a directory named
    like one is not a stack)."""
    return sorted(
        {
            p.name[len("Pulumi.") :].rsplit(".", 1)[0]
            for p in directory.glob("Pulumi.*.y*ml")
            if is_stack_file_name(p.name) and p.is_file()
        }
    )


@dataclass(frozen=True)
class Project:
    name: str
    directory: Path
    config: Mapping[str, Any]

    def stacks(self) -> list[str]:
        return stack_names(self.directory)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadInputError(f"{path.name}: not YAML (not UTF-8 text)") from None
    except OSError as exc:
        raise BadInputError(f"{path.name}: cannot read ({exc.strerror})") from None


def read_project(project_dir: Path) -> Project:
    path = project_dir / "Pulumi.yaml"
    if not path.is_file():
        alt = project_dir / "Pulumi.yml"
        if not alt.is_file():
            raise BadInputError(f"{path}: no such file (not a Pulumi project directory)")
        path = alt
    doc = parse_yaml(_read_text(path), path.name)
    if not isinstance(doc, dict) or not isinstance(doc.get("name"), str) or not doc["name"]:
        raise BadInputError(f'{path.name}: missing project "name"')
    config = doc.get("config") or {}
    if not isinstance(config, dict):
        raise BadInputError(f'{path.name}: "config" is not a mapping')
    return Project(name=doc["name"], directory=project_dir, config=config)


def read_stack_file(
    project: Project, stack: str, path: Path | None = None
) -> tuple[Path, dict[str, Any]]:
    path = path or project.directory / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        stacks = ", ".join(project.stacks()) or "none"
        raise BadInputError(f"{path.name}: no such stack file (stacks: {stacks})")
    doc = parse_yaml(_read_text(path), path.name) or {}
    if not isinstance(doc, dict):
        raise BadInputError(f"{path.name}: not a stack settings mapping")
    return path, doc


def passphrase_from_env(env: Mapping[str, str]) -> str | None:
    if "PULUMI_CONFIG_PASSPHRASE" in env:
        return env["PULUMI_CONFIG_PASSPHRASE"]
    file = env.get("PULUMI_CONFIG_PASSPHRASE_FILE")
    if file:
        try:
            return Path(file).read_text(encoding="utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise BadInputError("PULUMI_CONFIG_PASSPHRASE_FILE: not UTF-8 text") from None
        except OSError as exc:
            raise BadInputError(
                f"PULUMI_CONFIG_PASSPHRASE_FILE: cannot read ({exc.strerror})"
            ) from None
    return None


def _full_key(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"} and isinstance(value["secure"], str)


def _has_secure(value: Any) -> bool:
    if _is_secure(value):
        return True
    if isinstance(value, dict):
        return any(_has_secure(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_secure(v) for v in value)
    return False


def _reveal(value: Any, decrypt: Callable[[str], str]) -> Any:
    if _is_secure(value):
        return decrypt(value["secure"])
    if isinstance(value, dict):
        return {k: _reveal(v, decrypt) for k, v in value.items()}
    if isinstance(value, list):
        return [_reveal(v, decrypt) for v in value]
    return value


def _as_config_string(value: Any) -> str:
    # The engine hands scalars over as their text and structured values as JSON text.
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return str(value)


def build_config(
    project: Project,
    stack_doc: Mapping[str, Any],
    label: str,
    passphrase: str | None,
) -> tuple[dict[str, str], list[str]]:
    """The engine's config map and secret key list for one stack (project defaults first)."""
    merged: dict[str, Any] = {}
    for key, value in project.config.items():
        if isinstance(value, dict) and value and set(value) <= SCHEMA_KEYS:
            if "value" in value:
                merged[_full_key(key, project.name)] = value["value"]
            elif "default" in value:
                merged[_full_key(key, project.name)] = value["default"]
        else:
            merged[_full_key(key, project.name)] = value
    stack_config = stack_doc.get("config") or {}
    if not isinstance(stack_config, dict):
        raise BadInputError(f'{label}: "config" is not a mapping')
    for key, value in stack_config.items():
        merged[_full_key(str(key), project.name)] = value

    crypter: SymmetricCrypter | None = None
    salt = stack_doc.get("encryptionsalt")

    def decrypt(ciphertext: str) -> str:
        nonlocal crypter
        if passphrase is None or not isinstance(salt, str):
            return SECRET_PLACEHOLDER
        try:
            if crypter is None:  # the key derivation is slow: once per stack
                crypter = crypter_from_salt(passphrase, salt)
            return crypter.decrypt(ciphertext)
        except CryptError as exc:
            raise BadInputError(f"{label}: {exc}") from None

    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in merged.items():
        if _has_secure(value):
            secret_keys.append(key)
            value = _reveal(value, decrypt)
        config[key] = _as_config_string(value)
    return config, secret_keys


def load_stack_config(
    project: Project,
    stack: str,
    env: Mapping[str, str] | None = None,
    stack_file: Path | None = None,
) -> tuple[dict[str, str], list[str]]:
    path, doc = read_stack_file(project, stack, stack_file)
    passphrase = passphrase_from_env(os.environ if env is None else env)
    return build_config(project, doc, path.name, passphrase)
