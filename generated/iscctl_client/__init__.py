"""A client library for accessing iscctl view of SailPoint Identity Security Cloud"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
