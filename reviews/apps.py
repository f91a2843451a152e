from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from divisions.signals import level_labels_changed

        from . import signals, tasks
        from .services.defaults import reword_freedoms
        from .services.meetings import reword_terms
        from .services.pdf_jobs import pdf_owed

        signals.connect()
        pdf_owed.connect(tasks.send_print, dispatch_uid="reviews-send-print")
        # The default freedoms and terms of reference follow the trust's words for its levels.
        level_labels_changed.connect(reword_freedoms, dispatch_uid="reviews-reword-freedoms")
        level_labels_changed.connect(reword_terms, dispatch_uid="reviews-reword-terms")
