"""The staff groups that work leads in the Wagtail admin: "Marketers" qualify them
and read the funnel, "Sales managers" take them on; both open the admin, see and
change leads (stage, owner) and add notes. The accounts app's "Account managers"
get the same, since the leads of their companies are theirs. Kept up to date after
every `migrate` (permissions are added, so what an administrator gave stays)."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.staff import ACCOUNT_MANAGERS
from content.leads.selectors import SALES_MANAGERS_GROUP

MARKETERS_GROUP = "Marketers"
LEAD_PERMISSIONS = (
    "wagtailadmin.access_admin",
    "content.view_lead",
    "content.change_lead",
    "content.view_leadnote",
    "content.add_leadnote",
)
LEAD_GROUPS = (MARKETERS_GROUP, SALES_MANAGERS_GROUP, ACCOUNT_MANAGERS)


def lead_groups_sync(**kwargs) -> None:
    """A `post_migrate` receiver of the content app (its permissions exist by then)."""
    if kwargs.get("plan") is None:
        # `flush` (a test's reset) sends post_migrate too, without a plan: the rows
        # it is about to restore include the groups, so making them now would clash.
        return
    using = kwargs.get("using", "default")
    match = Q()
    for name in LEAD_PERMISSIONS:
        app_label, codename = name.split(".")
        match |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.using(using).filter(match))
    for name in LEAD_GROUPS:
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*permissions)
