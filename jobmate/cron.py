"""RQ cron configuration: `manage.py rqcron jobmate.cron` (run exactly one such process).

Each entry enqueues a job on a queue; the RQ workers run it.
"""

from rq import cron

from jobmate.housekeeping import clear_expired_sessions
from jobmate.tasks.lifecycle import sweep

# Tasks whose worker died are retried or failed within a minute or two.
cron.register(sweep, queue_name="default", interval=60, job_timeout=120)
cron.register(clear_expired_sessions, queue_name="default", cron="17 3 * * *")
