"""The application page's forms. They check what a person typed; `tracker/records.py`
makes the change."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from tracker import imports
from tracker.models import Contact, Interview

# The zones the interview form offers, west to east; the server's own is added if missing.
COMMON_ZONES = (
    "Pacific/Honolulu", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/Mexico_City",
    "America/New_York", "America/Toronto", "America/Halifax", "America/Martinique", "America/Sao_Paulo",
    "America/St_Johns", "UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Africa/Casablanca",
    "Europe/Paris", "Europe/Brussels", "Europe/Amsterdam", "Europe/Berlin", "Europe/Zurich", "Europe/Madrid",
    "Europe/Rome", "Europe/Stockholm", "Europe/Warsaw", "Africa/Lagos", "Europe/Athens", "Europe/Helsinki",
    "Europe/Kyiv", "Africa/Johannesburg", "Europe/Istanbul", "Africa/Nairobi", "Asia/Dubai", "Indian/Reunion",
    "Asia/Karachi", "Asia/Kolkata", "Asia/Bangkok", "Asia/Singapore", "Asia/Shanghai", "Asia/Tokyo",
    "Australia/Sydney", "Pacific/Noumea", "Pacific/Auckland",
)

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def zone_choices(*also: str) -> list[tuple[str, str]]:
    zones = list(COMMON_ZONES)
    for zone in (settings.TIME_ZONE, *also):
        if zone and zone not in zones:
            zones.insert(0, zone)
    return [(zone, zone.replace("_", " ")) for zone in zones]


class RatingForm(forms.Form):
    # Empty: the rating is cleared.
    rating = forms.IntegerField(label=gettext_lazy("Rating"), required=False, min_value=1, max_value=5)


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(label=gettext_lazy("Follow up on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class SnoozeForm(forms.Form):
    """Put a follow-up off: by a number of days from today (the buttons), or to a day."""

    days = forms.TypedChoiceField(choices=[("2", "2"), ("7", "7")], coerce=int, empty_value=None, required=False)
    until = forms.DateField(label=gettext_lazy("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if data.get("days"):
            data["until"] = self.today + timedelta(days=data["days"])
        elif not data.get("until"):
            if not self.errors:
                raise forms.ValidationError(gettext("Pick a day to be reminded on."), code="required")
        elif data["until"] <= self.today:
            raise forms.ValidationError(gettext("Pick a day after today."), code="past")
        return data


class CoverLetterForm(forms.Form):
    cover_letter = forms.CharField(label=gettext_lazy("Cover letter"), required=False, max_length=20_000,
                                   strip=False, widget=forms.Textarea(attrs={"rows": 12}))

    def clean_cover_letter(self):
        # Browsers send a textarea's line breaks as CRLF; keep the letter as one text.
        return self.cleaned_data["cover_letter"].replace("\r\n", "\n").rstrip()


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def clean_note(self):
        return self.cleaned_data["note"].replace("\r\n", "\n")


class WebLinkField(forms.URLField):
    """A link to follow from the page: http or https only, never `javascript:`."""

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {"invalid": gettext_lazy("Enter a web link starting with http:// or https://.")}

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


class ContactForm(forms.ModelForm):
    link = WebLinkField(label=gettext_lazy("Profile link"), required=False, max_length=500)

    class Meta:
        model = Contact
        fields = ("name", "role", "email", "phone", "link", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class LocalDateTimeField(forms.DateTimeField):
    """A date and time read as typed, in no zone (Django's would read it in the server's):
    the zone is another field's."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        return BaseTemporalField.to_python(self, value.strip())


