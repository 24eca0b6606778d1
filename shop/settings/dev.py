"""Local demo and development: SQLite by default, debug on, e-mails to the console."""

from shop.settings.base import *  # noqa: F401,F403
from shop.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
