"""`identities process`: read ids, validate, dedupe, batch, send, journal, resume, report.

The Python API is `process_all` (AsyncClient) and `process_all_sync` (Client);
`iscctl identities process` is the same engine on the command line. See
docs/processing.md.
"""

from iscctl.processing.api import process_all, process_all_sync
from iscctl.processing.inputs import InputError, read_ids
from iscctl.processing.journal import JournalError, default_journal_path
from iscctl.processing.preparation import InvalidInputError
from iscctl.processing.report import BatchResult, ProcessReport, RejectedId

__all__ = [
    "BatchResult",
    "InputError",
    "InvalidInputError",
    "JournalError",
    "ProcessReport",
    "RejectedId",
    "default_journal_path",
    "process_all",
    "process_all_sync",
    "read_ids",
]
