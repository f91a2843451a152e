"""The performance team's page for stored peer groups: the groups, a form to add one, and a button to remove
one. The benchmarking page, the benchmark command and the IPR's choice of groups read them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from pmf.permissions import can_manage_data, require, signed_in

from .forms_peer_groups import PeerGroupForm
from .models import PeerGroup
from .peer_groups import remove_peer_group, save_peer_group


@require(can_manage_data)
def peer_groups(request: HttpRequest) -> HttpResponse:
    form = PeerGroupForm(request.POST if request.method == "POST" and "remove" not in request.POST else None)
    problems: list[str] = []
    if request.method == "POST" and "remove" in request.POST:
        group = get_object_or_404(PeerGroup, pk=request.POST["remove"])
        remove_peer_group(actor=signed_in(request), group=group)
        messages.success(request, f"Peer group {group.name} removed.")
        return redirect("peer-groups")
    if request.method == "POST" and form.is_valid():
        try:
            group = save_peer_group(actor=signed_in(request), **form.cleaned_data)
        except ValidationError as error:
            problems = list(error.messages)
        else:
            messages.success(request, f"Peer group {group.name} added: the benchmarking page offers it.")
            return redirect("peer-groups")
    context = {"form": form, "problems": problems, "groups": list(PeerGroup.objects.all())}
    return render(request, "national/peer_groups.html", context)
