"""A CV tailored for one offer, from the person's profile and nothing else.

- `from_profile(user)`: the profile as a CV, in its own order and words (the "before").
- `offline_draft(user, offer)`: the same facts reordered for the offer, no LLM: the skills
  the offer asks for first (its must-haves before what it merely uses), in each entry the
  lines that name the offer's skills first, and a summary from the headline and those skills.
- `start(user, offer)`: keeps the offline draft at once and, with an LLM configured, starts
  the `coach.tailor` task: the LLM rewords the summary and the entries' lines in the offer's
  words; the fact guard (coach/factguard.py) then puts back every fact it changed, removes
  what it invented and records what it refused, so the draft never holds a claim the
  profile does not.
- `save(user, offer, doc)`: the person's edited version, refused while the guard objects.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from coach import factguard, llm, prompts, snapshots
from coach.cvdoc import Entry, Section, TailoredCv
from coach.models import Analysis, Document
from coach.reading import read_offer, skills_in, text_lines
from coach.schemas import TailoredAnswer
from coach.vocabulary import SKILL_OF
from discovery.models import Offer
from discovery.text import fold
from jobmate.tasks import lifecycle
from jobmate.tasks.messages import define
from jobmate.tasks.models import Task
from jobmate.tasks.runner import TaskContext, TaskFailed
from profiles.models import ProfileEntry, profile_for

LABEL = define("coach.tailor_label", gettext_lazy("Tailored CV for “%(title)s”"))
ASKING = define("coach.tailor_asking", gettext_lazy("Asking the language model to tailor your CV"))
GONE = define("coach.tailor_gone", gettext_lazy("The offer is gone"))
KEPT = define("coach.tailor_kept", gettext_lazy("Tailored CV ready"))

SECTION_ORDER = ("experience", "projects", "education", "certifications", "languages")
_STRENGTH = {"must": 3, "use": 2, "nice": 1}


def _month(value) -> str:
    return value.strftime("%Y-%m") if value else ""


def _entries(user) -> list[ProfileEntry]:
    return list(ProfileEntry.objects.filter(profile__user=user).order_by("kind", "position"))


def from_profile(user) -> TailoredCv:
    """The person's profile as a CV: every entry, in the profile's order and words."""
    profile = profile_for(user)
    entries = _entries(user)
    sections = [Section(kind=kind, entries=[
        Entry(entry_id=e.pk, title=e.title, organisation=e.organisation, place=e.place, start=_month(e.start),
              end=_month(e.end), description=e.description) for e in entries if e.kind == kind])
        for kind in SECTION_ORDER]
    return TailoredCv(full_name=profile.full_name, headline=profile.headline, location=profile.location,
                      email=user.email, skills=list(profile.skills),
                      sections=[section for section in sections if section.entries],
                      language=user.preferred_language)


def _weights(user, offer: Offer) -> dict[str, int]:
    """The offer's skills (folded) → how strongly it asks for them."""
    profile = profile_for(user)
    custom = tuple(fold(skill) for skill in profile.skills if fold(skill) not in SKILL_OF)
    reading = read_offer(snapshots.offer_facts(offer), custom)
    return {fold(skill): _STRENGTH.get(kind, 0) for skill, kind in reading.skills.items()}


def _weight_of(text: str, weights: dict[str, int]) -> int:
    folded = fold(text)
    named = {fold(skill) for skill in skills_in(folded, text)}
    named |= {skill for skill in weights if skill in folded}
    return sum(weights.get(skill, 0) for skill in named)


def offline_draft(user, offer: Offer) -> TailoredCv:
    """The profile reordered for `offer`; every word is the profile's."""
    doc = from_profile(user)
    weights = _weights(user, offer)

    def skill_weight(skill: str) -> int:
        return weights.get(fold(SKILL_OF.get(fold(skill), skill)), 0) or _weight_of(skill, weights)

    doc.skills.sort(key=skill_weight, reverse=True)  # stable: the profile's order among equals
    for entry in doc.entries():
        lines = entry.description.splitlines()
        # Only a list is reordered: a line starting in lower case goes on the sentence above.
        if not any(line[:1].islower() for line in lines):
            entry.description = "\n".join(sorted(lines, key=lambda line: _weight_of(line, weights), reverse=True))
    # The headline, then the skills of the person that the offer asks for and the headline
    # does not name already: their words only.
    named = fold(doc.headline)
    asked = [skill for skill in doc.skills if skill_weight(skill) and fold(skill) not in named][:5]
    doc.summary = " · ".join(filter(None, [doc.headline, ", ".join(asked)]))
    return doc


