from enum import StrEnum


class IdentityStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DEACTIVATED = "DEACTIVATED"
    DISABLED = "DISABLED"
    ERROR = "ERROR"
    LOCKED = "LOCKED"
    PENDING = "PENDING"
    REGISTERED = "REGISTERED"
    TERMINATED = "TERMINATED"
    UNREGISTERED = "UNREGISTERED"
    WARNING = "WARNING"

    def __str__(self) -> str:
        return str(self.value)
