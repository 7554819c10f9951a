"""Where skills live: /skills/, /credentials/ and the DID document at /.well-known/."""

from django.urls import path

from strategists.curriculum import endorsement_views, share_views, views

app_name = "curriculum"

urlpatterns = [
    path("skills/", views.framework, name="framework"),
    path("skills/certificate/", views.certificate, name="certificate"),
    path("skills/certificate/edit/", views.rule_edit, name="rule_edit"),
    path("skills/framework/<slug:area>/<int:level>/", views.competency_page, name="competency"),
    path(
        "skills/framework/<slug:area>/<int:level>/edit/",
        views.competency_edit,
        name="competency_edit",
    ),
    path("skills/me/", views.my_path, name="my_path"),
    path("skills/people/<int:pk>/", views.person_path, name="person_path"),
    path("skills/people/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("skills/evidence/new/", views.evidence_new, name="evidence_new"),
    path("skills/capstone/", views.capstone_new, name="capstone_new"),
    path("skills/evidence/<int:pk>/", views.evidence_detail, name="evidence"),
    path("skills/evidence/<int:pk>/edit/", views.evidence_edit, name="evidence_edit"),
    path("skills/evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
    path("skills/evidence/<int:pk>/review/", views.evidence_review, name="evidence_review"),
    path("skills/reviews/", views.review_queue, name="review_queue"),
    path("skills/certified/", views.certified_list, name="certified_list"),
    path(
        "skills/certified/<int:pk>/reverse/",
        views.certification_reverse,
        name="certification_reverse",
    ),
    path(
        "skills/certified/<int:pk>/reinstate/",
        views.certification_reinstate,
        name="certification_reinstate",
    ),
    path("credentials/verify/", views.verify, name="verify"),
    path("credentials/status/<int:number>", views.status_list, name="status_list"),
    path("credentials/<uuid:pk>/", views.credential, name="credential"),
    path("credentials/<uuid:pk>/trace/", views.credential_trace, name="credential_trace"),
    path("credentials/<uuid:pk>.json", views.credential_json, name="credential_json"),
    path("credentials/<uuid:pk>/revoke/", views.credential_revoke, name="credential_revoke"),
    path("credentials/<uuid:pk>/badge.svg", share_views.badge, name="credential_badge"),
    path("credentials/<uuid:pk>/wallet/", share_views.wallet_exchange, name="wallet_exchange"),
    path("credentials/<uuid:pk>/endorse/", endorsement_views.endorse, name="credential_endorse"),
    path(
        "credentials/endorsements/<uuid:pk>/",
        endorsement_views.endorsement,
        name="endorsement",
    ),
    path(
        "credentials/endorsements/<uuid:pk>/withdraw/",
        endorsement_views.withdraw,
        name="endorsement_withdraw",
    ),
    path(".well-known/did.json", views.did_document, name="did_document"),
]
