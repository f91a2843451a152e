from django.core.management.base import BaseCommand

from pipeline.services.runs import catch_up


class Command(BaseCommand):
    help = (
        "Do whatever the publish pipeline owes (charts, ratings, schedules, escalations, IPR content after a "
        "publish whose worker could not be told, or whose worker died), and mark jobs whose worker died as "
        "failed. Beat runs it every few minutes and each worker as it starts; safe to run at any time."
    )

    def handle(self, *args: object, **options: object) -> None:
        result = catch_up()
        if result.locked_out:
            self.stdout.write(
                "A pass of the pipeline is under way in another process: it takes what is owed."
            )
        if result.stale_jobs:
            self.stdout.write(f"Marked {result.stale_jobs} jobs whose worker stopped as failed.")
        if result.retried:
            self.stdout.write(f"Owed again: {result.retried} failed runs.")
        for done in result.passes:
            if done.failed:
                self.stderr.write(self.style.ERROR(f"Runs {done.runs}: {done.failed}"))
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Ran {', '.join(done.steps)} for runs {', '.join(map(str, done.runs))}."
                    )
                )
        if not result.passes and not result.locked_out:
            self.stdout.write("Nothing is owed: charts, ratings, escalations and IPR content are up to date.")
        if any(done.failed for done in result.passes):
            raise SystemExit(1)
