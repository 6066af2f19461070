"""Task messages are data: a code and its parameters, rendered in the reader's language.

A task runs in a worker, in no one's language; the person reads it later, in theirs, and
may switch language in between. So what a task says — its message, log lines, errors,
warnings, the question it asks — is stored as a code with parameters and rendered only
when shown:

    from jobmate.tasks.messages import define

    NEW_OFFERS = define("discovery.new_offers",
                        ngettext_lazy("%(new)d new offer", "%(new)d new offers", "new"))

    ctx.message(NEW_OFFERS(new=3))       # stored as {"code": "discovery.new_offers", "params": {"new": 3}}
    str(task.message)                    # "3 new offers", or "3 nouvelles offres"

Parameters are plain JSON values, other messages (rendered in the same language), or lists
of them. Text that no one translates (an exception's own words, a traceback, the sentences
rows held before messages were data) is a `Text`: shown as it is. Code compares messages by
`code`, never by their words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext_lazy

_catalog: dict[str, Promise] = {}
# Between the items of a list parameter ("Remote OK · “golang”; Arbeitnow · “golang”").
LIST_SEPARATOR = "; "
MAX_TEXT = 500


class Message:
    """A sentence to render later: `code` names its wording, `params` fill it."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, params: dict[str, Any] | None = None):
        self.code = code
        self.params = dict(params or {})

    def __str__(self) -> str:
        template = _catalog.get(self.code)
        if template is None:
            return self.code  # a message this code base no longer knows
        values = {name: _rendered(value) for name, value in self.params.items()}
        try:
            return str(template % values)
        except (KeyError, TypeError, ValueError):
            # A stored message whose wording changed its placeholders since.
            return str(template)

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other) -> bool:
        return isinstance(other, Message) and self.as_json() == other.as_json()

    def __hash__(self):
        return hash(self.code)

    def __repr__(self) -> str:
        return f"<Message {self.code} {self.params!r}>"

    def as_json(self) -> dict:
        return {"code": self.code, "params": {name: dump(value) for name, value in self.params.items()}}


class Text(Message):
    """Words no one translates: shown as they are."""

    __slots__ = ()

    def __init__(self, text: str):
        super().__init__("", {"text": str(text)[:MAX_TEXT]})

    @property
    def text(self) -> str:
        return self.params["text"]

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __repr__(self) -> str:
        return f"<Text {self.text!r}>"

    def as_json(self) -> str:
        # A JSON string: what the rows written before messages were data hold too.
        return self.text


EMPTY = Text("")


class MessageType:
    """What `define` returns: call it with the parameters to make a Message."""

    __slots__ = ("code",)

    def __init__(self, code: str):
        self.code = code

    def __call__(self, **params) -> Message:
        return Message(self.code, params)

    def __repr__(self) -> str:
        return f"<MessageType {self.code}>"


def define(code: str, wording: Promise) -> MessageType:
    """Declare message `code` with its English wording, a lazy translation (`gettext_lazy`,
    or `ngettext_lazy(singular, plural, "<the parameter that counts>")`)."""
    if not isinstance(wording, Promise):
        raise TypeError(f"message {code}: the wording must be a lazy translation")
    if code in _catalog and str(_catalog[code]) != str(wording):
        raise ValueError(f"message {code!r} is defined twice")
    _catalog[code] = wording
    return MessageType(code)


def is_defined(code: str) -> bool:
    return code in _catalog


def load(value) -> Message | list[Message]:
    """A message (or list of messages) from what the database holds."""
    if isinstance(value, Message):
        return value
    if value is None:
        return EMPTY
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, list):
        return [load(item) for item in value]
    if isinstance(value, dict) and "code" in value:
        return Message(str(value["code"]), value.get("params") or {})
    return Text(str(value))


def dump(value):
    """What the database stores for `value` (a message, a list of them, or plain JSON)."""
    if isinstance(value, Message):
        return value.as_json()
    if isinstance(value, Promise):
        raise TypeError("a lazy translation would be stored in one language: store a Message")
    if isinstance(value, (list, tuple)):
        return [dump(item) for item in value]
    if isinstance(value, dict):
        return {key: dump(item) for key, item in value.items()}
    return value


def _rendered(value):
    """A parameter as the sentence shows it; numbers stay numbers (plurals count them)."""
    if isinstance(value, Message):
        return str(value)
    if isinstance(value, dict):
        return str(load(value)) if "code" in value else value
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(_rendered(item)) for item in value)
    return value


