"""Deleting an account: the person's rows, the files stored for them, their background
tasks and their sessions, so that nothing of theirs is left.

One function for the person (the profile page's danger zone) and for an operator (the
admin's delete, profiles/admin.py), so both leave the same nothing behind.

It knows no app above this one. The rows go by the database's relations: every row of the
person is reached from their User through cascading foreign keys (offers, applications and
their history, searches, analyses, notifications, tasks…). The files are found the same
way: Django's deletion collector lists every row the deletion removes, and any FileField
of those rows names a file, whichever app's model holds it; each is removed from its
storage once the deletion is committed (a deletion that fails keeps its files).
"""

from __future__ import annotations

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.files.storage import Storage
from django.db import router, transaction
from django.db.models import FileField
from django.db.models.deletion import Collector
from django.utils import timezone

from jobmate.tasks import lifecycle
from profiles.models import Invite, User

logger = logging.getLogger(__name__)


def delete_account(user: User, *, by: str = "you") -> None:
    """Delete `user` and everything of theirs. `by`: "you" (the person) or "operator"."""
    # Their queued tasks never start and running ones stop: none writes for a deleted person.
    lifecycle.cancel_all(user, by=by)
    using = router.db_for_write(User)
    with transaction.atomic(using=using):
        # Locked first: a row a worker would still add for them waits for this deletion, then
        # fails on its missing owner, instead of making the deletion fail.
        User.objects.using(using).select_for_update().filter(pk=user.pk).values_list("pk").get()
        collector = Collector(using=using, origin=user)
        collector.collect([user])
        files = _files(collector)
        # An invitation they used stays the inviter's ("used"), without their address.
        Invite.objects.using(using).filter(used_by=user).update(email="")
        _delete_sessions(user)
        collector.delete()
        transaction.on_commit(lambda: _remove(files), using=using)


def _file_fields(model) -> list[FileField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, FileField)]


def _files(collector: Collector) -> list[tuple[Storage, str]]:
    """Every stored file named by a row the collector will delete."""
    files = []
    for model, instances in collector.data.items():
        for field in _file_fields(model):
            files += [(field.storage, name) for instance in instances if (name := getattr(instance, field.attname))]
    for queryset in collector.fast_deletes:  # rows deleted without being loaded
        for field in _file_fields(queryset.model):
            files += [(field.storage, name) for name in queryset.values_list(field.attname, flat=True) if name]
    return files


def _remove(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("could not delete the file %s of a deleted account", name)


def _delete_sessions(user: User) -> None:
    """The person's sessions in every browser (sessions in the database; sessions kept
    elsewhere end with the account anyway: no user to load)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return
    model = store.get_model_class()
    mine = str(user.pk)
    keys = [key for key, data in model.objects.filter(expire_date__gt=timezone.now())
            .values_list("session_key", "session_data").iterator()
            if store().decode(data).get(SESSION_KEY) == mine]
    model.objects.filter(session_key__in=keys).delete()
