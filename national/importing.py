"""Importing NHS England's published files for this trust, through the same check → preview → publish path as
any upload (``kpis.services.submission``).

``import_national_files`` steps, all in one transaction (nothing is written when anything is refused):
1. Read every file (``national.readers``); a file PMF does not recognise, or one cut short, is a problem,
   and so is a file without the trust's ODS code.
2. Keep every organisation's rows of each file as peer values (``peers.load_peer_values``), so benchmarking
   has the trust's peers for the same months; then take the trust's own rows.
3. Where the official A&E file and the tidy history both give a month, the official file wins
   (``placing.official_wins``), including months an earlier import took from an official file.
4. Find each national KPI (by its national code, else its code); one missing is created from the shipped
   catalogue, audited, and put in the draft KPI suites; each is put in the draft suite of every year its
   rows cover. Months the deployment cannot take (a year with no KPI suite yet, an agreed suite without
   the KPI, before the trust opened) are left out and a note says which and why.
5. Place splits at divisions through the specialty → division map (``placing.place_rows``), write the rows
   in the upload template's columns and check them (``checking.check_file``). Every problem in every file
   is listed, and if there is one, nothing is written.
6. A file whose rows match what is published changes nothing and is not submitted. Otherwise it is
   received as an upload recording its source file, publication and notes, and checked; the same file
   again is the same upload (sha256), so nothing changes. Figures that differ from the published ones
   are restatements, shown in the upload's preview. With ``publish`` each is confirmed and published.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction

from divisions.models import Level, OrgUnit, SpecialtyDivision, TrustProfile
from kpis.models import Domain, Kpi, KpiSuite, Upload
from kpis.services.catalogue import save_kpi, save_suite
from kpis.services.checking import Checked, check_file, preview
from kpis.services.submission import (
    SubmissionError,
    confirm_upload,
    publish_upload,
    receive_upload,
    validate_upload,
)
from kpis.source_notes import official_file_won
from pmf.formatting import format_date
from pmf.models import User
from pmf.periods import financial_year_label
from pmf.services.audit import Actor, record_audit

from .catalogue import NationalKpi, national_kpis
from .peers import PeerLoad, load_peer_values
from .placing import OFFICIAL_AE, months_label, official_wins, place_rows, upload_csv
from .readers import NationalFile, PublishedFileError, read_published_bytes

NATIONAL_DOMAIN = "operational"
MAX_PROBLEMS_PER_FILE = 50


class NationalImportError(ValidationError):
    """Every reason the files were refused; nothing was written."""

    def __str__(self) -> str:
        return "\n".join(self.messages)


@dataclass
class FileOutcome:
    source_file: str
    publication: str
    months: list[date]
    rows: int
    new: int = 0
    restated: int = 0
    notes: list[str] = field(default_factory=list)
    sha256: str = ""
    upload: Upload | None = None
    message: str = ""
    # every organisation's values in the file, kept as peer values (reference data, never units of the trust)
    peers: PeerLoad | None = None


def _trust(ods: str) -> OrgUnit:
    profile = TrustProfile.objects.select_related("trust").first()
    if profile is not None and profile.ods_code.upper() != ods:
        raise NationalImportError(
            f"This deployment serves {profile.trust.name} ({profile.ods_code}), not {ods}: "
            "import the files with its own code."
        )
    if profile is not None:
        return profile.trust
    trust = OrgUnit.objects.filter(level=Level.TRUST).first()
    if trust is None:
        raise NationalImportError("There is no trust yet: set one up (start_trust) before importing.")
    return trust


def _read(files: list[tuple[str, bytes]], ods: str) -> tuple[list[NationalFile], list[str]]:
    """Each file with every organisation's rows, and every problem found (a file without the trust is one)."""
    read, problems = [], []
    for name, content in files:
        try:
            national = read_published_bytes(content, name=name)
        except PublishedFileError as error:
            problems += [f"{name}: {reason}" for reason in error.problems]
            continue
        if _the_trusts(national, ods).rows.empty:
            codes = sorted(national.rows["org_code"].unique())
            problems.append(
                f"{name}: {ods} is not in this {national.format} file, which has {len(codes)} organisations "
                f"({', '.join(codes[:8])}{' …' if len(codes) > 8 else ''}). Check the ODS code, or that the "
                "file is the one for this kind of trust."
            )
            continue
        read.append(national)
    return read, problems


def _the_trusts(national: NationalFile, ods: str) -> NationalFile:
    return replace(national, rows=national.rows[national.rows["org_code"].str.upper() == ods])


def _kpis_for(actor: Actor, codes: set[str]) -> dict[str, Kpi]:
    """The trust's KPI for each national code, created from the catalogue when missing."""
    found = {k.national_code: k for k in Kpi.objects.filter(national_code__in=codes)}
    for kpi in Kpi.objects.filter(code__in=codes - set(found), national_code=""):
        found[kpi.code] = kpi
    catalogue = national_kpis()
    for code in sorted(codes - set(found)):
        found[code] = _create_kpi(actor, catalogue[code])
    return found


