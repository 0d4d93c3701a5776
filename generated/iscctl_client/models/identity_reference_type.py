from enum import StrEnum


class IdentityReferenceType(StrEnum):
    IDENTITY = "IDENTITY"

    def __str__(self) -> str:
        return str(self.value)
