"""Team pages (/cabinet/team/), named under the `cabinet` namespace."""

from django.urls import path

from cabinet.team import views

urlpatterns = [
    path("", views.team_index, name="team"),
    path("invite/", views.team_invite, name="team-invite"),
    path(
        "invitations/<int:pk>/resend/",
        views.invitation_resend_view,
        name="team-invitation-resend",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        views.invitation_revoke_view,
        name="team-invitation-revoke",
    ),
    path("members/<int:pk>/role/", views.member_role, name="team-member-role"),
    path("members/<int:pk>/limits/", views.member_limits, name="team-member-limits"),
    path("members/<int:pk>/active/", views.member_active, name="team-member-active"),
]
