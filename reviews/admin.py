"""The rating criteria, the scheme of delegation, policy breaches and special measures are edited here by
the performance team; every edit keeps its history and goes in the audit trail. Ratings and accountability
reviews are read-only here: they are computed, or recorded on the division page."""

from django.contrib import admin

from kpis.admin import CatalogueAdmin
from pmf.admin import ReadOnlyAdmin
from pmf.admin_audit import AuditedAdmin

from .models import (
    AccountabilityReview,
    Criterion,
    DivisionRating,
    Freedom,
    PolicyBreach,
    SpecialMeasures,
    TermsOfReference,
)
from .settings_forms import CriterionForm, FreedomForm, TermsOfReferenceForm


@admin.register(Criterion)
class CriterionAdmin(CatalogueAdmin):
    list_display = ("code", "name", "domain", "tag", "key_only", "counts_policy_breaches", "order")
    form = CriterionForm


@admin.register(Freedom)
class FreedomAdmin(CatalogueAdmin):
    list_display = ("name", "position", "order")
    list_filter = ("position",)
    form = FreedomForm


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(AuditedAdmin):
    list_display = ("kind", "chair_role")
    form = TermsOfReferenceForm


@admin.register(PolicyBreach)
class PolicyBreachAdmin(CatalogueAdmin):
    list_display = ("division", "month", "description", "recorded_by")
    list_filter = ("division",)


@admin.register(SpecialMeasures)
class SpecialMeasuresAdmin(CatalogueAdmin):
    list_display = ("division", "from_month", "to_month")


@admin.register(DivisionRating)
class DivisionRatingAdmin(ReadOnlyAdmin):
    list_display = ("division", "month", "computed_position", "effective_position", "review_frequency")
    list_filter = ("division", "effective_position")


@admin.register(AccountabilityReview)
class AccountabilityReviewAdmin(ReadOnlyAdmin):
    list_display = (
        "division",
        "held_on",
        "computed_position",
        "agreed_position",
        "valid_until",
        "decided_by",
    )
