"""`identity-profiles import`: move identity-profile configuration between tenants safely.

    from iscctl import Client
    from iscctl.profiles import import_profiles, plan_import

    plan = plan_import("export.json", map_source=["HR Sandbox=HR Workday"])  # checks only
    with Client.from_environment() as isc:
        outcome = import_profiles(isc, plan, chunk_size=50)
    outcome.exit_code, [(v.profile.name, v.status) for v in outcome.verdicts()]

`import_profiles_async` does the same with an `AsyncClient`. Bad input raises
`ProfileInputError` (a `RequestValidationError`) listing every problem; nothing is sent.
"""

from iscctl.profiles.plan import ImportPlan, PlannedProfile, plan_import
from iscctl.profiles.problems import Problem, ProfileInputError
from iscctl.profiles.runner import (
    DEFAULT_CHUNK_SIZE,
    ChunkOutcome,
    ImportOutcome,
    ProfileStatus,
    ProfileVerdict,
    import_profiles,
    import_profiles_async,
)
from iscctl.profiles.transform import SourceMapping

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
