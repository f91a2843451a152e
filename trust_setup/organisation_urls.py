"""The setup index, the organisation and people pages, lock-outs, and everyone's password pages."""

from django.urls import path

from .views import account, index, lockouts, organisation, people

urlpatterns = [
    path("setup/", index.setup_index, name="setup"),
    path("setup/organisation/", organisation.organisation, name="setup-organisation"),
    path("setup/organisation/new/", organisation.unit_add, name="setup-unit-add"),
    path("setup/organisation/<str:code>/move/", organisation.unit_move, name="setup-unit-move"),
    path("setup/organisation/<str:code>/retire/", organisation.unit_retire, name="setup-unit-retire"),
    path("setup/people/", people.people_list, name="setup-people"),
    path("setup/people/new/", people.person_add, name="setup-person-add"),
    path("setup/people/<int:pk>/", people.person, name="setup-person"),
    path("setup/people/<int:pk>/roles/new/", people.role_add, name="setup-role-add"),
    path("setup/roles/<int:pk>/end/", people.role_end, name="setup-role-end"),
    path("setup/lockouts/", lockouts.lockouts, name="setup-lockouts"),
    path("setup/lockouts/<int:pk>/lift/", lockouts.lockout_lift, name="setup-lockout-lift"),
    path("account/password/", account.password_change, name="password_change"),
    path("account/password/changed/", account.password_change_done, name="password_change_done"),
    path("account/password/reset/", account.password_reset, name="password_reset"),
    path("account/password/reset/sent/", account.password_reset_done, name="password_reset_done"),
    path(
        "account/password/reset/<uidb64>/<token>/",
        account.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("account/password/reset/done/", account.password_reset_complete, name="password_reset_complete"),
]