def texts(messages: Iterable) -> list[str]:
    """Each message rendered in the active language."""
    return [str(load(message)) for message in messages]


# --- What the task engine itself says -----------------------------------------------------

QUEUED = define("tasks.queued", gettext_lazy("Queued"))
RUNNING = define("tasks.running", gettext_lazy("Running"))
RESUMING = define("tasks.resuming", gettext_lazy("Resuming"))
COMPLETED = define("tasks.completed", gettext_lazy("Completed"))
FAILED = define("tasks.failed", gettext_lazy("Failed: %(error)s"))
FAILED_AFTER = define("tasks.failed_after", ngettext_lazy(
    "Failed after %(attempts)d attempt: %(error)s", "Failed after %(attempts)d attempts: %(error)s", "attempts"))
ATTEMPT_STARTED = define("tasks.attempt_started", gettext_lazy("Attempt %(attempt)d of %(max)d started"))
ATTEMPT_FAILED = define("tasks.attempt_failed", gettext_lazy("Attempt %(attempt)d of %(max)d failed: %(error)s"))
RETRY_IN = define("tasks.retry_in", ngettext_lazy(
    "Attempt %(attempt)d failed; next try in %(seconds)d second",
    "Attempt %(attempt)d failed; next try in %(seconds)d seconds", "seconds"))
CANCELLED_BY = {
    "you": define("tasks.cancelled_by_you", gettext_lazy("Cancelled by you")),
    "operator": define("tasks.cancelled_by_operator", gettext_lazy("Cancelled by an operator")),
    "api": define("tasks.cancelled_by_api", gettext_lazy("Cancelled through the API")),
}
QUEUED_AGAIN_BY = {
    "you": define("tasks.queued_again_by_you", gettext_lazy("Queued again by you")),
    "operator": define("tasks.queued_again_by_operator", gettext_lazy("Queued again by an operator")),
    "api": define("tasks.queued_again_by_api", gettext_lazy("Queued again through the API")),
}
RESUMING_WITH_ANSWER = define("tasks.resuming_with_answer", gettext_lazy("Resuming with your answer"))
WAITING_FOR_ANSWER = define("tasks.waiting_for_answer", gettext_lazy("Waiting for an answer: %(prompt)s"))
STOPPED = define("tasks.stopped", gettext_lazy("Stopped: %(reason)s"))
SUPERSEDED = define("tasks.superseded", gettext_lazy("attempt %(attempt)d was handed to another worker"))
CANCELLED = define("tasks.cancelled", gettext_lazy("the task was cancelled"))
IN_COMMAND = define("tasks.in_command", gettext_lazy("Running in a command (process %(pid)d)"))
QUEUE_UNAVAILABLE = define("tasks.queue_unavailable", gettext_lazy(
    "Queue unavailable: the task could not be handed to a worker. Try again in a moment."))
QUEUE_UNREACHABLE = define("tasks.queue_unreachable", gettext_lazy("Could not reach the queue: %(error)s"))
WAITING_FOR_QUEUE = define("tasks.waiting_for_queue", gettext_lazy(
    "The queue could not be reached: the task starts as soon as it can be"))
JOB_LOST = define("tasks.job_lost", gettext_lazy("Its job was lost by the queue; queued again"))
UNKNOWN_KIND = define("tasks.unknown_kind", gettext_lazy("Unknown task kind “%(kind)s”"))
TIMED_OUT = define("tasks.timed_out", gettext_lazy("Timed out after %(seconds)d s"))
WORKER_LOST = {
    "": define("tasks.worker_lost", gettext_lazy("worker lost")),
    "died": define("tasks.worker_lost_died", gettext_lazy("worker lost (its process died)")),
    "gone": define("tasks.worker_lost_gone", gettext_lazy("worker lost (its job is gone from the queue)")),
    "job": define("tasks.worker_lost_job", gettext_lazy("worker lost (its job is %(status)s)")),
    "heartbeat": define("tasks.worker_lost_heartbeat", gettext_lazy("worker lost (no heartbeat)")),
    "worker": define("tasks.worker_lost_worker", gettext_lazy("worker lost (the worker is gone)")),
    "command": define("tasks.command_stopped", gettext_lazy("the command running it stopped")),
    "command_silent": define("tasks.command_silent", gettext_lazy("the command running it stopped answering")),
}
TASK_FAILED = define("tasks.notify_failed", gettext_lazy("%(task)s failed: %(error)s"))
ANSWERED = define("tasks.answered", gettext_lazy("Answered; resuming"))
