from enum import StrEnum


class SearchIndex(StrEnum):
    ACCESSPROFILES = "accessprofiles"
    ACCOUNTACTIVITIES = "accountactivities"
    ENTITLEMENTS = "entitlements"
    EVENTS = "events"
    IDENTITIES = "identities"
    ROLES = "roles"
    VALUE_6 = "*"

    def __str__(self) -> str:
        return str(self.value)
