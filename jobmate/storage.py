"""Where files only their owner may download are kept: the CVs people upload.

Outside the static files and with no public URL: a view checks the owner and sends the
file. The directory is `settings.PRIVATE_ROOT` (var/private by default), read when a file
is used, so a test can point it at a temporary directory."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join
from django.utils.deconstruct import deconstructible


@deconstructible(path="jobmate.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return settings.PRIVATE_ROOT

    @property
    def location(self):
        return str(settings.PRIVATE_ROOT)

    def path(self, name):
        return safe_join(self.location, name)

    def url(self, name):
        raise ValueError("private files have no URL: a view sends them to their owner")
