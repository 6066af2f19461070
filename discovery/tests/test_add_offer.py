import json

import pytest
from django.urls import reverse

from discovery.models import Offer
from discovery.sources import jobpage
from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task
from profiles.tokens import create_token

POSTING = {
    "@context": "https://schema.org/", "@type": "JobPosting", "title": "Développeur Python",
    "description": "<p>Django &amp; <b>PostgreSQL</b></p><script>alert(1)</script>",
    "datePosted": "2026-11-02", "employmentType": ["FULL_TIME"],
    "hiringOrganization": {"@type": "Organization", "name": "Société Générale"},
    "jobLocation": {"@type": "Place", "address": {"addressLocality": "Paris", "addressCountry": "FR"}},
    "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR",
                   "value": {"@type": "QuantitativeValue", "minValue": 50000, "maxValue": 62000, "unitText": "YEAR"}},
}


def page(*json_ld, head=""):
    # As sites do (and must), "</" is escaped inside the script: a description holding
    # "</script>" must not end it.
    escaped = [json.dumps(d).replace("</", "<\\/") for d in json_ld]
    scripts = "".join(f'<script type="application/ld+json">{text}</script>' for text in escaped)
    return f"<html><head>{head}{scripts}</head><body><h1>Job</h1></body></html>"


def test_json_ld_job_posting():
    offer = jobpage.parse(page(POSTING), "https://careers.example/jobs/1")
    assert offer.title == "Développeur Python"
    assert offer.company == "Société Générale"
    assert offer.location == "Paris, FR"
    assert (offer.salary_min, offer.salary_max, offer.salary_currency, offer.salary_period) == (50000, 62000, "EUR", "year")
    assert offer.contract_type == "FULL_TIME"  # the page's wording: ingestion reads it as full_time
    assert offer.posted_at.year == 2026


@pytest.mark.parametrize("document", [
    {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, POSTING]},
    [{"@type": "BreadcrumbList"}, POSTING],
])
def test_json_ld_inside_graph_or_array(document):
    assert jobpage.parse(page(document), "https://x.test/1").title == "Développeur Python"


def test_telecommute_is_remote_and_a_plain_salary_number():
    posting = {**POSTING, "jobLocationType": "TELECOMMUTE", "baseSalary": {"currency": "USD", "value": 90000}}
    offer = jobpage.parse(page(posting), "https://x.test/1")
    assert offer.remote == "remote"
    assert (offer.salary_min, offer.salary_max) == (90000, 90000)


def test_broken_json_ld_falls_back_to_opengraph():
    html = ('<html><head><script type="application/ld+json">{not json</script>'
            '<meta property="og:title" content="Data Engineer"><meta property="og:site_name" content="Initech">'
            '<meta name="description" content="Pipelines."><title>Ignored</title></head></html>')
    offer = jobpage.parse(html, "https://x.test/2")
    assert (offer.title, offer.company, offer.description_html) == ("Data Engineer", "Initech", "Pipelines.")


def test_title_tag_is_the_last_resort():
    offer = jobpage.parse("<html><head><title> Careers – Backend dev </title></head></html>", "https://x.test/3")
    assert offer.title == "Careers – Backend dev" and offer.company == ""


# --- the task -------------------------------------------------------------------------------------

@pytest.fixture
def job_site(settings, web_server):
    """A loopback server standing in for a public careers site."""
    settings.JOBMATE_FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{web_server.port}"]
    return web_server


@pytest.fixture
def add(alice, django_capture_on_commit_callbacks, run_worker):
    def add(url):
        with django_capture_on_commit_callbacks(execute=True):
            task = lifecycle.start("discovery.add_by_url", user=alice, params={"url": url})
        run_worker()
        task.refresh_from_db()
        return task
    return add


@pytest.mark.django_db
def test_add_by_url_reads_the_page_into_a_pending_manual_offer(add, job_site, alice):
    job_site.routes["/jobs/1"] = (200, {"Content-Type": "text/html"}, page(POSTING))
    task = add(f"{job_site.url}/jobs/1?utm_source=mail")
    assert task.status == Task.Status.COMPLETED, task.error
    offer = Offer.objects.get(pk=task.result["offer_id"])
    assert (offer.user, offer.status, offer.is_manual, offer.source) == (alice, "pending", True, "jobpage")
    assert offer.canonical_url == f"{job_site.url}/jobs/1"
    assert "<script" not in offer.description and "<b>PostgreSQL</b>" in offer.description
    assert str(task.message) == "Added “Développeur Python” at Société Générale to your inbox"

    again = add(f"{job_site.url}/jobs/1")
    assert again.result == {"offer_id": offer.pk, "duplicate": True}
    assert Offer.objects.count() == 1


