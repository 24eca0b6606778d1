"""Writes of the content app. The lead pipeline lives in `content.leads.services`;
`lead_create` is kept importable from here for the forms that store requests."""

from content.leads.services import lead_create

__all__ = ["lead_create"]