def _create_kpi(actor: Actor, spec: NationalKpi) -> Kpi:
    domain = Domain.objects.filter(code=NATIONAL_DOMAIN).first() or Domain.objects.order_by("order").first()
    if domain is None:
        raise NationalImportError("The KPI catalogue has no domains yet: set up the catalogue first.")
    kpi = save_kpi(
        actor=actor,
        code=spec.code,
        tags=[],
        national_code=spec.code,
        name=spec.name,
        definition=spec.definition,
        numerator_definition=spec.numerator_definition,
        denominator_definition=spec.denominator_definition,
        unit=spec.unit,
        direction=spec.direction,
        aggregation=spec.aggregation,
        source=Kpi.Source.NATIONAL,
        national_guidance_ref=spec.national_guidance_ref,
        domain=domain,
    )
    record_audit(
        actor=actor,
        verb="created from the national catalogue",
        object_type=Kpi._meta.label,
        object_id=kpi.pk,
        after={"national_code": spec.code, "publication": spec.source_publication},
    )
    for suite in KpiSuite.objects.filter(status=KpiSuite.Status.DRAFT):
        save_suite(actor=actor, financial_year=suite.financial_year, kpis=[kpi])
    return kpi


def _in_draft_suites(actor: Actor, rows: pd.DataFrame, kpis: dict[str, Kpi]) -> None:
    """Put each national KPI in the draft suite of every year its rows cover that lacks it, as a KPI created
    from the catalogue is put in them (a draft is still being drawn up; an agreed suite is never changed)."""
    years = {code: set(block["month"].map(financial_year_label)) for code, block in rows.groupby("kpi_code")}
    drafts = KpiSuite.objects.filter(status=KpiSuite.Status.DRAFT).prefetch_related("entries")
    for suite in drafts:
        held = {entry.kpi_id for entry in suite.entries.all()}
        missing = [
            kpis[code]
            for code in sorted(years)
            if suite.financial_year in years[code] and kpis[code].pk not in held
        ]
        if missing:
            save_suite(actor=actor, financial_year=suite.financial_year, kpis=missing)


def _takeable(rows: pd.DataFrame, kpis: dict[str, Kpi], trust: OrgUnit) -> tuple[pd.DataFrame, list[str]]:
    """The rows for months the deployment can take, and a note for each KPI's months it cannot, saying why:
    the year has no KPI suite yet, the year's agreed suite does not hold the KPI, or the trust had not
    opened."""
    suites = {
        s.financial_year: {e.kpi_id for e in s.entries.all()}
        for s in KpiSuite.objects.prefetch_related("entries")
    }
    fy = rows["month"].map(financial_year_label)
    in_suite = pd.Series(
        [kpis[code].pk in suites.get(year, set()) for code, year in zip(rows["kpi_code"], fy, strict=True)],
        index=rows.index,
        dtype=bool,
    )
    opened = rows["month"] >= trust.active_from.replace(day=1)
    no_suite = opened & ~fy.isin(set(suites))
    reasons = {
        "no suite": (
            no_suite,
            lambda years: (
                f"there is no KPI suite for {years} yet: set the year's suite up (the setup "
                "workbook's suites, or the Setup pages), then import the file again"
            ),
        ),
        "not in suite": (
            opened & ~no_suite & ~in_suite,
            lambda years: f"the agreed {years} KPI suite does not hold it (an agreed suite is not changed)",
        ),
        "not opened": (
            ~opened,
            lambda years: f"the trust opened on {format_date(trust.active_from)}",
        ),
    }
    notes = []
    for refused, reason in reasons.values():
        for code, block in rows[refused].groupby("kpi_code"):
            years = ", ".join(sorted(set(fy[block.index])))
            notes.append(f"{code} {months_label(list(block['month']))} not imported: {reason(years)}.")
    return rows[in_suite & opened], notes


def _prepare(
    national: NationalFile, kpis: dict[str, Kpi], trust: OrgUnit, splits: dict[tuple[str, str], str]
) -> tuple[bytes, list[str]]:
    rows, notes = _takeable(national.rows, kpis, trust)
    placed, placing_notes = place_rows(rows, trust_code=trust.code, divisions=splits)
    content = upload_csv(
        placed,
        codes={code: kpi.code for code, kpi in kpis.items()},
        value_only={code for code, kpi in kpis.items() if kpi.aggregation == Kpi.Aggregation.NONE},
    )
    return content, notes + placing_notes


def _official_months_imported() -> set[date]:
    months = Upload.objects.filter(source_format=OFFICIAL_AE, status=Upload.Status.PUBLISHED)
    return {date.fromisoformat(m) for listed in months.values_list("months", flat=True) for m in listed}