@pytest.mark.django_db
def test_a_page_without_a_company_asks_the_person(add, job_site, alice, run_worker, django_capture_on_commit_callbacks, client):
    job_site.routes["/jobs/2"] = (200, {"Content-Type": "text/html"},
                                  "<html><head><title>Backend developer</title></head></html>")
    task = add(f"{job_site.url}/jobs/2")
    assert task.status == Task.Status.WAITING_USER
    fields = {f["name"]: f for f in task.question["fields"]}
    assert fields["title"]["initial"] == "Backend developer" and fields["company"]["required"]

    client.force_login(alice)
    page_body = client.get(reverse("task_detail", args=[task.pk])).content.decode()
    assert 'value="Backend developer"' in page_body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("task_answer", args=[task.pk]),
                               {"answer-title": "Backend developer", "answer-company": "Initrode", "answer-location": "Lyon"})
    assert response.status_code == 302
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    offer = Offer.objects.get()
    assert (offer.title, offer.company, offer.location, offer.is_manual) == ("Backend developer", "Initrode", "Lyon", True)


@pytest.mark.django_db
def test_a_private_url_fails_at_once_without_retrying(add, web_server):
    web_server.routes["/"] = (200, {}, "internal")
    task = add(f"{web_server.url}/")
    assert task.status == Task.Status.FAILED
    assert "private or local address" in str(task.error)
    assert task.attempt == 1
    assert web_server.requests == []


@pytest.mark.django_db
def test_a_greenhouse_link_goes_through_its_api(add, settings, web_server):
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    settings.JOBMATE_SOURCE_URLS = {**settings.JOBMATE_SOURCE_URLS, "greenhouse": f"{web_server.url}/greenhouse"}
    web_server.routes["/greenhouse/acme/jobs"] = (200, {"Content-Type": "application/json"},
                                                 (fixtures / "greenhouse_jobs.documented.json").read_text())
    task = add("https://boards.greenhouse.io/acme/jobs/4012345006")
    assert task.status == Task.Status.COMPLETED, task.error
    assert Offer.objects.get().title == "Senior Python Engineer"


# --- pages and API ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_add_page_refuses_a_non_web_link_and_keeps_it(alice_client):
    response = alice_client.post(reverse("offer_add"), {"form": "url", "url": "ftp://files.example/job"})
    assert response.status_code == 400
    assert "Enter a valid URL" in response.content.decode() or "Only http" in response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_add_by_link_starts_a_task(alice_client, redis_conn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("offer_add"), {"form": "url", "url": "https://careers.example/jobs/9"})
    task = Task.objects.get()
    assert response["Location"] == f"{reverse('offer_add')}?task={task.pk}"  # the page follows the reading
    assert task.params == {"url": "https://careers.example/jobs/9"}


