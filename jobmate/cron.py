"""RQ cron configuration: `manage.py rqcron jobmate.cron` (run exactly one such process).

Each entry enqueues a job on a queue; the RQ workers run it.
"""

from rq import cron

from discovery.housekeeping import purge_source_calls, purge_stale_offers, start_due_scrapes
from jobmate.housekeeping import clear_expired_sessions
from jobmate.notifications.housekeeping import purge_old_notifications
from tracker.reminders import send_followups_job

# The sweep of tasks whose worker died is not here: an RQ job needs a live worker, so the
# watcher process (`manage.py tasks watch`) runs it.
cron.register(clear_expired_sessions, queue_name="default", cron="17 3 * * *")
# Saved searches whose frequency says they are due (each is started at most once at a time).
cron.register(start_due_scrapes, queue_name="default", cron="*/15 * * * *")
cron.register(purge_stale_offers, queue_name="default", cron="43 3 * * *")
cron.register(purge_source_calls, queue_name="default", cron="47 3 * * *")
# Each hour, the people whose morning it is get their reminder of what is due (once a day).
cron.register(send_followups_job, queue_name="default", cron="5 * * * *")
cron.register(purge_old_notifications, queue_name="default", cron="51 3 * * *")
