"""Approval pages (/cabinet/approvals/), named under the `cabinet` namespace."""

from django.urls import path

from cabinet.approvals import views

urlpatterns = [
    path("", views.approval_index, name="approvals"),
    path("rules/", views.approval_rules, name="approval-rules"),
    path("<str:number>/", views.requisition_detail, name="requisition-detail"),
    path(
        "<str:number>/comment/",
        views.requisition_comment_view,
        name="requisition-comment",
    ),
    path(
        "<str:number>/approve/",
        views.requisition_approve_view,
        name="requisition-approve",
    ),
    path(
        "<str:number>/changes/",
        views.requisition_changes_view,
        name="requisition-changes",
    ),
    path(
        "<str:number>/reject/", views.requisition_reject_view, name="requisition-reject"
    ),
    path(
        "<str:number>/withdraw/",
        views.requisition_withdraw_view,
        name="requisition-withdraw",
    ),
    path(
        "<str:number>/resubmit/",
        views.requisition_resubmit_view,
        name="requisition-resubmit",
    ),
]
