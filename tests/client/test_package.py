"""The public names of `iscctl`, loaded only when used."""

from __future__ import annotations

import subprocess
import sys

import iscctl
import pytest


def test_import_iscctl_loads_neither_httpx_nor_pydantic_nor_typing() -> None:
    heavy = "{'httpx', 'pydantic', 'attrs', 'typing'}"
    code = f"import sys, iscctl; print(sorted({heavy} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_public_names_resolve_to_the_facade() -> None:
    from iscctl.client import AsyncClient, Client
    from iscctl.errors import ISCError
    from iscctl.retry import RetryPolicy

    assert iscctl.Client is Client
    assert iscctl.AsyncClient is AsyncClient
    assert iscctl.RetryPolicy is RetryPolicy
    assert iscctl.ISCError is ISCError
    assert set(iscctl.__all__) <= set(dir(iscctl))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Clinet'"):
        iscctl.Clinet  # noqa: B018
