from enum import StrEnum


class CompletionStatus(StrEnum):
    ERROR = "ERROR"
    SUCCESS = "SUCCESS"
    TEMPERROR = "TEMPERROR"
    TERMINATED = "TERMINATED"
    WARNING = "WARNING"

    def __str__(self) -> str:
        return str(self.value)