def import_national_files(
    *, actor: Actor, ods: str, files: list[tuple[str, bytes]], publish: bool = False
) -> list[FileOutcome]:
    """Import published files for the trust with ODS code ``ods``; see the module docstring for the steps.

    ``files`` are (name, bytes). Raises ``NationalImportError`` listing every problem, having written nothing.
    """
    ods = ods.strip().upper()
    if publish and not isinstance(actor, User):
        raise NationalImportError("Publishing needs a named member of the performance team.")
    with transaction.atomic():
        trust = _trust(ods)
        published, problems = _read(files, ods)
        if problems:
            raise NationalImportError(problems)
        peers = {n.source_file: load_peer_values(n, actor=actor) for n in published}
        read = [_the_trusts(n, ods) for n in published]
        read, history_notes = official_wins(read, official_months=_official_months_imported())
        # The official file's upload records where it won too: the history may have no rows left to upload.
        won = [note for notes in history_notes.values() for note in official_file_won(notes)]
        codes = set().union(*(set(n.rows["kpi_code"]) for n in read))
        kpis = _kpis_for(actor, codes)
        if read:
            _in_draft_suites(actor, pd.concat([n.rows for n in read]), kpis)
        splits = {
            (s.kind, s.code): s.division.code for s in SpecialtyDivision.objects.select_related("division")
        }
        sha256 = {name: hashlib.sha256(content).hexdigest() for name, content in files}
        outcomes, prepared = [], []
        for national in read:
            content, notes = _prepare(national, kpis, trust, splits)
            if content.count(b"\n") < 2:  # the header alone: every row was left out, as the notes say
                empty = FileOutcome(
                    national.source_file,
                    national.publication,
                    [],
                    0,
                    notes=notes,
                    peers=peers[national.source_file],
                )
                empty.notes[:0] = history_notes.get(national.source_file, [])
                empty.message = "No rows the trust can take from this file: nothing to import."
                outcomes.append(empty)
                continue
            checked = check_file(content, warnings=False)
            for error in checked.errors.head(MAX_PROBLEMS_PER_FILE).itertuples(index=False):
                problems.append(f"{national.source_file}: {error.value} — {error.reason}")
            outcome = FileOutcome(
                source_file=national.source_file,
                publication=national.publication,
                months=checked.months,
                rows=checked.row_count,
                notes=history_notes.get(national.source_file, [])
                + (won if national.format == OFFICIAL_AE else [])
                + notes,
                sha256=sha256[national.source_file],
                peers=peers[national.source_file],
            )
            outcomes.append(outcome)
            prepared.append((outcome, national, content, checked))
        if problems:
            raise NationalImportError(problems)
        for outcome, national, content, checked in prepared:
            _submit(actor, outcome, national, content, checked, publish=publish)
    return outcomes


def _submit(
    actor: Actor,
    outcome: FileOutcome,
    national: NationalFile,
    content: bytes,
    checked: Checked,
    *,
    publish: bool,
) -> None:
    """Receive, check and (with ``publish``) publish one file's rows, unless they change nothing."""
    assert checked.lookups is not None  # a file that passed its check was checked against them
    summary = preview(checked.rows, lookups=checked.lookups)
    outcome.new, outcome.restated = int(str(summary["new"])), int(str(summary["restated"]))
    if not outcome.new and not outcome.restated:
        outcome.message = f"All {outcome.rows} values are as published already: nothing changed."
        return
    received = receive_upload(actor=actor, content=content, name=f"{national.source_file} (national import)")
    upload = received.upload
    outcome.upload = upload
    if not received.created and not (publish and upload.status == Upload.Status.VALID):
        outcome.message = received.message
        return
    if received.created:
        _record_source(actor, upload, national, outcome)
        upload = validate_upload(upload_id=upload.pk)
    if upload.status != Upload.Status.VALID:
        raise NationalImportError(f"{national.source_file}: the check found {len(upload.errors)} problems.")
    if publish:
        try:
            confirm_upload(actor=actor, upload=upload)
            publish_upload(actor=actor, upload=Upload.objects.get(pk=upload.pk))
        except SubmissionError as error:
            raise NationalImportError(f"{national.source_file}: {error}") from error
        outcome.message = f"Published: {outcome.new} new values, {outcome.restated} restated."
    else:
        outcome.message = (
            f"Checked: {outcome.new} new values, {outcome.restated} restated; confirm and publish it."
        )
    outcome.upload = Upload.objects.get(pk=upload.pk)


def _record_source(actor: Actor, upload: Upload, national: NationalFile, outcome: FileOutcome) -> None:
    """Record on the upload the published file its rows came from, and what the import decided."""
    Upload.objects.filter(pk=upload.pk).update(
        source_file=national.source_file[:255],
        publication=national.publication,
        source_format=national.format,
        source_sha256=outcome.sha256,
        source_notes=outcome.notes,
    )
    record_audit(
        actor=actor,
        verb="imported from a national publication",
        object_type=Upload._meta.label,
        object_id=upload.pk,
        after={
            "source_file": national.source_file,
            "publication": national.publication,
            "notes": outcome.notes,
        },
    )
