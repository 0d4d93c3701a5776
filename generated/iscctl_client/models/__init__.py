"""Contains all the data models used in inputs/outputs

Each model is imported on first use (PEP 562): importing one endpoint module, which
reaches its models through this package, does not load every model of the API.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .completion_status import CompletionStatus
    from .document_reference import DocumentReference
    from .error_field_response import ErrorFieldResponse
    from .error_message_dto import ErrorMessageDto
    from .error_response_dto import ErrorResponseDto
    from .identity import Identity
    from .identity_attribute_config import IdentityAttributeConfig
    from .identity_attribute_transform import IdentityAttributeTransform
    from .identity_attributes_type_0 import IdentityAttributesType0
    from .identity_default_filter import IdentityDefaultFilter
    from .identity_document import IdentityDocument
    from .identity_document_attributes_type_0 import IdentityDocumentAttributesType0
    from .identity_exception_report_reference import IdentityExceptionReportReference
    from .identity_lifecycle_state import IdentityLifecycleState
    from .identity_profile import IdentityProfile
    from .identity_profile_authoritative_source import (
        IdentityProfileAuthoritativeSource,
    )
    from .identity_profile_exported_object import IdentityProfileExportedObject
    from .identity_profile_owner import IdentityProfileOwner
    from .identity_reference_type import IdentityReferenceType
    from .identity_status import IdentityStatus
    from .import_object import ImportObject
    from .imported_object_type import ImportedObjectType
    from .locale_origin import LocaleOrigin
    from .object_import_result import ObjectImportResult
    from .process_bad_request_body import ProcessBadRequestBody
    from .process_identities_request import ProcessIdentitiesRequest
    from .processing_details import ProcessingDetails
    from .processing_state import ProcessingState
    from .query_result_filter import QueryResultFilter
    from .rate_limit_exceeded_response import RateLimitExceededResponse
    from .search import Search
    from .search_index import SearchIndex
    from .search_query import SearchQuery
    from .search_query_type import SearchQueryType
    from .self_import_export_dto import SelfImportExportDto
    from .source import Source
    from .source_reference_type import SourceReferenceType
    from .sp_config_message import SpConfigMessage
    from .sp_config_message_details import SpConfigMessageDetails
    from .sp_config_object_type import SpConfigObjectType
    from .task_result_completion_status import TaskResultCompletionStatus
    from .task_result_response import TaskResultResponse
    from .task_result_simplified import TaskResultSimplified
    from .task_status import TaskStatus
    from .task_status_attributes_type_0 import TaskStatusAttributesType0
    from .task_status_messages_type_0_item import TaskStatusMessagesType0Item
    from .transform import Transform
    from .transform_attributes_type_0 import TransformAttributesType0
    from .transform_definition import TransformDefinition
    from .transform_definition_attributes import TransformDefinitionAttributes

# model name -> the module (in this package) that defines it
_MODULES = {
    "CompletionStatus": ".completion_status",
    "DocumentReference": ".document_reference",
    "ErrorFieldResponse": ".error_field_response",
    "ErrorMessageDto": ".error_message_dto",
    "ErrorResponseDto": ".error_response_dto",
    "Identity": ".identity",
    "IdentityAttributeConfig": ".identity_attribute_config",
    "IdentityAttributeTransform": ".identity_attribute_transform",
    "IdentityAttributesType0": ".identity_attributes_type_0",
    "IdentityDefaultFilter": ".identity_default_filter",
    "IdentityDocument": ".identity_document",
    "IdentityDocumentAttributesType0": ".identity_document_attributes_type_0",
    "IdentityExceptionReportReference": ".identity_exception_report_reference",
    "IdentityLifecycleState": ".identity_lifecycle_state",
    "IdentityProfile": ".identity_profile",
    "IdentityProfileAuthoritativeSource": ".identity_profile_authoritative_source",
    "IdentityProfileExportedObject": ".identity_profile_exported_object",
    "IdentityProfileOwner": ".identity_profile_owner",
    "IdentityReferenceType": ".identity_reference_type",
    "IdentityStatus": ".identity_status",
    "ImportObject": ".import_object",
    "ImportedObjectType": ".imported_object_type",
    "LocaleOrigin": ".locale_origin",
    "ObjectImportResult": ".object_import_result",
    "ProcessBadRequestBody": ".process_bad_request_body",
    "ProcessIdentitiesRequest": ".process_identities_request",
    "ProcessingDetails": ".processing_details",
    "ProcessingState": ".processing_state",
    "QueryResultFilter": ".query_result_filter",
    "RateLimitExceededResponse": ".rate_limit_exceeded_response",
    "Search": ".search",
    "SearchIndex": ".search_index",
    "SearchQuery": ".search_query",
    "SearchQueryType": ".search_query_type",
    "SelfImportExportDto": ".self_import_export_dto",
    "Source": ".source",
    "SourceReferenceType": ".source_reference_type",
    "SpConfigMessage": ".sp_config_message",
    "SpConfigMessageDetails": ".sp_config_message_details",
    "SpConfigObjectType": ".sp_config_object_type",
    "TaskResultCompletionStatus": ".task_result_completion_status",
    "TaskResultResponse": ".task_result_response",
    "TaskResultSimplified": ".task_result_simplified",
    "TaskStatus": ".task_status",
    "TaskStatusAttributesType0": ".task_status_attributes_type_0",
    "TaskStatusMessagesType0Item": ".task_status_messages_type_0_item",
    "Transform": ".transform",
    "TransformAttributesType0": ".transform_attributes_type_0",
    "TransformDefinition": ".transform_definition",
    "TransformDefinitionAttributes": ".transform_definition_attributes",
}

if not TYPE_CHECKING:  # type checkers read the imports above instead

    def __getattr__(name: str) -> object:
        module = _MODULES.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(module, __name__), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})


__all__ = (
    "CompletionStatus",
    "DocumentReference",
    "ErrorFieldResponse",
    "ErrorMessageDto",
    "ErrorResponseDto",
    "Identity",
    "IdentityAttributeConfig",
    "IdentityAttributesType0",
    "IdentityAttributeTransform",
    "IdentityDefaultFilter",
    "IdentityDocument",
    "IdentityDocumentAttributesType0",
    "IdentityExceptionReportReference",
    "IdentityLifecycleState",
    "IdentityProfile",
    "IdentityProfileAuthoritativeSource",
    "IdentityProfileExportedObject",
    "IdentityProfileOwner",
    "IdentityReferenceType",
    "IdentityStatus",
    "ImportedObjectType",
    "ImportObject",
    "LocaleOrigin",
    "ObjectImportResult",
    "ProcessBadRequestBody",
    "ProcessIdentitiesRequest",
    "ProcessingDetails",
    "ProcessingState",
    "QueryResultFilter",
    "RateLimitExceededResponse",
    "Search",
    "SearchIndex",
    "SearchQuery",
    "SearchQueryType",
    "SelfImportExportDto",
    "Source",
    "SourceReferenceType",
    "SpConfigMessage",
    "SpConfigMessageDetails",
    "SpConfigObjectType",
    "TaskResultCompletionStatus",
    "TaskResultResponse",
    "TaskResultSimplified",
    "TaskStatus",
    "TaskStatusAttributesType0",
    "TaskStatusMessagesType0Item",
    "Transform",
    "TransformAttributesType0",
    "TransformDefinition",
    "TransformDefinitionAttributes",
)
