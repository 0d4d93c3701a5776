from enum import StrEnum


class SourceReferenceType(StrEnum):
    SOURCE = "SOURCE"

    def __str__(self) -> str:
        return str(self.value)
