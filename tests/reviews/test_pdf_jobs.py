"""PDFs are printed by workers, never inside a request (issue 20, deliver 4).

- Issuing a pack records that its PDF is owed and returns; the print is handed to a worker after the commit
  (in-process without a broker, so on SQLite the issue request ends with the PDF stored and linked).
- With a broker and no worker, the issue request returns with nothing printed, the print waiting on the queue,
  and the pack page says it is being printed and refreshes; the download says so too, and prints nothing.
- A print that fails says so, and "Print again" owes a new one; the board pack's print works the same way.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from django.urls import reverse

from pmf.models import JobRun
from reviews.models import DataPack, IprReport, Meeting
from reviews.services.packs import build_pack
from reviews.services.pdf_jobs import BOARD_PACK_PRINT, PACK_PRINT, latest_print, owe_pdf
from reviews.services.printing import print_owed
from tests.world import LATEST

pytestmark = pytest.mark.django_db

QUEUE_BROKER = "redis://127.0.0.1:6379/12"  # a broker no worker reads, for these tests alone


@pytest.fixture
def pack(world):
    meeting = Meeting.objects.create(division=world.surgery, scheduled_for=LATEST + timedelta(days=40))
    return build_pack(meeting=meeting, actor=world.users["perf"], today=LATEST + timedelta(days=30))


@pytest.fixture
def perf_client(client, world):
    client.force_login(world.users["perf"])
    return client


@pytest.fixture
def broker_without_a_worker(tasks_run_in_process):
    """Tasks go to a real Redis queue that no worker reads; what was sent is counted, then thrown away."""
    queue = redis.Redis.from_url(QUEUE_BROKER)
    try:
        queue.ping()
    except redis.ConnectionError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    app = tasks_run_in_process
    queue.delete("celery")
    app.conf.task_always_eager = False
    app.conf.broker_write_url = QUEUE_BROKER
    app._pool, app.amqp._producer_pool = None, None
    yield queue
    queue.delete("celery")
    app.conf.broker_write_url = None
    app._pool, app.amqp._producer_pool = None, None


@pytest.mark.browser  # the pack's charts are drawn in the system Chromium
def test_on_sqlite_the_issue_request_stores_the_pdf_and_the_page_links_it(
    perf_client, pack, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = perf_client.post(reverse("pack-issue", args=[pack.meeting_id]))
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.pdf, "printed in-process after the commit, without a broker"
    job = latest_print(PACK_PRINT, pack_id=pack.pk)
    assert job is not None and job.status == JobRun.Status.SUCCEEDED and job.result == {"pdf": pack.pdf.name}

    page = perf_client.get(reverse("pack", args=[pack.meeting_id])).content.decode()
    assert f'href="{reverse("pack-pdf", args=[pack.meeting_id])}"' in page
    assert "Printing the pack" not in page and 'http-equiv="refresh"' not in page
    download = perf_client.get(reverse("pack-pdf", args=[pack.meeting_id]))
    assert download["Content-Type"] == "application/pdf"
    pack.pdf.open("rb")
    assert b"".join(download.streaming_content) == pack.pdf.read()


def test_the_issue_request_prints_nothing_and_queues_the_print_after_commit(
    perf_client, pack, broker_without_a_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        response = perf_client.post(reverse("pack-issue", args=[pack.meeting_id]))
    assert response.status_code == 302
    assert len(after_commit) == 1, "the print is handed on once the issue commits"
    pack.refresh_from_db()
    assert pack.is_issued and not pack.pdf, "nothing printed inside the request"
    job = latest_print(PACK_PRINT, pack_id=pack.pk)
    assert job is not None and job.status == JobRun.Status.RUNNING
    assert broker_without_a_worker.llen("celery") == 1, "the print waits on the queue for a worker"

    page = perf_client.get(reverse("pack", args=[pack.meeting_id])).content.decode()
    assert "Printing the pack…" in page and '<meta http-equiv="refresh" content="5">' in page
    assert "Print again" not in page
    download = perf_client.get(reverse("pack-pdf", args=[pack.meeting_id]), follow=True)
    assert download.redirect_chain == [(reverse("pack", args=[pack.meeting_id]), 302)]
    assert "The PDF is being printed" in download.content.decode()
    pack.refresh_from_db()
    assert not pack.pdf, "the download printed nothing"


def test_a_failed_print_says_so_and_print_again_owes_a_new_one(
    perf_client, pack, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = owe_pdf(PACK_PRINT, pack_id=pack.pk)
    DataPack.objects.filter(pk=pack.pk).update(snapshot={})  # nothing left to print from
    with pytest.raises(KeyError):
        print_owed(job.pk)
    job.refresh_from_db()
    assert job.status == JobRun.Status.FAILED and job.message.startswith("KeyError")

    DataPack.objects.filter(pk=pack.pk).update(snapshot=pack.snapshot)  # the page reads it too
    html = perf_client.get(reverse("pack", args=[pack.meeting_id])).content.decode()
    assert "The pack could not be printed" in html and "Print again" in html
    assert 'http-equiv="refresh"' not in html

    with django_capture_on_commit_callbacks(execute=False):
        perf_client.post(reverse("pack-print", args=[pack.meeting_id]))
        perf_client.post(reverse("pack-print", args=[pack.meeting_id]))  # one print under way is enough
    assert JobRun.objects.filter(name=PACK_PRINT, status=JobRun.Status.RUNNING).count() == 1
    assert "Printing the pack…" in perf_client.get(reverse("pack", args=[pack.meeting_id])).content.decode()


def test_a_print_already_done_is_not_printed_twice(pack, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = owe_pdf(PACK_PRINT, pack_id=pack.pk)
    JobRun.objects.filter(pk=job.pk).update(status=JobRun.Status.FAILED, finished_at=job.started_at)
    assert print_owed(job.pk).status == JobRun.Status.FAILED  # left alone: a redelivered task does nothing
    pack.refresh_from_db()
    assert not pack.pdf


def test_the_board_pack_print_shows_progress_and_its_download_prints_nothing(
    world, client, broker_without_a_worker, django_capture_on_commit_callbacks
):
    report = IprReport.objects.create(month=LATEST)
    client.force_login(world.users["perf"])
    page_url = reverse("ipr", kwargs={"month": f"{LATEST:%Y-%m}"})
    assert "The board pack has not been printed." in client.get(page_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ipr-build-pack", kwargs={"month": f"{LATEST:%Y-%m}"}))
    job = latest_print(BOARD_PACK_PRINT, report_id=report.pk)
    assert job is not None and job.status == JobRun.Status.RUNNING
    assert broker_without_a_worker.llen("celery") == 1
    html = client.get(page_url).content.decode()
    assert "Printing the board pack…" in html and '<meta http-equiv="refresh" content="10">' in html

    download = client.get(reverse("ipr-pack", kwargs={"month": f"{LATEST:%Y-%m}"}), follow=True)
    assert download.redirect_chain[0][1] == 302
    assert "The board pack is being printed" in download.content.decode()
    report.refresh_from_db()
    assert not report.pdf

    JobRun.objects.filter(pk=job.pk).update(
        status=JobRun.Status.FAILED, finished_at=job.started_at, message="The worker stopped"
    )
    html = client.get(page_url).content.decode()
    assert "The board pack could not be printed" in html and "Print again" in html
