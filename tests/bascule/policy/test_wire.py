"""The in-process path decodes properties without the wire: it must see what a pack sees
after the engine's protobuf Struct round trip."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_policy.deserialize import deserialize_properties

from bascule.policy.wire import encode_value, engine_props, to_struct
from bascule.snapshot.model import SECRET_SIG, SIG_KEY, SecretValue
from bascule.snapshot.values import UNKNOWN

ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"

leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.just(UNKNOWN)
    | st.builds(SecretValue, st.text(max_size=8))
)
values = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=15,
)


def over_the_wire(props: dict[str, Any]) -> dict[str, Any]:
    decoded: dict[str, Any] = deserialize_properties(json_format.MessageToDict(to_struct(props)))
    return decoded


@settings(max_examples=200, deadline=None)
@given(props=st.dictionaries(st.text(max_size=8), values, max_size=5))
def test_engine_props_equal_the_struct_round_trip(props: dict[str, Any]) -> None:
    assert engine_props(props) == over_the_wire(props)


def test_engine_props_on_secrets_numbers_and_assets() -> None:
    props = {
        "password": SecretValue("hunter2"),
        "days": 365,
        "nested": {"ids": (1, 2), "secret": {SIG_KEY: SECRET_SIG, "value": "x"}},
        "asset": {SIG_KEY: ASSET_SIG, "text": "hello"},
    }
    decoded = engine_props(props)
    assert decoded["password"] == "[secret]"
    assert decoded["days"] == 365.0 and isinstance(decoded["days"], float)
    assert decoded["nested"] == {"ids": [1.0, 2.0], "secret": "x"}
    assert decoded["asset"].text == "hello"
    assert "hunter2" not in repr(decoded)
    assert encode_value(props)["password"] == {SIG_KEY: SECRET_SIG, "value": "[secret]"}
