from django import forms
from django.utils.translation import gettext_lazy

from jobmate.tasks.models import Task
from jobmate.tasks.registry import kind_label


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("Any status")), ("active", gettext_lazy("Active")), *Task.Status.choices],
        required=False, label=gettext_lazy("Status"),
    )
    kind = forms.ChoiceField(choices=[("", gettext_lazy("Any kind"))], required=False, label=gettext_lazy("Kind"))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", gettext_lazy("Any kind")), *[(kind, kind_label(kind)) for kind in kinds]]


def answer_form(question: dict, data=None) -> forms.Form:
    """The form for a task's question (see TaskContext.ask)."""
    fields = {}
    for spec in question.get("fields", []):
        common = {
            "label": spec.get("label") or spec["name"].replace("_", " ").capitalize(),
            "required": spec.get("required", False),
            "initial": spec.get("initial"),
            "help_text": spec.get("help", ""),
        }
        match spec.get("type", "text"):
            case "textarea":
                fields[spec["name"]] = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000, **common)
            case "url":
                fields[spec["name"]] = forms.URLField(max_length=2000, assume_scheme="https", **common)
            case _:
                fields[spec["name"]] = forms.CharField(max_length=500, **common)
    return type("AnswerForm", (forms.Form,), fields)(data=data, prefix="answer")
