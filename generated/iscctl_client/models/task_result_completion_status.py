from enum import StrEnum


class TaskResultCompletionStatus(StrEnum):
    ERROR = "Error"
    SUCCESS = "Success"
    TEMPERROR = "TempError"
    TERMINATED = "Terminated"
    WARNING = "Warning"

    def __str__(self) -> str:
        return str(self.value)