@pytest.mark.django_db
def test_the_add_page_follows_the_reading_without_promising_the_outcome(alice_client, redis_conn,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("offer_add"), {"form": "url", "url": "https://careers.example/jobs/9"},
                                     follow=True)
    task = Task.objects.get()
    body = response.content.decode()
    assert "Reading the page…" in body and "lands in your inbox in a moment" not in body
    assert f'hx-get="{reverse("offer_add")}?task={task.pk}" hx-trigger="every 2s"' in body
    fragment = alice_client.get(reverse("offer_add"), {"task": task.pk}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "HX-Trigger" not in fragment
    assert fragment.content.decode().lstrip().startswith('<section id="add-status"')


@pytest.mark.django_db
def test_a_link_jobmate_may_not_read_can_be_added_by_hand(add, web_server, alice, client):
    web_server.routes["/jobs/3"] = (200, {}, "internal")
    link = f"{web_server.url}/jobs/3"
    task = add(link)  # a loopback address: JobMate may not fetch it
    assert task.status == Task.Status.FAILED
    client.force_login(alice)
    final = client.get(reverse("offer_add"), {"task": task.pk}, HTTP_HX_REQUEST="true")
    assert final.status_code == 286 and final["HX-Trigger"] == "task-finished"

    page = client.get(reverse("offer_add"), {"task": task.pk}).content.decode()
    status = page.split('id="add-status"')[1].split("</section>")[0]
    assert "JobMate could not add this link." in status and "private or local address" in status
    assert 'href="#add-by-hand"' in status and "Add it by hand" in status
    manual = page.split('id="add-by-hand"')[1].split("</form>")[0]
    assert f'name="url" value="{link}"' in manual  # the link is filled in

    response = client.post(reverse("offer_add"), {"form": "manual", "company": "Initech", "title": "QA Engineer",
                                                  "url": link})
    offer = Offer.objects.get()
    assert (offer.apply_url, offer.is_manual) == (link, True)
    assert response["Location"] == reverse("inbox_offer", args=[offer.pk])


@pytest.mark.django_db
def test_a_link_read_opens_its_offer_in_the_inbox(add, job_site, alice, client):
    job_site.routes["/jobs/1"] = (200, {"Content-Type": "text/html"}, page(POSTING))
    task = add(f"{job_site.url}/jobs/1")
    client.force_login(alice)
    body = client.get(reverse("offer_add"), {"task": task.pk}).content.decode()
    status = body.split('id="add-status"')[1].split("</section>")[0]
    assert "Added “Développeur Python” at Société Générale to your inbox" in status
    assert f'href="{reverse("inbox_offer", args=[task.result["offer_id"]])}"' in status
    assert f'value="{job_site.url}/jobs/1"' not in body.split('id="add-by-hand"')[1]  # nothing to add by hand


@pytest.mark.django_db
def test_the_add_page_shows_only_my_own_reading(client, alice, charlie):
    theirs = Task.objects.create(user=charlie, kind="discovery.add_by_url", status=Task.Status.FAILED,
                                 params={"url": "https://secret.example/job"}, error="nope")
    client.force_login(alice)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(reverse("offer_add"), {"task": theirs.pk}, **headers)
        assert response.status_code == 302 and response["Location"] == reverse("offer_add")
    assert client.get(reverse("offer_add"), {"task": "not-a-uuid"})["Location"] == reverse("offer_add")


@pytest.mark.django_db
def test_manual_offer_form(alice_client, alice):
    data = {"form": "manual", "company": "Initech", "title": "QA Engineer", "location": "Nantes",
            "contract_type": "full_time", "start_date": "2027-01-04", "company_description": "Printers.",
            "why_us": "<script>alert(1)</script> Great team"}
    response = alice_client.post(reverse("offer_add"), data)
    offer = Offer.objects.get()
    assert response["Location"] == reverse("inbox_offer", args=[offer.pk])  # the inbox opens this offer
    assert (offer.status, offer.is_manual, offer.company, str(offer.start_date)) == ("pending", True, "Initech", "2027-01-04")
    alice_client.post(reverse("offer_add"), {**data, "company": "Initech Inc."})
    assert Offer.objects.count() == 1  # the same job again


@pytest.mark.django_db
def test_manual_offer_form_keeps_input_on_error(alice_client):
    response = alice_client.post(reverse("offer_add"), {"form": "manual", "company": "Initech", "title": ""})
    assert response.status_code == 400
    assert 'value="Initech"' in response.content.decode()


@pytest.mark.django_db
def test_api_offers(client, alice, redis_conn, django_capture_on_commit_callbacks):
    secret = create_token(user=alice, name="bookmarklet")[1]

    def post(body):
        return client.post("/api/v1/offers", data=json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}")

    with django_capture_on_commit_callbacks(execute=True):
        response = post({"url": "https://careers.example/jobs/9"})
    assert response.status_code == 202 and response.json()["status"] == "pending"
    assert post({"url": "file:///etc/passwd"}).status_code == 400
    # Checked by the page's form: its messages, per field.
    assert post({"link": "x"}).json()["fields"] == {"url": ["Give the link to the job offer."]}
    assert post({"url": ["https://careers.example/jobs/9"]}).json()["fields"] == {"url": ["Give a text."]}
    assert Task.objects.count() == 1
