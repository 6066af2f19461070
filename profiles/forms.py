import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from profiles import throttle
from profiles.models import Profile, ProfileEntry, User
from profiles.skills import MAX_LENGTH as MAX_SKILL_LENGTH
from profiles.skills import split_skills


class SignupForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})}

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email address already exists. Log in instead?"
            )
        return email


# --- log-in and password reset, throttled (profiles/throttle.py) ---------------------------

def _wait_message(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many failed attempts to log in. Wait %(minutes)d minute, then try again.",
        "Too many failed attempts to log in. Wait %(minutes)d minutes, then try again.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledLogin:
    """For a log-in form: while the throttle says wait, the password is not even checked,
    and `retry_after` (seconds) tells the view to answer 429. Counts failures, clears the
    count on success."""

    retry_after = 0

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        self.retry_after = throttle.login_wait(request=self.request, username=username)
        if self.retry_after:
            raise forms.ValidationError(_wait_message(self.retry_after), code="throttled")
        try:
            cleaned_data = super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                self.retry_after = throttle.login_failed(request=self.request, username=username)
                if self.retry_after:
                    raise forms.ValidationError(_wait_message(self.retry_after), code="throttled") from None
            raise
        if self.get_user() is not None:  # None when a field was left empty: nothing was tried
            throttle.login_succeeded(request=self.request, username=username)
        return cleaned_data


class LoginForm(ThrottledLogin, auth_forms.AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLogin, AdminAuthenticationForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, sending at most a few mails per address and hour; beyond that the page
    says what it always says and no mail leaves."""

    def save(self, **kwargs):
        if throttle.reset_mail_allowed(email=self.cleaned_data["email"]):
            super().save(**kwargs)


class InviteForm(forms.Form):
    email = forms.EmailField(
        required=False,
        label=_("Their email address (optional)"),
        widget=forms.EmailInput(attrs={"placeholder": _("friend@example.com")}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        widget=forms.TextInput(attrs={"placeholder": "e.g. my laptop's scripts"}),
    )


# --- the profile page ---------------------------------------------------------------------

IDENTITY_FIELDS = ("full_name", "headline", "location")

_IDENTITY_PLACEHOLDERS = {
    "full_name": "Ada Lovelace",
    "headline": "Backend developer, Python and Django",
    "location": "Lyon, France",
}


def identity_form(name: str, *args, **kwargs) -> forms.ModelForm:
    """A form for one field of the profile's identity card (full name, headline, location)."""
    form_class = forms.modelform_factory(
        Profile, fields=[name],
        widgets={name: forms.TextInput(attrs={"autofocus": True, "placeholder": _IDENTITY_PLACEHOLDERS[name]})},
    )
    return form_class(*args, **kwargs)


class SkillsForm(forms.Form):
    """Skills to add. The tag input sends one at a time; without JavaScript it is a plain
    field that takes several, separated by commas."""

    skills = forms.CharField(
        label="Add skills", max_length=1000,
        error_messages={"required": "Type a skill to add."},
        widget=forms.TextInput(attrs={"placeholder": "python, django, sql", "autocomplete": "off",
                                      "data-tag-input": True}),
    )

    def clean_skills(self):
        skills = split_skills(self.cleaned_data["skills"])
        if not skills:
            raise forms.ValidationError("Type a skill to add.")
        for skill in skills:
            if len(skill) > MAX_SKILL_LENGTH:
                raise forms.ValidationError(
                    f"“{skill[:40]}…” is too long: a skill is at most {MAX_SKILL_LENGTH} characters. "
                    "Separate several with commas.")
        return skills


class MonthField(forms.DateField):
    """A month, as `<input type="month">` sends it (2021-09), or typed where browsers show a
    plain text field (2021-09, 09/2021). Stored as the month's first day."""

    widget = forms.DateInput(format="%Y-%m", attrs={"type": "month", "placeholder": "YYYY-MM"})
    default_error_messages = {"invalid": "Enter a month as YYYY-MM, for example 2021-09."}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%m/%Y", "%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        if not 1900 <= value.year <= 2100:
            raise forms.ValidationError("Enter a year between 1900 and 2100.", code="invalid")
        return value.replace(day=1)


# What each section calls its fields: (title, organisation, place, start, end).
_ENTRY_LABELS = {
    ProfileEntry.Kind.EXPERIENCE: ("Job title", "Company", "Place", "Start", "End"),
    ProfileEntry.Kind.EDUCATION: ("Degree or course", "School", "Place", "Start", "End"),
    ProfileEntry.Kind.CERTIFICATIONS: ("Certification", "Issued by", "Place", "Issued", "Expires"),
    ProfileEntry.Kind.PROJECTS: ("Project", "For or with", "Place", "Start", "End"),
}


class EntryForm(forms.ModelForm):
    start = MonthField(required=False)
    end = MonthField(required=False, help_text="Leave empty if it is still going on.")

    class Meta:
        model = ProfileEntry
        fields = ["title", "organisation", "place", "start", "end", "description"]
        widgets = {
            "title": forms.TextInput(attrs={"autofocus": True}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"description": "Plain text: what you did, learnt or built."}

    def __init__(self, *args, kind: str, **kwargs):
        # Several sections can show a form at once: ids stay unique per section.
        kwargs.setdefault("auto_id", f"{kind}-%s")
        super().__init__(*args, **kwargs)
        for name, label in zip(("title", "organisation", "place", "start", "end"), _ENTRY_LABELS[kind]):
            self.fields[name].label = label
        if kind == ProfileEntry.Kind.CERTIFICATIONS:
            self.fields["end"].help_text = "Leave empty if it does not expire."

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end cannot be before the start.")
        return data
