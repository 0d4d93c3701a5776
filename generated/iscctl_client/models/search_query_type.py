from enum import StrEnum


class SearchQueryType(StrEnum):
    DSL = "DSL"
    SAILPOINT = "SAILPOINT"
    TEXT = "TEXT"
    TYPEAHEAD = "TYPEAHEAD"

    def __str__(self) -> str:
        return str(self.value)
