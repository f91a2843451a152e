"""What the pipeline's commands print about the passes they ran."""

from django.core.management.base import BaseCommand, CommandError

from pipeline.services.runs import PassResult


def report(command: BaseCommand, passes: list[PassResult] | None) -> None:
    if passes is None:
        command.stdout.write("A pass of the pipeline is under way in another process: it takes this run too.")
        return
    for done in passes:
        if done.failed:
            raise CommandError(done.failed)
        for name, result in done.steps.items():
            command.stdout.write(f"{name}: {result}")
    command.stdout.write(command.style.SUCCESS("Done."))
