"""props.by_type (the type dispatch of resource checks) and the parameter factories."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bascule.rules import props as p
from bascule.rules.base import Param, ResourceView
from bascule.rules.check import Params

NEW, LEGACY = "scaleway:object/bucket:Bucket", "scaleway:index/objectBucket:ObjectBucket"
SWIFT = "openstack:objectstorage/container:Container"


def _view(type_: str, **props: Any) -> ResourceView:
    return ResourceView(type=type_, props=props, urn=f"urn:pulumi:dev::b::{type_}::r", name="r")


def _acl(view: ResourceView, params: Params) -> Iterator[str]:
    yield f"{view.type.split(':')[1]} acl {view.props.get('acl')}"


def _policy(view: ResourceView, params: Params) -> Iterator[str]:
    yield f"policy {params['policy']}"


CHECK = p.by_type(((NEW, LEGACY), _acl), (SWIFT, _policy))


def test_by_type_runs_the_sub_check_of_each_token_of_a_case() -> None:
    assert list(CHECK(_view(NEW, acl="private"), {})) == ["object/bucket acl private"]
    assert list(CHECK(_view(LEGACY, acl="x"), {})) == ["index/objectBucket acl x"]
    assert list(CHECK(_view(SWIFT), {"policy": "encrypted"})) == ["policy encrypted"]


def test_by_type_gives_no_message_for_a_type_no_case_names() -> None:
    assert list(CHECK(_view("scaleway:object/item:Item", acl="public-read"), {})) == []


def test_by_type_refuses_a_type_in_two_cases() -> None:
    with pytest.raises(ValueError, match=f"^{SWIFT}: in two cases of one type dispatch$"):
        p.by_type((SWIFT, _acl), ((NEW, SWIFT), _policy))


def test_str_list_and_health_classes_params() -> None:
    schema = {"type": "array", "items": {"type": "string"}}
    assert Param.str_list(["a"], "d") == Param(schema, ["a"], "d")
    assert p.health_classes_param("h") == Param(schema, list(p.HEALTH_CLASSES), "h")
