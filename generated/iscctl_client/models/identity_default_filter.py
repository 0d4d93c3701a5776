from enum import StrEnum


class IdentityDefaultFilter(StrEnum):
    CORRELATED_ONLY = "CORRELATED_ONLY"
    NONE = "NONE"

    def __str__(self) -> str:
        return str(self.value)
