import django_filters
from django import forms

from .models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(label="Who (username)", lookup_expr="iexact")
    verb = django_filters.ChoiceFilter(label="What happened", choices=[], empty_label="Anything")
    object_type = django_filters.ChoiceFilter(label="To what", choices=[], empty_label="Anything")
    since = django_filters.DateFilter(
        label="From", field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label="To", field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    object_id = django_filters.CharFilter(label="Record id")

    class Meta:
        model = AuditEvent
        fields = ["actor", "verb", "object_type", "object_id", "since", "until"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("verb", "object_type"):
            values = AuditEvent.objects.order_by(name).values_list(name, flat=True).distinct()
            self.filters[name].extra["choices"] = [(v, v) for v in values]
