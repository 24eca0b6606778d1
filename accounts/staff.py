"""Staff roles: the group each role is, the permissions it holds, and the one scope
through which staff pages read company data.

Superusers see every company. Any other staff user sees the companies they are the
account manager of (`Company.account_manager`): their orders, invoices and leads.
A role's group opens the dashboard pages; the scope decides what those pages list.
"""

from django.apps import apps as global_apps
from django.db.models import QuerySet

ACCOUNT_MANAGERS = "Account managers"

# Opens Oscar's order pages (list, statistics, detail, notes, lines, delivery address)
# without `order.view_order`: that model permission would also open every order of
# every company in the Django admin, which the company scope does not reach.
COMPANY_ORDERS_PERMISSION = "accounts.handle_company_orders"

# Permissions no model declares: "app_label.codename" -> (model, name).
DECLARED_PERMISSIONS = {
    COMPANY_ORDERS_PERMISSION: (
        "company",
        "Can see and handle the orders of the companies they manage",
    ),
}

# Role (group name) -> the permissions its group holds.
STAFF_ROLES: dict[str, tuple[str, ...]] = {
    ACCOUNT_MANAGERS: (COMPANY_ORDERS_PERMISSION,),
}


def _permission(apps, name: str):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, codename = name.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if permission is None:
        model, label = DECLARED_PERMISSIONS[name]
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=model
        )
        permission = Permission.objects.create(
            content_type=content_type, codename=codename, name=label
        )
    return permission


def staff_roles_sync(*, apps=global_apps) -> None:
    """Create each role's group and give it its permissions (added, so permissions an
    administrator gave a group stay). Idempotent; `apps` is a migration's registry
    when a migration calls it."""
    Group = apps.get_model("auth", "Group")
    for role, permissions in STAFF_ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*(_permission(apps, name) for name in permissions))


def staff_roles_remove(*, apps=global_apps) -> None:
    """Undo `staff_roles_sync`: the groups and the permissions no model declares."""
    apps.get_model("auth", "Group").objects.filter(name__in=STAFF_ROLES).delete()
    Permission = apps.get_model("auth", "Permission")
    for name in DECLARED_PERMISSIONS:
        app_label, codename = name.split(".")
        Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).delete()


def account_manager_add(user) -> None:
    """Put a staff user into the account managers' group."""
    staff_roles_sync()
    user.groups.add(
        global_apps.get_model("auth", "Group").objects.get(name=ACCOUNT_MANAGERS)
    )


def staff_scope(queryset: QuerySet, *, user, company_path: str = "company") -> QuerySet:
    """`queryset` as `user` may see it in the dashboard: all of it for superusers, the
    rows of the companies they manage for other staff, nothing for anyone else.
    `company_path` leads from the queryset's model to its company ("" for companies
    themselves)."""
    if not (user.is_active and user.is_staff):
        return queryset.none()
    if user.is_superuser:
        return queryset
    lookup = f"{company_path}__account_manager" if company_path else "account_manager"
    return queryset.filter(**{lookup: user})
