"""Importing a CV into the profile, without inventing anything.

1. `upload(user, file)`: the PDF is checked by its content at the door (coach/pdftext.py:
   a PDF, readable, not encrypted, not only images, not 2,000 pages), kept privately (a
   random name; a new upload replaces the old file), and the `coach.import_cv` task starts.
2. `run(ctx, cv_id)` (the task): the text is extracted in a bounded child process and
   parsed by its headings (coach/cvparse.py), no LLM needed; with an LLM configured, the
   LLM structures the text better, and what it answers is kept only where the CV's text
   holds it. No text at all (a scanned CV) fails the task: no profile is made up.
3. The task then waits for the person (`waiting_user`): `review(user, cv)` lists what was
   found beside their profile, per section and per entry; `answer(user, cv, accepted)`
   sends their choice and the task, resumed, writes only what they accepted (`_apply`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy

from coach import cvparse, llm, pdftext, prompts
from coach.cvparse import ParsedCv, ParsedEntry
from coach.factguard import normalised
from coach.models import Analysis, Cv
from coach.schemas import CvAnswer
from discovery.text import fold
from jobmate.tasks import lifecycle
from jobmate.tasks.messages import define
from jobmate.tasks.models import Task
from jobmate.tasks.runner import TaskContext, TaskFailed
from profiles import skills as profile_skills
from profiles.entries import add_entry
from profiles.models import Profile, ProfileEntry, profile_for

LABEL = define("coach.cv_label", gettext_lazy("CV import: %(name)s"))
READING = define("coach.cv_reading", gettext_lazy("Reading the CV’s text"))
STRUCTURING = define("coach.cv_structuring", gettext_lazy("Asking the language model to structure the CV"))
REVIEW = define("coach.cv_review", gettext_lazy("Review what was found in your CV: only what you accept is written"))
WRITTEN = define("coach.cv_written", ngettext_lazy(
    "%(count)d item written to your profile", "%(count)d items written to your profile", "count"))
LLM_SKIPPED = define("coach.cv_llm_skipped", gettext_lazy(
    "The language model could not help (%(reason)s): what JobMate read by itself is shown"))
GONE = define("coach.cv_gone", gettext_lazy("This CV was replaced or removed"))

SECTIONS = ("experience", "education", "certifications", "projects", "languages")
IDENTITY = ("full_name", "headline", "location")
# The profile's limits, so that nothing from a CV is refused by the database.
MAX_LENGTHS = {"full_name": 150, "headline": 200, "location": 120}


class Refused(Exception):
    """The upload cannot be imported; `message` says why, for the person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def upload(user, file) -> Cv:
    """Check `file` (an UploadedFile) by its content, keep it as the person's CV in place
    of the one before, and start reading it. Raises Refused."""
    data = file.read(pdftext.MAX_BYTES + 1)
    try:
        probe = pdftext.check(data)
    except pdftext.Unreadable as error:
        raise Refused(error.message) from None
    name = (file.name or "cv.pdf").rsplit("/", 1)[-1][:200]
    stored = ContentFile(data)
    with transaction.atomic():
        # One upload at a time per person, even their first (no CV row to lock yet).
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        cv = Cv.objects.select_for_update().filter(user=user).first()
        old_file = cv.file.name if cv else ""
        if cv is not None and cv.task_id:
            _cancel(cv.task_id)
        cv = cv or Cv(user=user)
        cv.name, cv.size, cv.pages, cv.uploaded_at = name, len(data), probe.pages, timezone.now()
        cv.status, cv.text, cv.found, cv.engine, cv.accepted = Cv.Status.READING, "", {}, "", {}
        cv.file.save("cv.pdf", stored, save=False)
        new_file = cv.file.name
        transaction.on_commit(lambda: old_file and cv.file.storage.delete(old_file))
        try:
            cv.save()
            cv.task = lifecycle.start("coach.import_cv", user=user, label=LABEL(name=name[:100]),
                                      params={"cv_id": cv.pk})
            cv.save(update_fields=["task"])
        except BaseException:
            cv.file.storage.delete(new_file)
            raise
    return cv


def _cancel(task_id) -> None:
    task = Task.objects.filter(pk=task_id, status__in=Task.ACTIVE).first()
    if task is not None:
        lifecycle.cancel(task)


def remove(user) -> bool:
    """Forget the person's CV and its file (their profile keeps what they accepted)."""
    with transaction.atomic():
        cv = Cv.objects.select_for_update().filter(user=user).first()
        if cv is None:
            return False
        if cv.task_id:
            _cancel(cv.task_id)
        name = cv.file.name
        cv.delete()
        transaction.on_commit(lambda: cv.file.storage.delete(name))
    return True


