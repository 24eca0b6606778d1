"""Writes of the person's own profile (their details; notifications are
`accounts.notifications.notifications_switch`, the password Django's form)."""

from django.conf import settings

from accounts.models import User


def profile_update(
    *, user: User, first_name: str, last_name: str, phone: str, language: str
) -> User:
    """The person's name, phone and language (validated by the caller's form; an
    unknown language is refused here too)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language: {language!r}")
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.phone, user.language = phone, language
    user.save(update_fields=["first_name", "last_name", "phone", "language"])
    return user
