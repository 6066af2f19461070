from django.core.management.base import BaseCommand, CommandError

from discovery.models import SearchConfig
from discovery.scheduling import start_due_scrapes, start_scrape
from jobmate.tasks.models import Task
from jobmate.tasks.runner import TaskContext, run_in_command


class Command(BaseCommand):
    help = "Start scrapes: every saved search that is due, or one now (--sync: in this terminal)."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--due", action="store_true", help="every active search whose frequency says it is due")
        target.add_argument("--config", type=int, metavar="ID", help="one saved search, now")
        parser.add_argument("--sync", action="store_true", help="with --config: run here, with a progress bar")

    def handle(self, *args, due, config, sync, **options):
        if due:
            tasks = start_due_scrapes()
            self.stdout.write(f"Started {len(tasks)} scrape(s).")
            for task in tasks:
                self.stdout.write(f"  {task.pk}  {task.title}")
            return
        try:
            search = SearchConfig.objects.get(pk=config)
        except SearchConfig.DoesNotExist:
            raise CommandError(f"No saved search with id {config}.") from None
        if sync:
            return self._run_here(search)
        task = start_scrape(config=search)
        if task is None:
            raise CommandError(f"A scrape of “{search.name}” is already queued or running.")
        if task.status == Task.Status.FAILED:
            raise CommandError(str(task.error))
        self.stdout.write(f"Started scrape {task.pk}")

    def _run_here(self, search: SearchConfig):
        """Run the scrape in this process, drawing its progress in the terminal. The task
        is marked as this command's: no worker runs it beside us, and if this command dies
        the task ends failed."""
        task = start_scrape(config=search, in_command=True)
        if task is None:
            raise CommandError(f"A scrape of “{search.name}” is already queued or running.")
        out = self.stdout

        class TerminalContext(TaskContext):
            write_interval = 0

            def flush(self):
                super().flush()
                width = 30
                filled = width * self._done // self._total if self._total else 0
                out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self._done}/{self._total} {str(self._message)[:60]:<60}",
                          ending="")
                out.flush()

        task = run_in_command(task, TerminalContext)
        self.stdout.write("")
        for warning in task.warnings:
            self.stdout.write(self.style.WARNING(str(warning)))
        if task.status != Task.Status.COMPLETED:
            raise CommandError(str(task.message))
        self.stdout.write(str(task.message))
