"""Choosing identities by query or filter: default journals in the test's own folder."""

from ..identities_cli import state_dir_in_tmp_path  # noqa: F401 - an autouse fixture
