"""People and their roles, kept up by the performance team: add a person, give a role between two dates,
end it. Each change goes through ``divisions.services.roles`` and is audited."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from divisions.models import RoleAssignment
from divisions.services.roles import add_user, assign_role, end_role, update_user
from divisions.words import trust_words
from pmf.feedback import tell
from pmf.formatting import format_date
from pmf.models import User
from pmf.permissions import can_manage_people, require, signed_in

from ..forms.people import EndRoleForm, PersonForm, RoleForm
from ..selectors import people


@require(can_manage_people)
def people_list(request: HttpRequest) -> HttpResponse:
    return render(request, "trust_setup/people.html", {"people": people(), "today": timezone.localdate()})


@require(can_manage_people)
def person_add(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def add() -> User:
            return add_user(
                actor=signed_in(request),
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                job_title=data["job_title"],
            )

        if tell(request, add, done=lambda user: f"{user.username} added: now give them a role."):
            return redirect("setup-person", pk=User.objects.get(username=data["username"]).pk)
    return render(request, "trust_setup/person_add.html", {"form": form})


@require(can_manage_people)
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's details and roles; the details form posts here, the role form to ``role_add``."""
    user = get_object_or_404(people(), pk=pk)
    form = PersonForm(request.POST or None, instance=User.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def update() -> User:
            return update_user(
                actor=signed_in(request),
                user=user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                job_title=data["job_title"],
                is_active=data["is_active"],
            )

        if tell(request, update, done=f"{user.username}'s details saved."):
            return redirect("setup-person", pk=pk)
    return _person_page(request, user, form=form, role_form=RoleForm(words=trust_words()))


def _person_page(request: HttpRequest, user: User, *, form: PersonForm, role_form: RoleForm) -> HttpResponse:
    context = {
        "person": user,
        "form": form,
        "role_form": role_form,
        "today": timezone.localdate(),
    }
    return render(request, "trust_setup/person.html", context)


@require_POST
@require(can_manage_people)
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(people(), pk=pk)
    role_form = RoleForm(request.POST, words=trust_words())
    if role_form.is_valid():
        data = role_form.cleaned_data

        def give() -> RoleAssignment:
            return assign_role(
                actor=signed_in(request),
                user=user,
                role=data["role"],
                org_unit=data["division"],
                start=data["start"],
                end=data["end"],
            )

        if tell(request, give, done=lambda held: f"{user.username} is now {held}."):
            return redirect("setup-person", pk=pk)
    return _person_page(request, user, form=PersonForm(instance=user), role_form=role_form)


@require_POST
@require(can_manage_people)
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user", "org_unit"), pk=pk)
    form = EndRoleForm(request.POST)
    if form.is_valid():
        last_day = form.cleaned_data["last_day"]

        def end() -> RoleAssignment:
            return end_role(actor=signed_in(request), assignment=assignment, last_day=last_day)

        tell(request, end, done=f"{assignment} ends on {format_date(last_day)}.")
    else:
        messages.error(request, "Nothing was changed: give the last day in the role.")
    return redirect("setup-person", pk=assignment.user_id)