# --- the task ---------------------------------------------------------------------------


def run(ctx: TaskContext, *, cv_id: int) -> dict:
    user = get_user_model().objects.get(pk=ctx.user_id)
    cv = Cv.objects.filter(pk=cv_id, user=user).first()
    if cv is None or cv.task_id != ctx.task_id:
        raise TaskFailed(GONE())
    if cv.status == Cv.Status.READING:
        _read(ctx, user, cv)
    # The work above is done once: the task runs again from its start with the answer.
    answer = ctx.ask("review", REVIEW(), [], link=reverse("cv"))
    with transaction.atomic():
        cv = Cv.objects.select_for_update().filter(pk=cv.pk).first()
        if cv is None or cv.task_id != ctx.task_id:
            raise TaskFailed(GONE())  # replaced meanwhile: the answer was about another file
        if cv.status != Cv.Status.REVIEW:
            return {"written": sum(cv.accepted.values())}
        counts = _apply(user, ParsedCv.from_json(cv.found), accepted=set(answer.get("accepted", [])))
        cv.status, cv.accepted = Cv.Status.DONE, counts
        cv.save(update_fields=["status", "accepted"])
    ctx.message(WRITTEN(count=sum(counts.values())))
    return {"written": sum(counts.values()), **counts}


def _read(ctx: TaskContext, user, cv: Cv) -> None:
    ctx.progress(0, 2, READING())
    try:
        with cv.file.open("rb") as file:
            pages = pdftext.extract(file.read())
    except pdftext.Unreadable as error:
        Cv.objects.filter(pk=cv.pk, task_id=ctx.task_id).update(status=Cv.Status.FAILED)
        raise TaskFailed(error.message) from None
    text = "\n\n".join(pages)
    parsed, engine = cvparse.parse(pages), Analysis.Engine.OFFLINE
    if llm.is_configured():
        ctx.progress(1, 2, STRUCTURING())
        try:
            parsed, engine = structured(user, text, fallback=parsed), Analysis.Engine.LLM
        except llm.LlmError as error:
            ctx.warn(LLM_SKIPPED(reason=error.message))
    # Only while this task is still the CV's: a new upload meanwhile has its own reading.
    if not Cv.objects.filter(pk=cv.pk, task_id=ctx.task_id, status=Cv.Status.READING).update(
            status=Cv.Status.REVIEW, text=text, found=parsed.to_json(), engine=engine):
        raise TaskFailed(GONE())
    ctx.progress(2, 2, REVIEW())


def structured(user, text: str, *, fallback: ParsedCv) -> ParsedCv:
    """The LLM's structure of the CV's `text`, keeping only what the text holds: a name,
    title, organisation, skill or description line it does not contain is dropped, and a
    date whose year it does not name; the offline parse fills a section the LLM left empty."""
    language = user.preferred_language
    prompt = prompts.load("cv", language)
    answer = llm.ask(user, purpose="cv_import", system=prompt.text, schema=CvAnswer, language=language,
                     data_blocks={"CV_TEXT": text[:30_000]}, max_tokens=4000)
    value, held = answer.value, fold(" ".join(text.split()))

    def holds(words: str) -> bool:
        return not words or fold(" ".join(words.split())) in held

    def month(value: str):
        return _month(value) if value and value[:4] in text else None

    def lines(description: str) -> str:
        kept = (line.strip().lstrip("•-–*· ").strip() for line in description.splitlines())
        return "\n".join(line for line in kept if line and holds(line))

    def entries(items) -> list[ParsedEntry]:
        return [ParsedEntry(title=item.title, organisation=item.organisation if holds(item.organisation) else "",
                            place=item.place if holds(item.place) else "", start=month(item.start),
                            end=month(item.end), description=lines(item.description))
                for item in items if holds(item.title)]

    return ParsedCv(
        full_name=value.full_name if value.full_name and holds(value.full_name) else fallback.full_name,
        headline=value.headline if value.headline and holds(value.headline) else fallback.headline,
        location=value.location if value.location and holds(value.location) else fallback.location,
        email=fallback.email,
        skills=[skill for skill in value.skills if holds(skill)] or fallback.skills,
        **{section: entries(getattr(value, section)) or getattr(fallback, section) for section in SECTIONS},
    )


def _month(value: str):
    try:
        return datetime.date(int(value[:4]), int(value[5:7]), 1) if value else None
    except ValueError:  # "0000-01": the schema's pattern lets it through
        return None


# --- the review ---------------------------------------------------------------------------