class InterviewForm(forms.ModelForm):
    """The date and time as the person reads them in the zone they pick; stored as an
    instant (`starts_at`) with that zone."""

    local_start = LocalDateTimeField(
        label=gettext_lazy("Date and time"), input_formats=[LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT))
    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"))

    class Meta:
        model = Interview
        fields = ("kind", "with_whom", "preparation", "outcome")
        widgets = {"preparation": forms.Textarea(attrs={"rows": 3}), "outcome": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.instance.time_zone if self.instance.pk else settings.TIME_ZONE
        self.fields["time_zone"].choices = zone_choices(zone)
        self.fields["time_zone"].initial = zone
        if self.instance.pk:
            local = timezone.localtime(self.instance.starts_at, ZoneInfo(zone))
            self.fields["local_start"].initial = local.replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        local, zone = cleaned.get("local_start"), cleaned.get("time_zone")
        if local is not None and zone:
            cleaned["starts_at"] = local.replace(tzinfo=ZoneInfo(zone))
        return cleaned

    def record_fields(self) -> dict:
        """What `tracker/records.py` stores."""
        data = self.cleaned_data
        return {"starts_at": data["starts_at"], "time_zone": data["time_zone"], "kind": data["kind"],
                "with_whom": data["with_whom"], "preparation": data["preparation"], "outcome": data["outcome"]}


class ImportForm(forms.Form):
    """A spreadsheet of past applications to import (tracker/imports.py reads it)."""

    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv,text/plain"}),
        help_text=gettext_lazy("Saved from your spreadsheet as “CSV UTF-8”, at most 2 MB and 2,000 rows."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(imports.too_big(upload.size))
        return upload


def _skills(text: str) -> list[str]:
    """"Python, AWS (EC2, S3)\nDjango" → the three skills: commas and lines separate them,
    except a comma inside brackets, part of a skill's own name."""
    skills, current, depth = [], [], 0
    for character in text:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(character, 0)
        depth = max(depth, 0)
        if character == "\n" or (character == "," and depth == 0):
            skills.append("".join(current))
            current, depth = [], 0
        else:
            current.append(character)
    return [*skills, "".join(current)]


class TailoredCvForm(forms.Form):
    """The person's edits of a tailored CV: its summary, the skills' order, each entry's
    lines, and the entries they leave out. Titles, employers and dates are the profile's:
    they are not in this form (the profile page edits them)."""

    summary = forms.CharField(label=gettext_lazy("Summary"), required=False, max_length=800,
                              widget=forms.Textarea(attrs={"rows": 3}))
    skills = forms.CharField(label=gettext_lazy("Skills, in the order shown"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("Separated by commas. Only skills of your profile."))

    def __init__(self, doc, *args, **kwargs):
        """`doc`: the tailored CV with its left-out entries put back (coach.tailoring.whole)."""
        super().__init__(*args, **kwargs)
        self.doc = doc
        left_out = set(doc.left_out)
        self.entry_rows = []
        for entry in doc.entries():
            name = f"entry_{entry.entry_id}"
            self.fields[name] = forms.CharField(
                label=" · ".join(filter(None, [entry.title, entry.organisation])), required=False, max_length=5000,
                initial=entry.description, widget=forms.Textarea(attrs={"rows": 4}))
            self.fields[f"keep_{entry.entry_id}"] = forms.BooleanField(
                label=gettext_lazy("In this CV"), required=False, initial=entry.entry_id not in left_out)
            self.entry_rows.append((entry, self[name], self[f"keep_{entry.entry_id}"]))
        self.fields["summary"].initial = doc.summary
        self.fields["skills"].initial = ", ".join(doc.skills)

    def edited(self):
        """The tailored CV as edited."""
        data = self.cleaned_data
        doc = type(self.doc).from_json(self.doc.to_json())
        doc.summary = " ".join(data["summary"].split())
        doc.skills = [" ".join(skill.split()) for skill in _skills(data["skills"]) if skill.strip()]
        doc.left_out = []
        for section in doc.sections:
            kept = []
            for entry in section.entries:
                entry.description = data.get(f"entry_{entry.entry_id}", entry.description).replace("\r\n", "\n").strip()
                if data.get(f"keep_{entry.entry_id}", True):
                    kept.append(entry)
                else:
                    doc.left_out.append(entry.entry_id)
            section.entries = kept
        doc.sections = [section for section in doc.sections if section.entries]
        return doc
