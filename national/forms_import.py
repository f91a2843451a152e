"""The national import page's form: only collects the file and the trust's code."""

from __future__ import annotations

from django import forms
from django.conf import settings


class NationalFileForm(forms.Form):
    ods = forms.CharField(
        label="Trust ODS code",
        max_length=10,
        help_text="The code NHS England lists the trust under, e.g. RWD",
    )
    file = forms.FileField(
        label="Published file",
        help_text="As NHS England published it, CSV or .xlsx: monthly A&E, the A&E history, RTT, cancer "
        "waiting times, DM01 or AmbSYS.",
    )

    def clean_ods(self) -> str:
        return str(self.cleaned_data["ods"]).strip().upper()

    def clean_file(self) -> bytes:
        uploaded = self.cleaned_data["file"]
        limit = settings.PMF_UPLOAD_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                f"The file is {uploaded.size / 1e6:.1f} MB; the most PMF accepts is {limit / 1e6:.1f} MB."
            )
        return bytes(uploaded.read())
