import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmate.settings")

application = get_wsgi_application()

# What starting made (Django, the apps, the URLconf: ~100,000 objects) lives as long as
# the process. Frozen, it is no longer walked by every full garbage collection, which
# otherwise stalls a request now and then for ~45 ms (bench/board.py, docs/BENCHMARKS.md).
get_resolver().url_patterns  # the URLconf now, not at the first request
gc.collect()
gc.freeze()