def _profile_block(doc: TailoredCv) -> str:
    lines = [f"Skills: {', '.join(doc.skills)}"]
    for entry in doc.entries():
        period = "–".join(filter(None, [entry.start, entry.end or ("now" if entry.start else "")]))
        lines.append(f"[id {entry.entry_id}] {entry.title} · {entry.organisation} {period}".strip())
        lines += [f"  {line}" for line in entry.description.splitlines() if line.strip()]
    return "\n".join(lines)[:12_000]


# The answer's limit: a two-page CV's lines, reworded.
MAX_TOKENS = 3000


def _request(base: TailoredCv, offer: Offer) -> dict:
    """The tailoring request's arguments for coach.llm (ask and estimate alike)."""
    offer_text = "\n".join([offer.title, offer.company, *text_lines(offer.description)])[:6000]
    return {"system": prompts.load("tailor", base.language).text, "schema": TailoredAnswer,
            "data_blocks": {"PROFILE": _profile_block(base), "OFFER": offer_text}, "max_tokens": MAX_TOKENS}


def estimate(user, offer: Offer) -> llm.Estimate:
    """The rough size of asking the LLM to tailor the CV, shown before the person asks."""
    return llm.estimate(**_request(from_profile(user), offer))


def llm_draft(user, offer: Offer) -> tuple[TailoredCv, list[factguard.Problem], llm.Answer]:
    """The LLM's rewording of the offline draft, with what the guard refused in it."""
    base = offline_draft(user, offer)
    answer = llm.ask(user, purpose="tailoring", language=base.language, **_request(base, offer))
    value = answer.value
    draft = TailoredCv.from_json(base.to_json())
    draft.summary, draft.skills = value.summary, list(value.skills)
    reworded = {item.entry_id: item.description for item in value.entries}
    for entry in draft.entries():
        if reworded.get(entry.entry_id):
            entry.description = reworded[entry.entry_id]
    profile = profile_for(user)
    draft, refused = factguard.strip_unsupported(draft, profile, _entries(user))
    return draft, refused, answer


def start(user, offer: Offer, *, use_llm: bool = True) -> Document:
    """The offline draft now (the person's edits are kept unless they asked again), and
    the LLM's in the background when one is configured."""
    draft = offline_draft(user, offer)
    with transaction.atomic():
        document, _ = Document.objects.select_for_update().get_or_create(
            user=user, offer=offer, defaults={"content": draft.to_json(), "draft": draft.to_json()})
        document.content = document.draft = draft.to_json()
        document.engine, document.refused, document.model, document.prompt_version = Analysis.Engine.OFFLINE, [], "", ""
        document.updated_at = timezone.now()
        if document.task_id:  # asked again: the request under way is not wanted any more
            under_way = Task.objects.filter(pk=document.task_id, status__in=Task.ACTIVE).first()
            if under_way is not None:
                lifecycle.cancel(under_way)
        document.task = None
        if use_llm and llm.is_configured():
            document.task = lifecycle.start("coach.tailor", user=user, label=LABEL(title=offer.title[:150]),
                                            params={"offer_id": offer.pk})
        document.save()
    return document


def run(ctx: TaskContext, *, offer_id: int) -> dict:
    """The `coach.tailor` task: the LLM's draft, guarded, replaces the offline one."""
    user = get_user_model().objects.get(pk=ctx.user_id)
    offer = Offer.objects.filter(pk=offer_id, user=user).first()
    if offer is None:
        raise TaskFailed(GONE())
    ctx.progress(0, 1, ASKING())
    try:
        draft, refused, answer = llm_draft(user, offer)
    except llm.LlmError as error:
        raise TaskFailed(error.message) from None
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(user=user, offer=offer).first()
        if document is None or document.task_id != ctx.task_id:
            return {"kept": False}  # asked again meanwhile: the newer request decides
        if document.content != document.draft:
            return {"kept": False}  # edited meanwhile (another tab): the person's words stay
        document.content = document.draft = draft.to_json()
        document.engine, document.model = Analysis.Engine.LLM, answer.model
        document.prompt_version = prompts.load("tailor", draft.language).version
        document.refused = [problem.to_json() for problem in refused]
        document.updated_at = timezone.now()
        document.save()
    ctx.progress(1, 1, KEPT())
    return {"kept": True, "refused": len(refused)}


