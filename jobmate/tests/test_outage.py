"""PostgreSQL stopped under a running web server (`manage.py runserver`, DEBUG on, as
`make run` serves it): a friendly 503 on pages and API, in the browser's language, then
recovery once PostgreSQL is back, with nothing restarted."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from jobmate import embedded
from jobmate.dev import free_port

pytestmark = pytest.mark.slow
BASE_DIR = Path(__file__).resolve().parent.parent.parent
PASSWORD = "correct horse battery staple"


def _manage(env, *args) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def web_on_throwaway_postgres(tmp_path):
    """A web server whose PostgreSQL the test may stop and start: (base url, root)."""
    root = Path(tempfile.mkdtemp(prefix="jm-pg-"))  # short: the socket path has a limit
    database = embedded.ensure_postgres(root).url
    env = {**os.environ, "DATABASE_URL": database, "REDIS_URL": settings.REDIS_URL, "DEBUG": "true",
           "JOBMATE_VAR_DIR": str(tmp_path), "DB_CONNECT_TIMEOUT": "2"}
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "shell", "-c", "from profiles.models import User; "
                               f"User.objects.create_user(email='pat@example.com', password='{PASSWORD}')")
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="jobmate-web-", suffix=".log", delete=False)
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/healthz", timeout=2)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline and server.poll() is None, Path(log.name).read_text()
            time.sleep(0.2)
    yield url, root
    server.terminate()
    server.wait(10)
    embedded.stop_postgres(root)
    print(Path(log.name).read_text(errors="replace")[-10000:])
    os.unlink(log.name)


def test_postgres_stopped_gives_a_503_page_then_recovers_with_nothing_restarted(web_on_throwaway_postgres):
    url, root = web_on_throwaway_postgres
    browser = httpx.Client(base_url=url, timeout=10, follow_redirects=False)
    login = browser.get("/accounts/login/")
    browser.post("/accounts/login/", data={"username": "pat@example.com", "password": PASSWORD,
                                           "csrfmiddlewaretoken": login.cookies["csrftoken"]},
                 headers={"Referer": f"{url}/accounts/login/"})
    assert browser.get("/inbox/").status_code == 200

    embedded.stop_postgres(root)

    page = browser.get("/inbox/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert page.status_code == 503
    assert "Temporarily unavailable" in page.text and "Nothing you saved is lost" in page.text
    assert "Traceback" not in page.text and "OperationalError" not in page.text
    assert page.headers["Retry-After"] == "30"
    french = browser.get("/inbox/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert french.status_code == 503
    assert "Momentanément indisponible" in french.text and 'lang="fr"' in french.text
    form = browser.post("/offers/add/", data={"form": "url", "url": "https://example.com/jobs/1",
                                              "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
                        headers={"Referer": f"{url}/offers/add/"})
    assert form.status_code == 503
    api = httpx.get(f"{url}/api/v1/tasks", headers={"Authorization": "Bearer jm_not-a-real-token"}, timeout=10)
    assert api.status_code == 503
    assert api.json() == {"error": "JobMate is temporarily unavailable: its database cannot be reached. "
                                   "Try again in a moment."}
    health = httpx.get(f"{url}/healthz", timeout=10)
    assert (health.status_code, health.json()["database"]) == (503, "error")

    embedded.ensure_postgres(root)  # back, at the same place; the web server was not touched

    deadline = time.monotonic() + 20
    while (status := browser.get("/inbox/").status_code) != 200:
        assert time.monotonic() < deadline, status
        time.sleep(0.5)
    assert httpx.get(f"{url}/healthz", timeout=10).json()["database"] == "ok"
