from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = "Escalation"

    def ready(self) -> None:
        # A data pack (reviews, a floor below) lists open cases: this app, which owns them, supplies the rows.
        from divisions.signals import level_labels_changed
        from reviews.open_cases import supply_open_cases

        from .selectors import open_case_rows
        from .services.defaults import reword_committees

        supply_open_cases(open_case_rows)
        # The committees' default remits follow the trust's words for its levels.
        level_labels_changed.connect(reword_committees, dispatch_uid="escalation-reword-committees")
