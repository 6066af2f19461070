import math
import zoneinfo
from datetime import date

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext, ngettext, pgettext_lazy

from jobmate.notifications.models import Notification
from profiles import throttle
from profiles.models import Profile, ProfileEntry, User, time_zone_names
from profiles.skills import MAX_LENGTH as MAX_SKILL_LENGTH
from profiles.skills import split_skills


class SignupForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "time_zone")
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
                   # The browser's time zone, filled in by static/js/app.js.
                   "time_zone": forms.HiddenInput(attrs={"data-browser-time-zone": True})}

    def clean_time_zone(self):
        """A browser sends what it knows; one this server does not know is left for the
        site's zone rather than refused (the person never saw this field)."""
        value = self.cleaned_data.get("time_zone", "")
        return value if value in zoneinfo.available_timezones() else ""

    def _post_clean(self):
        # The model's validator would refuse the unknown zone clean_time_zone already left
        # out; a hidden field's error could not be shown anyway.
        super()._post_clean()
        self.errors.pop("time_zone", None)

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this email address already exists. Log in instead?"), code="taken"
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


class TimeZoneForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("time_zone",)
        labels = {"time_zone": _("Time zone")}
        widgets = {"time_zone": forms.Select()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.choices = [
            ("", _("The site's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE}),
            *((name, name.replace("_", " ")) for name in time_zone_names())]


class RemindersForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("followup_emails", "ghost_after_days")
        labels = {"followup_emails": _("Email me on the mornings something is due"),
                  "ghost_after_days": _("List applications with no news for (days)")}
        widgets = {"ghost_after_days": forms.NumberInput(attrs={"min": 7, "max": 365, "placeholder": "30"})}


class NotificationEmailsForm(forms.Form):
    """Which notifications also come by email (jobmate.notifications)."""

    kinds = forms.MultipleChoiceField(
        label=_("Also email me when"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(kind.value, kind.label) for kind in Notification.EMAILED],
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        required=False,
        label=_("Their email address (optional)"),
        widget=forms.EmailInput(attrs={"placeholder": _("friend@example.com")}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label=_("Token name"),
        error_messages={"required": _("Give the token a name, to tell it from your others."),
                        "max_length": _("A token name is at most %(limit_value)d characters (it has %(show_value)d).")},
        widget=forms.TextInput(attrs={"placeholder": _("e.g. my laptop's scripts"), "autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = self.cleaned_data["name"]
        if self.user.api_tokens.filter(name__iexact=name).exists():
            raise self.name_taken_error()
        return name

    def name_taken_error(self) -> forms.ValidationError:
        return forms.ValidationError(
            _("You already have a token named “%(name)s”. Pick another name, or revoke that one first."),
            code="taken", params={"name": self.data.get("name", "").strip()})


# --- the profile page ---------------------------------------------------------------------

IDENTITY_FIELDS = ("full_name", "headline", "location")

_IDENTITY_PLACEHOLDERS = {
    "full_name": _("Ada Lovelace"),
    "headline": _("Backend developer, Python and Django"),
    "location": _("Lyon, France"),
}

# What the page says once a field is saved: a whole sentence per field.
IDENTITY_SAVED = {
    "full_name": _("Your full name is saved."),
    "headline": _("Your headline is saved."),
    "location": _("Your location is saved."),
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
        label=_("Add skills"), max_length=1000,
        error_messages={"required": _("Type a skill to add.")},
        widget=forms.TextInput(attrs={"placeholder": "python, django, sql", "autocomplete": "off",
                                      "data-tag-input": True}),
    )

    def clean_skills(self):
        skills = split_skills(self.cleaned_data["skills"])
        if not skills:
            raise forms.ValidationError(_("Type a skill to add."), code="required")
        for skill in skills:
            if len(skill) > MAX_SKILL_LENGTH:
                raise forms.ValidationError(
                    _("“%(skill)s…” is too long: a skill is at most %(limit)d characters. "
                      "Separate several with commas."),
                    code="max_length", params={"skill": skill[:40], "limit": MAX_SKILL_LENGTH})
        return skills


class MonthYearWidget(forms.MultiWidget):
    """A month menu and a year box. They read the same in every browser, which
    `<input type="month">` does not: Chromium shows an empty one as "--------- ----", and
    Firefox and Safari as a bare text box."""

    template_name = "profiles/widgets/month_year.html"

    def __init__(self, attrs=None):
        months = [("", pgettext_lazy("a month menu's empty choice", "Month")),
                  *((str(number), name) for number, name in MONTHS.items())]
        year = forms.NumberInput(attrs={"min": 1900, "max": 2100, "placeholder": _("Year"),
                                        "class": "month-year__year"})
        super().__init__([forms.Select(choices=months), year], attrs)

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""  # the field's label names the month menu, as Django's SelectDateWidget does

    def decompress(self, value):
        """[month, year] of a date, or of "2021-9" (what the widget sent, shown again with an error)."""
        if isinstance(value, date):
            return [str(value.month), str(value.year)]
        year, dash, month = str(value or "").partition("-")
        return [month, year] if dash and month.isdigit() else ["", year if dash else ""]

    def value_from_datadict(self, data, files, name):
        if name in data:  # one value, as a script sends it: "2021-09"
            return data[name]
        month, year = (str(part or "").strip() for part in super().value_from_datadict(data, files, name))
        return f"{year}-{month}" if month or year else ""

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class MonthField(forms.DateField):
    """A month: chosen in the menu with its year typed beside it (sent as "2021-9"), or
    one value from a script ("2021-09", "09/2021"). Stored as the month's first day."""

    widget = MonthYearWidget
    default_error_messages = {"invalid": _("Choose the month and type the year, for example September 2021.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%m/%Y", "%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        if not 1900 <= value.year <= 2100:
            raise forms.ValidationError(_("Enter a year between 1900 and 2100."), code="invalid")
        return value.replace(day=1)


# What each section calls its fields: (title, organisation, place, start, end).
_PLACE = _("Place")
_START = pgettext_lazy("the first month of a job, a course or a project", "Start")
_END = pgettext_lazy("the last month of a job, a course or a project", "End")
_ENTRY_LABELS = {
    ProfileEntry.Kind.EXPERIENCE: (_("Job title"), _("Company"), _PLACE, _START, _END),
    ProfileEntry.Kind.EDUCATION: (_("Degree or course"), _("School"), _PLACE, _START, _END),
    ProfileEntry.Kind.CERTIFICATIONS: (_("Certification"), _("Issued by"), _PLACE,
                                       pgettext_lazy("the month a certification was issued", "Issued"),
                                       pgettext_lazy("the month a certification expires", "Expires")),
    ProfileEntry.Kind.PROJECTS: (_("Project"), _("For or with"), _PLACE, _START, _END),
}


class EntryForm(forms.ModelForm):
    start = MonthField(required=False)
    end = MonthField(required=False, help_text=_("Leave empty if it is still going on."))

    class Meta:
        model = ProfileEntry
        fields = ["title", "organisation", "place", "start", "end", "description"]
        widgets = {
            "title": forms.TextInput(attrs={"autofocus": True}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"description": _("Plain text: what you did, learnt or built.")}

    def __init__(self, *args, kind: str, **kwargs):
        # Several sections can show a form at once: ids stay unique per section.
        kwargs.setdefault("auto_id", f"{kind}-%s")
        super().__init__(*args, **kwargs)
        for name, label in zip(("title", "organisation", "place", "start", "end"), _ENTRY_LABELS[kind]):
            self.fields[name].label = label
        for name in ("start", "end"):
            # The field's label names the month menu; the year box says what it is itself.
            year = self.fields[name].widget.widgets[1]
            year.attrs["aria-label"] = gettext("%(label)s: year") % {"label": self.fields[name].label}
        if kind == ProfileEntry.Kind.CERTIFICATIONS:
            self.fields["end"].help_text = _("Leave empty if it does not expire.")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", forms.ValidationError(_("The end cannot be before the start."), code="end_before_start"))
        return data


class DeleteAccountForm(forms.Form):
    """The password again before an account goes: a session left open is not enough.
    Throttled as logging in is (profiles/throttle.py), with the same counters, so this form
    guesses no password the log-in page would stop."""

    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    retry_after = 0

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def _wait(self) -> forms.ValidationError:
        minutes = math.ceil(self.retry_after / 60)
        return forms.ValidationError(ngettext(
            "Too many wrong passwords. Wait %(minutes)d minute, then try again.",
            "Too many wrong passwords. Wait %(minutes)d minutes, then try again.", minutes,
        ) % {"minutes": minutes}, code="throttled")

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        self.retry_after = throttle.login_wait(request=self.request, username=user.email)
        if self.retry_after:
            raise self._wait()
        if not user.check_password(password):
            self.retry_after = throttle.login_failed(request=self.request, username=user.email)
            if self.retry_after:
                raise self._wait()
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password
