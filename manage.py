#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmate.settings")
    from django.core.management import execute_from_command_line

    from jobmate.translations import compile_translations

    # French for every command too (runserver, a worker started by hand): a catalog newer
    # than its compiled form is compiled again, in pure Python.
    try:
        compile_translations()
    except OSError as exc:  # a read-only checkout: the image compiled them at build time
        print(f"Translations not compiled: {exc}", file=sys.stderr)

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
