"""The setup workbook's upload form."""

from django import forms
from django.conf import settings


class SetupWorkbookForm(forms.Form):
    file = forms.FileField(
        label="Setup workbook",
        help_text="The Excel workbook (.xlsx) as downloaded and filled in, or a zip of its CSV files.",
    )

    def clean_file(self) -> bytes:
        uploaded = self.cleaned_data["file"]
        limit = settings.PMF_UPLOAD_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                f"The file is {uploaded.size / 1e6:.1f} MB; the most PMF accepts is {limit / 1e6:.1f} MB."
            )
        return uploaded.read()
