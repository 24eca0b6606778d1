"""Signals of the accounts app, for the layers above it to follow without accounts
knowing them (the content app's target actions and lead matching)."""

from django.dispatch import Signal

# A person registered through the site: a company's first user (`register`) or an
# invited colleague (`invitation_signup`). Sent after login, inside the request.
# Arguments: request, user, company, invited (bool).
user_registered = Signal()
