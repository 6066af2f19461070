"""`make demo` (python -m jobmate.dev demo) as a newcomer runs it without internet: the demo
account's credentials are printed, and its searches find offers on the sample boards through
the real web server, worker and boards processes it starts."""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
import pytest
from django.conf import settings

from conftest import database_url_for_subprocesses
from jobmate.dev import free_port
from discovery.models import Offer, SearchConfig
from jobmate.tasks.models import Task
from jobmate.tasks.tests.test_worker_process import wait_for
from profiles.models import User

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
BASE_DIR = Path(__file__).resolve().parent.parent.parent


class Demo:
    def __init__(self, process: subprocess.Popen, port: int, log: str):
        self.process, self.url, self.log = process, f"http://127.0.0.1:{port}", log

    @property
    def output(self) -> str:
        return Path(self.log).read_text(errors="replace")


@pytest.fixture
def make_demo(redis_conn, tmp_path):
    # DATABASE_URL/REDIS_URL set, as in test_make_run: no embedded server starts; var/ is
    # the test's own (the demo password is kept there).
    env = {**os.environ, "DATABASE_URL": database_url_for_subprocesses(), "REDIS_URL": settings.REDIS_URL,
           "DEBUG": "true", "JOBMATE_VAR_DIR": str(tmp_path)}
    log = tempfile.NamedTemporaryFile(prefix="jobmate-make-demo-", suffix=".log", delete=False)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "jobmate.dev", "demo", "--port", str(port)],
                               cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    yield Demo(process, port, log.name)
    if process.poll() is None:
        for child in psutil.Process(process.pid).children(recursive=True):
            child.kill()
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)
    print(Path(log.name).read_text(errors="replace")[-20000:])
    os.unlink(log.name)


def _signed_in(url: str, email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=20)
    wait_for(lambda: _answers(client), timeout=60)
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", data={"username": email, "password": password,
                                                     "csrfmiddlewaretoken": client.cookies["csrftoken"]})
    assert response.status_code == 302, response.text
    return client


def _answers(client: httpx.Client) -> bool:
    try:
        return client.get("/accounts/login/").status_code == 200
    except httpx.TransportError:
        return False


def _post(client: httpx.Client, path: str, data: dict) -> httpx.Response:
    return client.post(path, data={**data, "csrfmiddlewaretoken": client.cookies["csrftoken"]})


def test_make_demo_shows_jobmate_working_offline_and_stops_quietly(make_demo):
    credentials = wait_for(lambda: re.search(r"email: +(\S+)\s+password: +(\S+)", make_demo.output), timeout=120)
    email, password = credentials.groups()
    assert email == "demo@jobmate.local" and f"JobMate's demo is starting at {make_demo.url}/" in make_demo.output
    client = _signed_in(make_demo.url, email, password)
    demo = User.objects.get(email=email)
    assert Offer.objects.filter(user=demo, status=Offer.Status.PENDING).exists()

    # "Run now" on a saved search that never ran: a real worker reads the sample boards.
    search = SearchConfig.objects.get(user=demo, name="Data engineering, Lyon")
    assert _post(client, f"/searches/{search.pk}/run/", {}).status_code == 302
    task = wait_for(lambda: Task.objects.filter(pk=SearchConfig.objects.get(pk=search.pk).last_task_id,
                                                status=Task.Status.COMPLETED).first(), timeout=60)
    assert task.counters["new"] > 0 and task.warnings == []
    assert Offer.objects.filter(user=demo, search_config=search).count() == task.counters["new"]

    # /search/, the one-off search: different words find different offers.
    response = _post(client, "/search/", {"keywords": "react", "remote_policy": "any",
                                          "sources": ["remotive", "remoteok", "arbeitnow", "weworkremotely"]})
    task_id = re.search(r"task=([0-9a-f-]+)", response.headers["location"])[1]
    found = wait_for(lambda: Task.objects.filter(pk=task_id, status=Task.Status.COMPLETED).first(), timeout=60)
    offers = Offer.objects.filter(pk__in=found.result["new_offer_ids"])
    assert offers and all("react" in f"{offer.title} {offer.description}".lower() for offer in offers)
    assert "Frontend Developer (React)" in client.get(f"/search/?task={task_id}").text
    assert re.search(r'boards +\| "GET /remotive/api/remote-jobs\?search=react', make_demo.output)

    family = psutil.Process(make_demo.process.pid).children(recursive=True)
    os.killpg(make_demo.process.pid, signal.SIGINT)  # Ctrl-C
    assert make_demo.process.wait(30) == 0
    time.sleep(0.5)
    assert [p.pid for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
    stopping = make_demo.output.split("stopping…", 1)[1]
    assert "Traceback" not in stopping
