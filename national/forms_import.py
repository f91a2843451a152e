"""The national import page's form: only collects the trust's code and the published file (its size checked
as any upload's is)."""

from __future__ import annotations

from typing import Any

from django import forms

from kpis.forms import UploadForm


class NationalFileForm(UploadForm):
    ods = forms.CharField(
        label="Trust ODS code",
        max_length=10,
        help_text="The code NHS England lists the trust under, e.g. RWD",
    )
    field_order = ["ods", "file"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Published file"
        self.fields["file"].help_text = (
            "As NHS England published it, CSV or .xlsx: monthly A&E, the A&E history, RTT, cancer waiting "
            "times, DM01 or AmbSYS."
        )

    def clean_ods(self) -> str:
        return str(self.cleaned_data["ods"]).strip().upper()
