"""Reading a JSON request body that anyone may have written, and binding it to a form.

`read_object(request)` returns the body as a dict, or raises `InvalidBody` saying why:
too large (413), not UTF-8, nested too deeply (checked before `json.loads`, whose recursion
would otherwise blow up), not JSON, not an object, or holding text PostgreSQL cannot store
(NUL characters, lone surrogates such as "\\ud800"). `bound_form(...)` then validates the
object with the very form the page uses, after JSON's own check that each value has the
type its field takes.

Infrastructure: knows no app and no error format (the API turns `InvalidBody` into its
JSON errors).
"""

from __future__ import annotations

import json
import re

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _

MAX_BYTES = 64 * 1024
MAX_DEPTH = 20

# What PostgreSQL refuses in text: NUL, and code points UTF-8 cannot encode (lone surrogates;
# a valid pair written as two escapes comes out of json.loads as one character).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# The characters that matter for nesting: brackets, and what opens, closes or escapes a string.
_STRUCTURE = re.compile(r'[\[\]{}"\\]')


class InvalidBody(Exception):
    """The body cannot be used; `message` says why, `fields` which values (name → messages)."""

    def __init__(self, message: str, *, status: int = 400, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message, self.status, self.fields = message, status, fields or {}


def read_object(request, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> dict:
    """The request's JSON object (an empty body is `{}`). Raises InvalidBody."""
    too_large = InvalidBody(_("The body is too large: at most %(size)d KiB.")
                            % {"size": max_bytes // 1024}, status=413)
    # Refused before reading, from the length the body declares (all Django would read).
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        raise too_large
    raw = request.body
    if len(raw) > max_bytes:
        raise too_large
    if not raw:
        return {}
    try:
        text = raw.decode("utf-8")  # strict: encoded surrogates are invalid UTF-8 too
    except UnicodeDecodeError:
        raise InvalidBody(_("The body must be JSON in UTF-8.")) from None
    if _nesting_depth(text, max_depth) > max_depth:
        raise InvalidBody(_("The JSON is nested too deeply: at most %(depth)d levels.")
                          % {"depth": max_depth})
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except ValueError:  # JSONDecodeError, NaN or Infinity, an integer of thousands of digits
        raise InvalidBody(_("The body must be JSON.")) from None
    if not isinstance(document, dict):
        raise InvalidBody(_("The body must be a JSON object."))
    _refuse_unstorable_text(document)
    return document


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _nesting_depth(text: str, limit: int) -> int:
    """How deep arrays and objects nest in `text` (JSON or not), counted up to `limit` + 1.

    One pass over the structural characters: a bracket inside a string does not count."""
    depth = deepest = 0
    in_string, skip = False, -1
    for match in _STRUCTURE.finditer(text):
        char, at = match.group(), match.start()
        if in_string:
            if at == skip:  # the character after a backslash
                continue
            if char == "\\":
                skip = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                break
        elif char in "]}":
            depth -= 1
    return deepest


def _unstorable(value) -> str | None:
    """The first character of `value` (keys and items too) that PostgreSQL cannot store."""
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        return found.group() if found else None
    if isinstance(value, dict):
        value = [text for pair in value.items() for text in pair]
    if isinstance(value, list):
        return next(filter(None, map(_unstorable, value)), None)
    return None


def _refuse_unstorable_text(document: dict) -> None:
    fields = {}
    for key, value in document.items():
        if _unstorable(key):
            raise InvalidBody(_("Field names must be plain text, without NUL characters or "
                                "lone surrogates."))
        if char := _unstorable(value):
            fields[key] = [str(ProhibitNullCharactersValidator.message) if char == "\x00" else
                           _("Lone surrogates (\\ud800 to \\udfff) are not allowed: "
                             "send valid Unicode text.")]
    if fields:
        raise InvalidBody(_("Some values hold characters that cannot be stored."), fields=fields)


# --- binding a JSON object to a form ----------------------------------------------------

def _type_problem(field: forms.Field, value) -> str | None:
    """What is wrong with the JSON type of `value` for `field` (None: nothing)."""
    def whole(number):
        return isinstance(number, int) and not isinstance(number, bool)

    def texts(items):
        return isinstance(items, list) and all(isinstance(item, str) for item in items)

    if isinstance(field, forms.BooleanField):
        return None if isinstance(value, bool) else _("Give true or false.")
    if isinstance(field, forms.ModelMultipleChoiceField):
        ids = isinstance(value, list) and all(map(whole, value))
        return None if ids else _("Give a list of ids (whole numbers).")
    if isinstance(field, forms.ModelChoiceField):
        return None if whole(value) else _("Give an id (a whole number).")
    if isinstance(field, (forms.FloatField, forms.DecimalField)):
        return None if whole(value) or isinstance(value, float) else _("Give a number.")
    if isinstance(field, forms.IntegerField):
        return None if whole(value) else _("Give a whole number.")
    if isinstance(field, forms.MultipleChoiceField):
        return None if texts(value) else _("Give a list of texts.")
    if getattr(field, "takes_list", False):  # several terms: one text, or a list of texts
        return None if isinstance(value, str) or texts(value) else _("Give a text, or a list of texts.")
    return None if isinstance(value, str) else _("Give a text.")


def bound_form(form_class: type[forms.BaseForm], document: dict, **kwargs) -> forms.BaseForm:
    """`form_class` bound to the JSON object `document` and validated: first JSON's own
    check (each value of the type its field takes; null is no value), then the form's.

    A field of several terms says it takes a list too with `takes_list = True`. Keys that
    are not fields are ignored, as a page ignores unknown form fields."""
    fields = form_class(**kwargs).fields  # the instance's: forms may add fields in __init__
    data, wrong = {}, {}
    for name, value in document.items():
        if name not in fields or value is None:
            continue
        if problem := _type_problem(fields[name], value):
            wrong[name] = problem
        else:
            data[name] = value
    form = form_class(data=data, **kwargs)
    form.is_valid()
    for name, problem in wrong.items():
        form.errors.pop(name, None)  # "this field is required" says less than the type
        form.add_error(name, problem)
    return form
