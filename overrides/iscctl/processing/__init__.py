"""Reprocessing identities: the Python API of `iscctl identities process` and `status`.

Ids you already have (any iterable; the same engine as the command line):

- `process_all` (AsyncClient) / `process_all_sync` (Client) return a `ProcessReport`.

The whole job of choosing, processing and knowing that it finished (#15):

- `process_selected` / `process_selected_sync`: the identities a search `query` or a
  list `filters` expression matches, optionally waiting until processing finished;
  return a `SelectedRun` (its `.status` is a `StatusReport` when it waited).
- `check_status` / `check_status_sync`: a `StatusReport` for the run a journal records.
- `retry_failed` / `retry_failed_sync`: process again just the identities of a run that
  ended in error; return a `RetryResult` (the check and the new run).

Every name here is loaded on first use: the command line imports this package's
modules one by one, and should pay neither for the engine nor for the
generated search and task-status client where it does not use them. See
docs/processing.md.
"""

from __future__ import annotations

TYPE_CHECKING = False  # as in `iscctl/__init__.py`: importing typing alone costs start-up time
if TYPE_CHECKING:
    from typing import Any

    from iscctl.processing.api import process_all, process_all_sync
    from iscctl.processing.inputs import InputError, read_ids
    from iscctl.processing.journal import JournalError, default_journal_path
    from iscctl.processing.preparation import InvalidInputError
    from iscctl.processing.report import BatchResult, ProcessReport, RejectedId
    from iscctl.processing.selected_run import QueryRejectedError, SelectedRun
    from iscctl.processing.status_report import IdentityOutcome, StatusReport
    from iscctl.processing.verification import ProcessingDetails
    from iscctl.processing.waiting import WaitOptions
    from iscctl.processing.workflow import (
        RetryResult,
        check_status,
        check_status_sync,
        process_selected,
        process_selected_sync,
        retry_failed,
        retry_failed_sync,
    )

_LAZY: dict[str, str] = {
    "process_all": "iscctl.processing.api",
    "process_all_sync": "iscctl.processing.api",
    "InputError": "iscctl.processing.inputs",
    "read_ids": "iscctl.processing.inputs",
    "JournalError": "iscctl.processing.journal",
    "default_journal_path": "iscctl.processing.journal",
    "InvalidInputError": "iscctl.processing.preparation",
    "BatchResult": "iscctl.processing.report",
    "ProcessReport": "iscctl.processing.report",
    "RejectedId": "iscctl.processing.report",
    "IdentityOutcome": "iscctl.processing.status_report",
    "StatusReport": "iscctl.processing.status_report",
    "ProcessingDetails": "iscctl.processing.verification",
    "WaitOptions": "iscctl.processing.waiting",
    "QueryRejectedError": "iscctl.processing.selected_run",
    "RetryResult": "iscctl.processing.workflow",
    "SelectedRun": "iscctl.processing.selected_run",
    "check_status": "iscctl.processing.workflow",
    "check_status_sync": "iscctl.processing.workflow",
    "process_selected": "iscctl.processing.workflow",
    "process_selected_sync": "iscctl.processing.workflow",
    "retry_failed": "iscctl.processing.workflow",
    "retry_failed_sync": "iscctl.processing.workflow",
}

__all__ = [
    "BatchResult",
    "IdentityOutcome",
    "InputError",
    "InvalidInputError",
    "JournalError",
    "ProcessReport",
    "ProcessingDetails",
    "QueryRejectedError",
    "RejectedId",
    "RetryResult",
    "SelectedRun",
    "StatusReport",
    "WaitOptions",
    "check_status",
    "check_status_sync",
    "default_journal_path",
    "process_all",
    "process_all_sync",
    "process_selected",
    "process_selected_sync",
    "read_ids",
    "retry_failed",
    "retry_failed_sync",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:  # also how `from iscctl.processing import journal` finds submodules
        raise AttributeError(f"module 'iscctl.processing' has no attribute {name!r}")
    value = getattr(__import__(module, fromlist=[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
