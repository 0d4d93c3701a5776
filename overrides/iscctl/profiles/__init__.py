"""`identity-profiles import`: move identity-profile configuration between tenants safely.

    from iscctl import Client
    from iscctl.profiles import import_profiles, plan_import

    plan = plan_import("export.json", map_source=["HR Sandbox=HR Workday"])  # checks only
    with Client.from_environment() as isc:
        outcome = import_profiles(isc, plan, chunk_size=50)
    outcome.exit_code, [(v.profile.name, v.status) for v in outcome.verdicts()]

`import_profiles_async` does the same with an `AsyncClient`. Bad input raises
`ProfileInputError` (a `RequestValidationError`) listing every problem; nothing is sent.

The names below are loaded on first use, so that `iscctl identity-profiles --help`
does not pay for pydantic and the generated models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iscctl.profiles.plan import ImportPlan, PlannedProfile, plan_import
    from iscctl.profiles.problems import Problem, ProfileInputError
    from iscctl.profiles.runner import (
        DEFAULT_CHUNK_SIZE,
        ImportOutcome,
        import_profiles,
        import_profiles_async,
    )
    from iscctl.profiles.transform import SourceMapping
    from iscctl.profiles.verdicts import ChunkOutcome, ProfileStatus, ProfileVerdict

_LAZY = {
    "DEFAULT_CHUNK_SIZE": "iscctl.profiles.runner",
    "ChunkOutcome": "iscctl.profiles.verdicts",
    "ImportOutcome": "iscctl.profiles.runner",
    "ImportPlan": "iscctl.profiles.plan",
    "PlannedProfile": "iscctl.profiles.plan",
    "Problem": "iscctl.profiles.problems",
    "ProfileInputError": "iscctl.profiles.problems",
    "ProfileStatus": "iscctl.profiles.verdicts",
    "ProfileVerdict": "iscctl.profiles.verdicts",
    "SourceMapping": "iscctl.profiles.transform",
    "import_profiles": "iscctl.profiles.runner",
    "import_profiles_async": "iscctl.profiles.runner",
    "plan_import": "iscctl.profiles.plan",
}

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "ChunkOutcome",
    "ImportOutcome",
    "ImportPlan",
    "PlannedProfile",
    "Problem",
    "ProfileInputError",
    "ProfileStatus",
    "ProfileVerdict",
    "SourceMapping",
    "import_profiles",
    "import_profiles_async",
    "plan_import",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'iscctl.profiles' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
