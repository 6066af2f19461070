from django import forms

from discovery.models import RemotePolicy, SearchConfig
from discovery.sources import KEYWORD_SOURCES


def split_terms(value: str) -> list[str]:
    return [term.strip() for term in value.replace("\n", ",").split(",") if term.strip()]


class SearchForm(forms.Form):
    """An ad-hoc search, or "run saved search X"."""

    keywords = forms.CharField(
        required=False, max_length=500, help_text="Separate several with commas: python, django",
        widget=forms.TextInput(attrs={"placeholder": "python, django", "autofocus": True}),
    )
    location = forms.CharField(required=False, max_length=120, widget=forms.TextInput(attrs={"placeholder": "Paris"}))
    remote_policy = forms.ChoiceField(choices=RemotePolicy.choices, initial=RemotePolicy.ANY, label="Remote")
    sources = forms.MultipleChoiceField(
        choices=[(name, module.LABEL) for name, module in KEYWORD_SOURCES.items()],
        initial=list(KEYWORD_SOURCES), widget=forms.CheckboxSelectMultiple, required=False,
    )
    saved_search = forms.ModelChoiceField(queryset=SearchConfig.objects.none(), required=False,
                                          empty_label="— or run a saved search —")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_search"].queryset = SearchConfig.objects.filter(user=user)

    def clean(self):
        data = super().clean()
        if data.get("saved_search"):
            return data
        data["keywords"] = split_terms(data.get("keywords") or "")
        if not data["keywords"]:
            self.add_error("keywords", "Type at least one keyword, or pick a saved search.")
        if not data.get("sources"):
            self.add_error("sources", "Pick at least one job board.")
        return data


class AddByUrlForm(forms.Form):
    url = forms.URLField(label="Link to the job offer", max_length=2000, assume_scheme="https",
                         widget=forms.URLInput(attrs={"placeholder": "https://…", "autofocus": True}))

    def clean_url(self):
        from discovery.urlsafety import UnsafeURL, check_url

        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except UnsafeURL as exc:
            raise forms.ValidationError(str(exc)) from None
        return url


class ManualOfferForm(forms.Form):
    company = forms.CharField(max_length=200)
    title = forms.CharField(max_length=300, label="Job title / profile sought")
    location = forms.CharField(max_length=200, required=False)
    contract_type = forms.CharField(max_length=60, required=False, label="Contract type",
                                    widget=forms.TextInput(attrs={"placeholder": "Permanent, freelance, internship…"}))
    start_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    url = forms.URLField(required=False, max_length=2000, assume_scheme="https", label="Link (optional)")
    company_description = forms.CharField(required=False, max_length=5000, label="About the company",
                                          widget=forms.Textarea(attrs={"rows": 3}))
    why_us = forms.CharField(required=False, max_length=5000, label="Why this company",
                             widget=forms.Textarea(attrs={"rows": 3}))
