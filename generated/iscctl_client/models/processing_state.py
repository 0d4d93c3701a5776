from enum import StrEnum


class ProcessingState(StrEnum):
    ERROR = "ERROR"
    OK = "OK"

    def __str__(self) -> str:
        return str(self.value)
