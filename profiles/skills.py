"""A person's skills: short terms, trimmed, unique ignoring case, kept in the order added.

Adding and removing lock the profile row: the tag input saves on every comma, so two
requests can overlap, and each must see the other's change."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from profiles.models import Profile

MAX_SKILLS = 60
MAX_LENGTH = 50  # the column's max_length


def split_skills(text: str) -> list[str]:
    """'python, Django\\n sql' -> ['python', 'Django', 'sql'] (inner whitespace squeezed)."""
    return [" ".join(part.split()) for part in re.split(r"[,\n]", text) if part.strip()]


def merge_skills(*lists: list[str]) -> list[str]:
    """The skills of all lists in order, trimmed, the first spelling of each kept."""
    merged, seen = [], set()
    for skills in lists:
        for skill in skills:
            skill = " ".join(skill.split())
            if skill and skill.casefold() not in seen:
                seen.add(skill.casefold())
                merged.append(skill)
    return merged


def add_skills(*, profile: Profile, skills: list[str]) -> list[str]:
    """Add `skills` to the profile (known ones ignored, whatever their case); returns the list."""
    with transaction.atomic():
        locked = Profile.objects.select_for_update().get(pk=profile.pk)
        merged = merge_skills(locked.skills, skills)
        if len(merged) > MAX_SKILLS:
            raise ValidationError(gettext("A profile holds at most %(max)d skills: remove some first.")
                                  % {"max": MAX_SKILLS})
        locked.skills = merged
        locked.save(update_fields=["skills", "updated_at"])
    profile.skills = merged
    return merged


def remove_skill(*, profile: Profile, skill: str) -> bool:
    """Remove `skill` (ignoring case); False if the profile did not have it."""
    key = " ".join(skill.split()).casefold()
    with transaction.atomic():
        locked = Profile.objects.select_for_update().get(pk=profile.pk)
        kept = [s for s in locked.skills if s.casefold() != key]
        removed = len(kept) != len(locked.skills)
        if removed:
            locked.skills = kept
            locked.save(update_fields=["skills", "updated_at"])
    profile.skills = locked.skills
    return removed
