"""A user's own script outside the repository type-checks against the editable install.

`make` installs iscctl in editable mode with hatchling, whose .pth file names
overrides/ and generated/; setuptools' editable finder used to hide the packages from
mypy ("Cannot find implementation or library stub for module named iscctl"). The
script sits in a folder of its own, with no project configuration, as a user's would.
"""

from __future__ import annotations

import subprocess
import sys

import iscctl
import pytest

PUBLIC_NAMES = "".join(
    f"from iscctl import {name}\nreveal_type({name})\n" for name in iscctl.__all__
)
"""Every lazy export of `iscctl` as mypy sees it: a name missing from the package's
TYPE_CHECKING imports would be typed Any (through the module's `__getattr__`)."""

USER_SCRIPT = """\
from iscctl import Client, RetryPolicy
from iscctl_client.models import TaskResultResponse


def reprocess(ids: list[str]) -> str:
    with Client(base_url="acme", client_id="id", client_secret="secret") as isc:
        task = isc.process_identities(ids)
        return str(task.id)


retry: RetryPolicy = RetryPolicy()
reply: TaskResultResponse = TaskResultResponse.from_dict({"name": None})
"""

MISTAKE = """\
from iscctl import Client

Client(base_url=42)
"""


@pytest.mark.timeout(600)  # a cold mypy run over iscctl and its dependencies
def test_mypy_strict_sees_iscctl_from_a_script_outside_the_repo(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("users-own-code")
    (folder / "reprocess.py").write_text(USER_SCRIPT)
    (folder / "mistake.py").write_text(MISTAKE)
    (folder / "public_names.py").write_text(PUBLIC_NAMES)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(folder / ".cache"),
         "reprocess.py", "mistake.py", "public_names.py"],
        cwd=folder, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert "Cannot find implementation or library stub" not in output, output
    assert "reprocess.py" not in output, output
    # iscctl's types really are read (not Any): a wrong argument is caught.
    revealed = [line for line in output.splitlines() if "Revealed type is" in line]
    assert len(revealed) == len(iscctl.__all__), output
    assert not [line for line in revealed if '"Any"' in line], output
    errors = [line for line in output.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith("mistake.py:3:"), output
    assert 'Argument "base_url" to "Client" has incompatible type "int"' in errors[0]
