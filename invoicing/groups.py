"""The "Finance" staff group: who records money. Every staff member sees invoices
in the dashboard; only this group (and superusers) records bank payments, refunds
them and issues credit notes (`accounts.dashboard_views.staff_permission_required`).
Kept up to date after every `migrate`."""

from django.contrib.auth.models import Group, Permission

FINANCE_GROUP = "Finance"
RECORD_PAYMENT = "invoicing.add_payment"
REFUND_PAYMENT = "invoicing.change_payment"
ISSUE_CREDIT_NOTE = "invoicing.add_invoice"
FINANCE_PERMISSIONS = (
    RECORD_PAYMENT,
    REFUND_PAYMENT,
    ISSUE_CREDIT_NOTE,
    "invoicing.view_invoice",
    "invoicing.view_payment",
)


def finance_group_sync(**kwargs) -> None:
    """A `post_migrate` receiver of the invoicing app (after its permissions exist)."""
    if kwargs.get("plan") is None:
        # `flush` (a test's reset) sends post_migrate too, without a plan: the rows
        # it is about to restore include the groups, so making them now would clash.
        return
    using = kwargs.get("using", "default")
    group, _created = Group.objects.using(using).get_or_create(name=FINANCE_GROUP)
    codenames = [perm.split(".", 1)[1] for perm in FINANCE_PERMISSIONS]
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="invoicing", codename__in=codenames
    )
    group.permissions.add(*permissions)
