"""JobMate's demo: sample job boards served on this machine (`boards.py`, with their
answers in `payloads/`), so that `make demo` and `manage.py seed_demo` show JobMate at work
without the internet."""
