from django import forms
from django.utils.translation import gettext, gettext_lazy

from coach import pdftext


class CvForm(forms.Form):
    """A CV to import: a PDF of at most 5 MB (checked by its content in coach/cvimport.py)."""

    cv = forms.FileField(
        label=gettext_lazy("Your CV (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text=gettext_lazy(
            "A PDF with text in it, at most 5 MB. It stays on this JobMate, only you can download it."),
    )

    def clean_cv(self):
        upload = self.cleaned_data["cv"]
        if upload.size > pdftext.MAX_BYTES:
            raise forms.ValidationError(gettext("This file is %(size).1f MB: a CV of at most 5 MB, please.")
                                        % {"size": upload.size / 1024 / 1024})
        return upload
