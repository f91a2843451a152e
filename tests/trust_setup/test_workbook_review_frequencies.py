"""The setup workbook's trust sheet holds how often each position is reviewed (``position_N_review``)."""

from __future__ import annotations

import pytest

from divisions.models import TrustProfile
from divisions.review_frequencies import default_review_frequencies
from pmf.models import AuditEvent
from tests.trust_setup.test_workbook import Rows, edited, refused_with_nothing_written
from trust_setup.workbook.files import read_xlsx
from trust_setup.workbook.service import apply_setup, export_sheets, export_xlsx, preview

pytestmark = pytest.mark.django_db

YAS_LIKE = {"1": "bi-monthly", "2": "bi-monthly", "3": "monthly", "4": "monthly"}


def trust_row(**new: str):
    def change(rows: Rows) -> Rows:
        return [{**rows[0], **new}]

    return change


def with_profile(**new: str):
    return trust_row(ods_code="WLD", trust_type="acute", prm_weekday="1", prm_week_of_month="2", **new)


def test_the_trust_row_gives_designs_frequencies_for_a_trust_with_no_profile(world):
    trust = next(sheet for sheet in export_sheets() if sheet.name == "trust")
    row = dict(zip(trust.header, trust.rows[0], strict=True))
    assert {p: row[f"position_{p}_review"] for p in "1234"} == default_review_frequencies()

    reasons = refused_with_nothing_written(edited(trust=trust_row(position_1_review="bi-monthly")))

    assert reasons == [
        "sheet trust, row 2, column position_1_review: give the ods_code to record the trust's profile "
        "(which keeps its review frequencies), or leave this blank (6-monthly)"
    ]


def test_the_trusts_frequencies_are_imported_exported_and_imported_again_as_a_no_op(world):
    columns = {f"position_{p}_review": often for p, often in YAS_LIKE.items()}
    content = edited(trust=with_profile(**columns))

    plan = apply_setup(read_xlsx(content), actor=None, sha256="b" * 64, name="setup.xlsx")

    assert plan.ok, plan.problems
    assert TrustProfile.objects.get().review_frequencies == YAS_LIKE
    again = export_xlsx()
    assert preview(read_xlsx(again)).changes == 0
    events = AuditEvent.objects.count()
    apply_setup(read_xlsx(again), actor=None, sha256="c" * 64, name="setup.xlsx")
    assert AuditEvent.objects.count() == events


def test_blank_frequencies_are_designs_and_a_worse_position_reviewed_less_often_is_refused(world):
    plan = apply_setup(read_xlsx(edited(trust=with_profile())), actor=None, sha256="d" * 64, name="a.xlsx")
    assert plan.ok and TrustProfile.objects.get().review_frequencies == default_review_frequencies()

    reasons = refused_with_nothing_written(
        edited(trust=with_profile(position_3_review="6-monthly", position_4_review="fortnightly"))
    )

    assert any(r.startswith("sheet trust, row 2, column position_4_review:") for r in reasons), reasons
    only_order = refused_with_nothing_written(edited(trust=with_profile(position_3_review="6-monthly")))
    assert only_order == [
        "sheet trust, row 2, column position_3_review: position 3 would be reviewed 6-monthly, less often "
        "than position 2 (quarterly): a worse position is reviewed at least as often as a better one"
    ]
