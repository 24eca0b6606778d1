"""The API tokens page in a real browser: an administrator creates a token on a
phone and on a desktop, in both languages; the key is shown once, the list fits the
screen (no horizontal scroll, no text box over another) and revoking works."""

import pytest

from accounts.models import ApiToken, Role
from tests.factories import MembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(
    "language, width", [("en", 1366), ("ru", 390), ("en", 390), ("ru", 1366)]
)
def test_an_admin_creates_and_revokes_a_token(
    live_server, chromium, artifacts, client, language, width
):
    admin = MembershipFactory(role=Role.ADMIN)
    MembershipFactory(company=admin.company, role=Role.BUYER)
    client.force_login(admin.user)
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {"name": "django_language", "value": language, "url": live_server.url},
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
        ]
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{live_server.url}/cabinet/api-tokens/")
    page.fill("#api-token-create input[name='name']", "1C ERP — warehouse")
    page.check("#scope-order")
    page.click("#api-token-create button[type='submit']")
    key = page.input_value("#api-token-value")
    assert len(key) >= 40
    token = ApiToken.objects.get()
    assert token.scope_set == {"read", "order"}
    row = page.locator("tr.api-token").first
    assert "1C ERP" in row.inner_text()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (scroll, width)
    boxes = [
        row.locator("td").nth(i).bounding_box()
        for i in range(row.locator("td").count())
    ]
    boxes = [b for b in boxes if b and b["height"] > 0]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(
                a["x"], b["x"]
            )
            overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(
                a["y"], b["y"]
            )
            assert not (overlap_x > 1 and overlap_y > 1), (a, b)
    page.screenshot(
        path=artifacts / f"api-tokens-{language}-{width}.png", full_page=True
    )

    page.reload()
    assert page.locator("#api-token-value").count() == 0  # shown once
    row.locator("button[type='submit']").click()
    page.wait_for_selector(".badge-secondary")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert errors == []
    context.close()