@dataclass
class Item:
    """One thing found, as the review shows it: its key in the form, and the profile's
    version when the profile holds it already."""

    key: str
    found: object
    current: object = None
    known: bool = False


@dataclass
class Section:
    kind: str
    label: str
    items: list[Item] = field(default_factory=list)
    current: list = field(default_factory=list)

    @property
    def new(self) -> list[Item]:
        return [item for item in self.items if not item.known]


def _same_text(a: str, b: str) -> bool:
    """The same words, whatever the case, accents, apostrophes and spaces."""
    return normalised(a) == normalised(b)


def review(user, cv: Cv) -> list[Section]:
    """What the CV holds beside what the profile holds: identity, skills, then each section."""
    found = ParsedCv.from_json(cv.found)
    profile = profile_for(user)
    entries = list(ProfileEntry.objects.filter(profile=profile).order_by("kind", "position"))
    identity = Section("identity", str(gettext_lazy("Name and headline")))
    for name in IDENTITY:
        value = getattr(found, name)
        if value:
            current = getattr(profile, name)
            label = Profile._meta.get_field(name).verbose_name
            identity.items.append(Item(key=f"identity:{name}", found=(label, value), current=current,
                                       known=_same_text(value, current)))
    skills = Section("skills", str(gettext_lazy("Skills")), current=list(profile.skills))
    known = {fold(skill) for skill in profile.skills}
    for index, skill in enumerate(found.skills):
        skills.items.append(Item(key=f"skills:{index}", found=skill, known=fold(skill) in known))
    sections = [identity, skills]
    for kind in SECTIONS:
        mine = [entry for entry in entries if entry.kind == kind]
        section = Section(kind, str(ProfileEntry.Kind(kind).label), current=mine)
        for index, entry in enumerate(getattr(found, kind)):
            match = next((e for e in mine if _same_text(e.title, entry.title)
                          and _same_text(e.organisation, entry.organisation)), None)
            section.items.append(Item(key=f"{kind}:{index}", found=entry, current=match, known=match is not None))
        sections.append(section)
    return [section for section in sections if section.items]


def answer(user, cv: Cv, accepted: list[str]) -> bool:
    """Send the person's choice to the waiting import task (it writes them). False when
    the import is not waiting any more. Raises lifecycle.QueueUnavailable."""
    task = Task.objects.filter(pk=cv.task_id, user=user).first()
    if cv.status != Cv.Status.REVIEW or task is None or task.status != Task.Status.WAITING_USER:
        return False
    return lifecycle.answer(task, {"accepted": sorted(set(accepted))})


def _apply(user, found: ParsedCv, *, accepted: set[str]) -> dict[str, int]:
    """Write the accepted parts of `found` to the person's profile; counts per section.
    A key is "section:<kind>" (all that is new in it) or one item's key."""
    profile = Profile.objects.select_for_update().get(pk=profile_for(user).pk)
    entries = list(ProfileEntry.objects.filter(profile=profile))

    def taken(section: str, key: str) -> bool:
        return f"section:{section}" in accepted or key in accepted

    counts: dict[str, int] = {}
    changed = [name for name in IDENTITY if getattr(found, name) and taken("identity", f"identity:{name}")
               and not _same_text(getattr(found, name), getattr(profile, name))]
    for name in changed:
        setattr(profile, name, getattr(found, name)[:MAX_LENGTHS[name]])
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
        counts["identity"] = len(changed)
    new_skills = [skill[:profile_skills.MAX_LENGTH] for index, skill in enumerate(found.skills)
                  if taken("skills", f"skills:{index}")]
    if new_skills:
        before = len(profile.skills)
        room = profile_skills.MAX_SKILLS - before
        try:
            after = profile_skills.add_skills(profile=profile, skills=new_skills)
        except ValidationError:
            after = profile_skills.add_skills(profile=profile, skills=profile_skills.merge_skills(
                profile.skills, new_skills)[before:before + room])
        counts["skills"] = len(after) - before
    for kind in SECTIONS:
        mine = [entry for entry in entries if entry.kind == kind]
        for index, item in enumerate(getattr(found, kind)):
            if not taken(kind, f"{kind}:{index}") or not item.title.strip():
                continue
            if any(_same_text(e.title, item.title) and _same_text(e.organisation, item.organisation) for e in mine):
                continue
            end = item.end if item.end and (not item.start or item.end >= item.start) else None
            entry = ProfileEntry(title=item.title[:200], organisation=item.organisation[:200],
                                 place=item.place[:120], start=item.start, end=end,
                                 description=item.description[:5000])
            add_entry(profile=profile, kind=kind, entry=entry)
            mine.append(entry)
            counts[kind] = counts.get(kind, 0) + 1
    return counts
