from oscar.apps.catalogue.admin import *  # noqa: F403  (Oscar's admin, unchanged)
