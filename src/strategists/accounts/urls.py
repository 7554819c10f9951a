"""Where accounts live: /accounts/ for sign-up, sign-in, profile and one's own data."""

from django.contrib.auth import views as auth_views
from django.urls import path

from strategists.accounts import roles_views, views
from strategists.common.ratelimits import limited

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("verify/resend/", views.verify_resend, name="verify_resend"),
    path("verify/resend/sent/", views.verify_resent, name="verify_resent"),
    path("verify/<uidb64>/<token>/", views.verify, name="verify"),
    path("claim/<uidb64>/<token>/", views.ClaimView.as_view(), name="claim"),
    path("login/", views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset/",
        limited("password_reset")(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("me/", views.me, name="me"),
    path("me/profile/", views.profile_edit, name="profile_edit"),
    path("me/expert/", roles_views.expert_apply, name="expert_edit"),
    path("roles/", roles_views.role_list, name="roles"),
    path("roles/grant/", roles_views.role_grant, name="role_grant"),
    path("roles/<int:pk>/<slug:action>/", roles_views.role_change, name="role_change"),
    path(
        "roles/applications/<int:pk>/",
        roles_views.expert_application_detail,
        name="expert_application",
    ),
    path("host-requests/", roles_views.host_request_list, name="host_requests"),
    path("host-requests/new/", roles_views.host_request_new, name="host_request_new"),
    path(
        "host-requests/<int:pk>/decide/",
        roles_views.host_request_decide,
        name="host_request_decide",
    ),
    path("me/data/", views.data_export, name="data_export"),
    path("me/delete/", views.account_delete, name="account_delete"),
    path("people/<int:pk>/", views.person, name="person"),
    path("cities/", views.city_options, name="city_options"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new/", views.organization_edit, name="organization_new"),
    path("organizations/<int:pk>/", views.organization_edit, name="organization_edit"),
]
