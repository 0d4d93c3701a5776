"""Contains all the data models used in inputs/outputs"""

from .error_field_response import ErrorFieldResponse
from .error_message_dto import ErrorMessageDto
from .error_response_dto import ErrorResponseDto
from .identity_attribute_config import IdentityAttributeConfig
from .identity_attribute_transform import IdentityAttributeTransform
from .identity_exception_report_reference import IdentityExceptionReportReference
from .identity_profile import IdentityProfile
from .identity_profile_authoritative_source import IdentityProfileAuthoritativeSource
from .identity_profile_exported_object import IdentityProfileExportedObject
from .identity_profile_owner import IdentityProfileOwner
from .identity_reference_type import IdentityReferenceType
from .import_object import ImportObject
from .imported_object_type import ImportedObjectType
from .locale_origin import LocaleOrigin
from .object_import_result import ObjectImportResult
from .process_identities_request import ProcessIdentitiesRequest
from .rate_limit_exceeded_response import RateLimitExceededResponse
from .self_import_export_dto import SelfImportExportDto
from .source_reference_type import SourceReferenceType
from .sp_config_message import SpConfigMessage
from .sp_config_message_details import SpConfigMessageDetails
from .sp_config_object_type import SpConfigObjectType
from .task_result_response import TaskResultResponse
from .transform_definition import TransformDefinition
from .transform_definition_attributes import TransformDefinitionAttributes

__all__ = (
    "ErrorFieldResponse",
    "ErrorMessageDto",
    "ErrorResponseDto",
    "IdentityAttributeConfig",
    "IdentityAttributeTransform",
    "IdentityExceptionReportReference",
    "IdentityProfile",
    "IdentityProfileAuthoritativeSource",
    "IdentityProfileExportedObject",
    "IdentityProfileOwner",
    "IdentityReferenceType",
    "ImportedObjectType",
    "ImportObject",
    "LocaleOrigin",
    "ObjectImportResult",
    "ProcessIdentitiesRequest",
    "RateLimitExceededResponse",
    "SelfImportExportDto",
    "SourceReferenceType",
    "SpConfigMessage",
    "SpConfigMessageDetails",
    "SpConfigObjectType",
    "TaskResultResponse",
    "TransformDefinition",
    "TransformDefinitionAttributes",
)
