"""The entries of a profile's sections (experience, education, certifications, projects):
adding one at the end of its section, moving it up or down, removing it.

Changes that read positions lock the profile row, so two tabs adding or moving entries at
once cannot hand out the same position."""

from django.db import transaction
from django.db.models import Max

from profiles.models import Profile, ProfileEntry


def _lock(profile_id: int) -> None:
    Profile.objects.select_for_update().filter(pk=profile_id).exists()


def add_entry(*, profile: Profile, kind: str, entry: ProfileEntry) -> ProfileEntry:
    """Save the unsaved `entry` as the last of the profile's `kind` section."""
    with transaction.atomic():
        _lock(profile.pk)
        last = ProfileEntry.objects.filter(profile=profile, kind=kind).aggregate(last=Max("position"))["last"]
        entry.profile, entry.kind = profile, kind
        entry.position = 0 if last is None else last + 1
        entry.save()
    return entry


def move_entry(*, entry: ProfileEntry, direction: str) -> bool:
    """Swap the entry with its neighbour above ("up") or below ("down") in its section.
    False when there is none (already first or last) or the direction is not one of these."""
    if direction not in ("up", "down"):
        return False
    with transaction.atomic():
        _lock(entry.profile_id)
        entry = ProfileEntry.objects.filter(pk=entry.pk).first()
        if entry is None:
            return False
        siblings = ProfileEntry.objects.filter(profile_id=entry.profile_id, kind=entry.kind)
        if direction == "up":
            neighbour = siblings.filter(position__lt=entry.position).order_by("-position").first()
        else:
            neighbour = siblings.filter(position__gt=entry.position).order_by("position").first()
        if neighbour is None:
            return False
        # The unique (profile, kind, position) constraint is deferred: checked at commit.
        entry.position, neighbour.position = neighbour.position, entry.position
        ProfileEntry.objects.bulk_update([entry, neighbour], ["position"])
    return True


def remove_entry(*, entry: ProfileEntry) -> None:
    # Positions may keep a gap: only their order matters.
    entry.delete()
