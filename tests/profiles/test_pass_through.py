"""Whatever transform attributes and extra fields hold, they are sent exactly as read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from iscctl.profiles import plan_import

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


def _export(attributes: dict[str, Any], extra: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "self": {"type": "IDENTITY_PROFILE", "name": "P"},
        "object": {
            "id": "read-only",
            "name": "P",
            "authoritativeSource": {"type": "SOURCE", "name": "HR Workday"},
            "identityAttributeConfig": {
                "attributeTransforms": [
                    {
                        "identityAttributeName": "a",
                        "transformDefinition": {"type": "t", "attributes": attributes},
                    }
                ]
            },
            "futureField": extra,
        },
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(attributes=st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=5), extra=JSON_VALUES)
def test_a_file_round_trips_to_the_same_json(
    attributes: dict[str, Any], extra: Any, tmp_path: Path
) -> None:
    exported = _export(attributes, extra)
    path = tmp_path / "export.json"
    path.write_text(json.dumps([exported]), encoding="utf-8")
    [profile] = plan_import(str(path)).profiles
    del exported["object"]["id"]
    assert json.dumps(profile.body, sort_keys=True) == json.dumps(exported, sort_keys=True)
