from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = "Escalation"

    def ready(self) -> None:
        # A data pack (reviews, a floor below) lists open cases: this app, which owns them, supplies the rows.
        from reviews.open_cases import supply_open_cases

        from .selectors import open_case_rows

        supply_open_cases(open_case_rows)
