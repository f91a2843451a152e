"""The setup workbook's upload form: the data upload's form (and its size limit), for a workbook."""

from django import forms

from kpis.forms import UploadForm


class SetupWorkbookForm(UploadForm):
    file = forms.FileField(
        label="Setup workbook",
        help_text="The Excel workbook (.xlsx) as downloaded and filled in, or a zip of its CSV files.",
    )
