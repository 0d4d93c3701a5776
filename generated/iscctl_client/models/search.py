from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.search_index import SearchIndex
from ..models.search_query_type import SearchQueryType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.query_result_filter import QueryResultFilter
    from ..models.search_query import SearchQuery


T = TypeVar("T", bound="Search")


@_attrs_define
class Search:
    """A search request (the fields iscctl uses; SailPoint declares more).

    Attributes:
        indices (list[SearchIndex] | Unset): The indices to search; left out, all of them.
        query_type (SearchQueryType | Unset):
        query (SearchQuery | Unset):
        include_nested (bool | Unset): False drops nested objects (accounts, access, ...) from the hits.
        query_result_filter (QueryResultFilter | Unset): Field projection of the hits; keep `id` and `name`.
        sort (list[str] | Unset): Field names, `+`/`-` prefix for the direction; end with `id` for a total order.
        search_after (list[str] | Unset): The previous page's last values of the `sort` fields, in the same order.
    """

    indices: list[SearchIndex] | Unset = UNSET
    query_type: SearchQueryType | Unset = UNSET
    query: SearchQuery | Unset = UNSET
    include_nested: bool | Unset = UNSET
    query_result_filter: QueryResultFilter | Unset = UNSET
    sort: list[str] | Unset = UNSET
    search_after: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        indices: list[str] | Unset = UNSET
        if not isinstance(self.indices, Unset):
            indices = []
            for indices_item_data in self.indices:
                indices_item = indices_item_data.value
                indices.append(indices_item)

        query_type: str | Unset = UNSET
        if not isinstance(self.query_type, Unset):
            query_type = self.query_type.value

        query: dict[str, Any] | Unset = UNSET
        if not isinstance(self.query, Unset):
            query = self.query.to_dict()

        include_nested = self.include_nested

        query_result_filter: dict[str, Any] | Unset = UNSET
        if not isinstance(self.query_result_filter, Unset):
            query_result_filter = self.query_result_filter.to_dict()

        sort: list[str] | Unset = UNSET
        if not isinstance(self.sort, Unset):
            sort = self.sort

        search_after: list[str] | Unset = UNSET
        if not isinstance(self.search_after, Unset):
            search_after = self.search_after

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if indices is not UNSET:
            field_dict["indices"] = indices
        if query_type is not UNSET:
            field_dict["queryType"] = query_type
        if query is not UNSET:
            field_dict["query"] = query
        if include_nested is not UNSET:
            field_dict["includeNested"] = include_nested
        if query_result_filter is not UNSET:
            field_dict["queryResultFilter"] = query_result_filter
        if sort is not UNSET:
            field_dict["sort"] = sort
        if search_after is not UNSET:
            field_dict["searchAfter"] = search_after

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.query_result_filter import QueryResultFilter  # noqa: PLC0415
        from ..models.search_query import SearchQuery  # noqa: PLC0415

        d = dict(src_dict)
        _indices = d.pop("indices", UNSET)
        indices: list[SearchIndex] | Unset = UNSET
        if _indices is not UNSET:
            indices = []
            for indices_item_data in _indices:
                indices_item = SearchIndex(indices_item_data)

                indices.append(indices_item)

        _query_type = d.pop("queryType", UNSET)
        query_type: SearchQueryType | Unset
        if isinstance(_query_type, Unset):
            query_type = UNSET
        else:
            query_type = SearchQueryType(_query_type)

        _query = d.pop("query", UNSET)
        query: SearchQuery | Unset
        if isinstance(_query, Unset):
            query = UNSET
        else:
            query = SearchQuery.from_dict(_query)

        include_nested = d.pop("includeNested", UNSET)

        _query_result_filter = d.pop("queryResultFilter", UNSET)
        query_result_filter: QueryResultFilter | Unset
        if isinstance(_query_result_filter, Unset):
            query_result_filter = UNSET
        else:
            query_result_filter = QueryResultFilter.from_dict(_query_result_filter)

        sort = cast(list[str], d.pop("sort", UNSET))

        search_after = cast(list[str], d.pop("searchAfter", UNSET))

        search = cls(
            indices=indices,
            query_type=query_type,
            query=query,
            include_nested=include_nested,
            query_result_filter=query_result_filter,
            sort=sort,
            search_after=search_after,
        )

        search.additional_properties = d
        return search

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
