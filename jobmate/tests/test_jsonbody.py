"""jobmate.jsonbody: reading a JSON body anyone may have written, and binding it to a form."""

import io
import json

import pytest
from django import forms
from django.test import RequestFactory

from jobmate.jsonbody import MAX_DEPTH, InvalidBody, bound_form, read_object


def request_with(body: bytes | str, **meta):
    body = body.encode() if isinstance(body, str) else body
    return RequestFactory().generic("POST", "/api/v1/x", data=body, content_type="application/json", **meta)


def refusal(body, **meta) -> InvalidBody:
    with pytest.raises(InvalidBody) as raised:
        read_object(request_with(body, **meta))
    return raised.value


def test_an_object_is_read_and_an_empty_body_is_an_empty_object():
    assert read_object(request_with('{"a": [1, "b", null, true, 1.5]}')) == {"a": [1, "b", None, True, 1.5]}
    assert read_object(request_with(b"")) == {}


def test_nesting_up_to_the_limit_is_read_and_deeper_is_refused_before_parsing():
    assert read_object(request_with('{"a": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"))
    error = refusal('{"a": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}")
    assert error.status == 400 and "nested too deeply" in error.message
    # Deep enough for json.loads to raise RecursionError, yet under the size limit.
    assert "nested too deeply" in refusal("[" * 50_000).message


@pytest.mark.parametrize("text", [
    r'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "b": "]]]]"}',
    r'{"a": "\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\", "b": "x"}',  # escaped quote, then an escaped backslash
])
def test_brackets_in_strings_are_not_nesting(text):
    assert read_object(request_with(text))["b"]


def test_an_escaped_backslash_ends_before_the_quote():
    # "\\" is one backslash: the string ends there, and the brackets after it count.
    text = '{"a": "\\\\", "b": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}"
    assert "nested too deeply" in refusal(text).message


def test_a_declared_length_over_the_limit_is_413_before_reading():
    class Unreadable(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("the body was read")

    request = RequestFactory().post("/api/v1/x", data=b"{}", content_type="application/json")
    request.META["CONTENT_LENGTH"] = str(64 * 1024 + 1)
    request._stream = Unreadable()
    with pytest.raises(InvalidBody) as raised:
        read_object(request)
    assert raised.value.status == 413


@pytest.mark.parametrize("body, message", [
    (b"\xc3(", "UTF-8"), (b'"\xed\xb0\x80"', "UTF-8"),
    ("NaN", "must be JSON."), ('{"a": -Infinity}', "must be JSON."),
    ("{'a': 1}", "must be JSON."), ("1", "must be a JSON object."), ("null", "must be a JSON object."),
])
def test_what_is_not_a_json_object_in_utf8_is_refused(body, message):
    assert message in refusal(body).message


@pytest.mark.parametrize("document, field", [
    ({"a": "x\x00"}, "a"), ({"a": ["ok", {"k": "\x00"}]}, "a"), ({"a": {"\x00": 1}}, "a"),
    ({"a": "\ud800"}, "a"), ({"ok": "fine", "b": ["\udc00"]}, "b"),
])
def test_text_postgresql_cannot_store_is_refused_with_its_field(document, field):
    error = refusal(json.dumps(document))
    assert list(error.fields) == [field]


class Form(forms.Form):
    text = forms.CharField(required=False)
    count = forms.IntegerField(required=False)
    flag = forms.BooleanField(required=False)
    choices = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    needed = forms.CharField()


@pytest.mark.parametrize("field, value, message", [
    ("text", 1, "Give a text."), ("text", ["a"], "Give a text."), ("count", "3", "Give a whole number."),
    ("count", True, "Give a whole number."), ("flag", "yes", "Give true or false."),
    ("choices", "a", "Give a list of texts."), ("choices", [["a"]], "Give a list of texts."),
    ("needed", {}, "Give a text."),
])
def test_a_value_of_the_wrong_type_is_its_fields_only_error(field, value, message):
    form = bound_form(Form, {"needed": "x", field: value})
    assert not form.is_valid() and form.errors == {field: [message]}


def test_right_types_go_through_the_form_and_null_is_no_value():
    form = bound_form(Form, {"text": "t", "count": 3, "flag": True, "choices": ["a"], "needed": "n", "other": [1]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"text": "t", "count": 3, "flag": True, "choices": ["a"], "needed": "n"}
    form = bound_form(Form, {"needed": None})
    assert form.errors == {"needed": ["This field is required."]}
