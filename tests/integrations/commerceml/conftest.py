"""The exchange user, its 1C, and a folder of each test's own for the files."""

import pytest

from tests.integrations.commerceml.client import OneC
from tests.integrations.commerceml.factories import PASSWORD, exchange_user


@pytest.fixture(autouse=True)
def exchange_folder(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def exchanger(db):
    return exchange_user()


@pytest.fixture
def one_c(client, exchanger):
    return OneC(client, email=exchanger.email, password=PASSWORD)
