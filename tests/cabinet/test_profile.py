"""The person's profile (/cabinet/profile/): details, language (the next page speaks
it), password (the session stays), e-mail switches (honoured by notifications); bad
input is explained and changes nothing; nobody changes another person's settings."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.notifications import Kind, kinds_switchable, notify
from tests.cabinet.factories import order_make
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.forms import form_fields

pytestmark = pytest.mark.django_db

PROFILE = "/cabinet/profile/"
PASSWORD = "s3cret-pass!"  # UserFactory's


@pytest.fixture
def member(company):
    return MembershipFactory(
        company=company,
        role="buyer",
        user=UserFactory(
            first_name="Ivan", last_name="Petrov", phone="+7 900 123-45-67"
        ),
    ).user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def _state(user) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.first_name,
        user.last_name,
        user.phone,
        user.language,
        user.email,
        user.password,
        user.notifications_off,
    )


def _details(client, **changes) -> dict:
    fields = form_fields(client.get(PROFILE).content.decode(), "profile-details-form")
    return {**fields, **changes}


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_member_sees_the_profile_in_the_cabinet_and_the_header(member_client):
    page = member_client.get(PROFILE).content.decode()

    assert 'class="cabinet-nav' in page
    assert page.count(f'href="{PROFILE}"') == 2  # the cabinet's menu and the header
    for form in ("details", "password", "notifications"):
        assert f'id="profile-{form}-form"' in page
    details = form_fields(page, "profile-details-form")
    assert details.pop("csrfmiddlewaretoken")
    assert details == {
        "first_name": ["Ivan"],
        "last_name": ["Petrov"],
        "phone": ["+7 900 123-45-67"],
        "language": ["en"],
    }
    ticked = form_fields(page, "profile-notifications-form")["on"]
    assert ticked == [kind.value for kind in kinds_switchable()]


def test_a_person_without_a_company_has_a_profile_too(client):
    loner = UserFactory()
    client.force_login(loner)

    page = client.get(PROFILE)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="cabinet-nav' not in html
    assert "You do not act for a company yet" in html
    response = client.post(PROFILE, _details(client, last_name="Alone"))
    assert response.status_code == 302
    assert User.objects.get(pk=loner.pk).last_name == "Alone"


def test_details_are_saved_and_the_next_page_speaks_the_new_language(
    member_client, member
):
    response = member_client.post(
        PROFILE,
        _details(
            member_client,
            first_name="Пётр",
            last_name="Сидоров",
            phone="+7 (495) 123-45-67",
            language="ru",
        ),
    )

    assert response.status_code == 302 and response["Location"] == PROFILE
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert _state(member)[:4] == ("Пётр", "Сидоров", "+7 (495) 123-45-67", "ru")
    page = member_client.get(PROFILE).content.decode()
    assert "Ваши данные сохранены." in page
    assert "<h1>Профиль</h1>" in page
    assert "Заказ отгружен" in page  # the switches, labelled in Russian
    assert form_fields(page, "profile-details-form")["language"] == ["ru"]


@pytest.mark.parametrize(
    "changes,reason",
    [
        ({"phone": "+7 " + "9" * 40}, "at most 32 characters"),
        ({"phone": "call me"}, "Enter a phone number with the country code"),
        ({"first_name": "Iv\x00an"}, "Null characters are not allowed."),
        ({"last_name": "x" * 151}, "at most 150 characters"),
        ({"first_name": ""}, "This field is required."),
        ({"language": "de"}, "Select a valid choice."),
    ],
    ids=["long-phone", "bad-phone", "nul", "long-name", "no-name", "language"],
)
def test_bad_details_are_explained_and_change_nothing(
    member_client, member, changes, reason
):
    before = _state(member)

    response = member_client.post(PROFILE, _details(member_client, **changes))

    assert response.status_code == 200
    page = response.content.decode()
    assert reason in page
    assert "Nothing was saved: correct the marked fields." in page
    assert _state(member) == before
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_password_is_changed_and_the_session_stays(member_client, member):
    fields = form_fields(
        member_client.get(PROFILE).content.decode(), "profile-password-form"
    )
    response = member_client.post(
        reverse("cabinet:profile-password"),
        {
            **fields,
            "old_password": PASSWORD,
            "new_password1": "Tula-bearings-2026",
            "new_password2": "Tula-bearings-2026",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).check_password("Tula-bearings-2026")
    assert member_client.get(PROFILE).status_code == 200  # still signed in


@pytest.mark.parametrize(
    "old,new1,new2,reason",
    [
        ("wrong-pass", "Tula-bearings-2026", "Tula-bearings-2026", "incorrectly"),
        (PASSWORD, "Tula-bearings-2026", "Tula-bearings-2027", "didn’t match"),
        (PASSWORD, "12345", "12345", "too short"),
        (PASSWORD, "Tula\x00bearings", "Tula\x00bearings", "Null characters"),
    ],
    ids=["wrong-old", "mismatch", "weak", "nul"],
)
def test_a_refused_password_change_changes_nothing(
    member_client, member, old, new1, new2, reason
):
    before = _state(member)

    response = member_client.post(
        reverse("cabinet:profile-password"),
        {"old_password": old, "new_password1": new1, "new_password2": new2},
    )

    assert response.status_code == 200
    assert reason in response.content.decode()
    assert _state(member) == before


def test_switched_off_e_mails_are_not_sent_and_the_others_are(
    member_client, member, company, django_capture_on_commit_callbacks
):
    page = member_client.get(PROFILE).content.decode()
    fields = form_fields(page, "profile-notifications-form")
    fields["on"] = [kind for kind in fields["on"] if kind != Kind.ORDER_SHIPPED]

    response = member_client.post(reverse("cabinet:profile-notifications"), fields)

    assert response.status_code == 302
    assert _state(member)[-1] == [Kind.ORDER_SHIPPED]
    page = member_client.get(PROFILE).content.decode()
    assert (
        Kind.ORDER_SHIPPED not in form_fields(page, "profile-notifications-form")["on"]
    )
    order = order_make(company=company, user=member, lines=[])
    member.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        for kind in (Kind.ORDER_SHIPPED, Kind.ORDER_PLACED):
            notify(
                kind=kind,
                users=[member],
                context={"order": order},
                path="/",
                key=f"t:{kind}",
            )
    assert [m.subject for m in mail.outbox] == [
        f"Order {order.number} is placed ({company.name})"
    ]


def test_every_switch_can_be_turned_off_and_on_again(member_client, member):
    url = reverse("cabinet:profile-notifications")

    member_client.post(url, {})
    assert sorted(_state(member)[-1]) == sorted(k.value for k in kinds_switchable())
    member_client.post(url, {"on": [k.value for k in kinds_switchable()]})
    assert _state(member)[-1] == []


@pytest.mark.parametrize("kinds", [["no_such_kind"], [Kind.INVITATION]])
def test_unknown_switches_are_refused_and_change_nothing(member_client, member, kinds):
    before = _state(member)

    response = member_client.post(
        reverse("cabinet:profile-notifications"), {"on": [Kind.ORDER_PLACED, *kinds]}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert _state(member) == before


def test_nobody_changes_another_persons_settings(member_client, member):
    other = MembershipFactory(company=CompanyFactory(), role="admin").user
    before = _state(other)

    for url, data in [
        (PROFILE, _details(member_client, last_name="Changed")),
        (reverse("cabinet:profile-notifications"), {}),
        (
            reverse("cabinet:profile-password"),
            {
                "old_password": PASSWORD,
                "new_password1": "Tula-bearings-2026",
                "new_password2": "Tula-bearings-2026",
            },
        ),
    ]:
        # Whatever the request names, the form acts on the signed-in person.
        data = {**data, "user": other.pk, "pk": other.pk, "email": other.email}
        assert member_client.post(url, data).status_code == 302

    assert _state(other) == before
    mine = _state(member)
    assert (mine[1], mine[4]) == ("Changed", member.email)


def test_the_forms_only_take_posts(member_client):
    for name in ("cabinet:profile-password", "cabinet:profile-notifications"):
        assert member_client.get(reverse(name)).status_code == 405