def whole(user, doc: TailoredCv) -> TailoredCv:
    """`doc` as its edit form shows it: each entry's title, organisation, place and dates as
    the profile has them now (the profile page edits them), an entry the profile no longer
    has gone, and the entries left out — on purpose, or added to the profile since — put
    back where the profile has them, marked left out."""
    profile_doc = from_profile(user)
    current = {entry.entry_id: entry for entry in profile_doc.entries()}
    full = TailoredCv.from_json(doc.to_json())
    for section in full.sections:
        section.entries = [entry for entry in section.entries if entry.entry_id in current]
        for entry in section.entries:
            now = current[entry.entry_id]
            entry.title, entry.organisation, entry.place = now.title, now.organisation, now.place
            entry.start, entry.end = now.start, now.end
    shown = {entry.entry_id for entry in full.entries()}
    full.left_out = [entry_id for entry_id in current if entry_id not in shown]
    for theirs in profile_doc.sections:
        mine = next((section for section in full.sections if section.kind == theirs.kind), None)
        if mine is None:
            mine = Section(kind=theirs.kind)
            full.sections.append(mine)
        for index, entry in enumerate(theirs.entries):
            if entry.entry_id not in shown:
                mine.entries.insert(min(index, len(mine.entries)), entry)
    full.sections = [section for section in full.sections if section.entries]
    full.sections.sort(key=lambda section: SECTION_ORDER.index(section.kind) if section.kind in SECTION_ORDER else 99)
    return full


def refused_messages(document: Document) -> list[str]:
    return [factguard.Problem.from_json(item).message for item in document.refused]


class Refused(Exception):
    def __init__(self, problems: list[factguard.Problem]):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def save(user, offer: Offer, doc: TailoredCv) -> Document:
    """Keep the person's version of the tailored CV; Refused while the guard objects."""
    problems = factguard.check_cv(doc, profile_for(user), _entries(user))
    if problems:
        raise Refused(problems)
    document = Document.objects.get(user=user, offer=offer)
    document.content, document.updated_at = doc.to_json(), timezone.now()
    document.save(update_fields=["content", "updated_at"])
    return document


def problems(user, doc: TailoredCv) -> list[factguard.Problem]:
    return factguard.check_cv(doc, profile_for(user), _entries(user))


# --- before / after ----------------------------------------------------------------------


@dataclass
class Change:
    """One part of the CV, before (the profile) and after (the tailored CV), word by word:
    `words` is a list of (op, text) with op "same", "added" or "removed"."""

    label: str
    words: list[tuple[str, str]]

    @property
    def changed(self) -> bool:
        return any(op != "same" for op, _ in self.words)


def word_changes(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.split(" "), after.split(" ")
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("added", " ".join(b[j1:j2])))
    return out


def _lines_text(text: str) -> str:
    return " ¶ ".join(line.strip() for line in text.splitlines() if line.strip())


def changes(before: TailoredCv, after: TailoredCv) -> list[Change]:
    """What tailoring changed: the summary, the skills' order, each entry's lines."""
    found = [Change(gettext("Summary"), word_changes(before.headline, after.summary)),
             Change(gettext("Skills"), word_changes(", ".join(before.skills), ", ".join(after.skills)))]
    old = {entry.entry_id: entry for entry in before.entries()}
    for entry in after.entries():
        was = old.get(entry.entry_id)
        label = " · ".join(filter(None, [entry.title, entry.organisation]))
        found.append(Change(label, word_changes(_lines_text(was.description if was else ""),
                                                _lines_text(entry.description))))
    for entry_id in after.left_out:
        if entry_id in old:
            was = old[entry_id]
            found.append(Change(" · ".join(filter(None, [was.title, was.organisation])),
                                [("removed", gettext("(left out of this CV)"))]))
    return found
