"""iscctl: process identities and import identity profiles in SailPoint ISC.

The hand-written layer around the generated client (`iscctl_client`) and the
generated request models (`iscctl_models`). Kept light on import: the command
line and the sandbox load their heavier dependencies only when used.
"""

__version__ = "0.1.0"
