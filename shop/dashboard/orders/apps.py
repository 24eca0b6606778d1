"""Oscar's orders dashboard, forked: every order page also opens to the account
managers' permission."""

import oscar.apps.dashboard.orders.apps as apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    name = "shop.dashboard.orders"

    def configure_permissions(self):
        from accounts.staff import COMPANY_ORDERS_PERMISSION

        super().configure_permissions()
        # Account managers open every order page through their role's permission;
        # the views show each of them the orders of the companies they manage only.
        self.permissions_map = {
            name: (*_alternatives(permissions), [COMPANY_ORDERS_PERMISSION])
            for name, permissions in self.permissions_map.items()
        }


def _alternatives(permissions) -> tuple:
    """Oscar's permissions: one list (all needed) or a tuple of lists (any)."""
    return permissions if isinstance(permissions, tuple) else (permissions,)
