from enum import StrEnum


class ImportedObjectType(StrEnum):
    CONNECTOR_RULE = "CONNECTOR_RULE"
    IDENTITY_OBJECT_CONFIG = "IDENTITY_OBJECT_CONFIG"
    IDENTITY_PROFILE = "IDENTITY_PROFILE"
    RULE = "RULE"
    SOURCE = "SOURCE"
    TRANSFORM = "TRANSFORM"
    TRIGGER_SUBSCRIPTION = "TRIGGER_SUBSCRIPTION"

    def __str__(self) -> str:
        return str(self.value)
