"""Importing a CV from /cv/: checked at the door, read by a real worker, reviewed beside the
profile, and only what the person accepts is written. Nothing is ever made up."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from coach.models import Cv, LlmCall
from coach.tests import pdfs
from coach.tests.conftest import completion
from jobmate.tasks.models import Task
from profiles.entries import add_entry
from profiles.models import ProfileEntry, profile_for

pytestmark = pytest.mark.django_db

HEADER = ["Camille Martin", "Backend developer", "camille@example.com · Lyon"]
SECTIONS = [
    ("Skills", ["Python, Django, PostgreSQL", "Docker · Redis"]),
    ("Experience", ["**Backend developer — Acme, Lyon", "Sep 2021 – Present", "• Built the billing API in Django",
                    "**Developer — Globex, Paris", "Jan 2018 – Aug 2021", "• Maintained the Python ETL"]),
    ("Education", ["**MSc Computer Science — Université de Lyon", "2016 – 2018"]),
    ("Languages", ["English — fluent (C1)", "French — native"]),
]
FRENCH_SIDEBAR = [("Compétences", ["Python, Django", "PostgreSQL"]), ("Langues", ["Anglais — courant"])]
FRENCH_MAIN = [("Expérience professionnelle", ["**Développeuse backend — Acme, Lyon", "janv. 2020 – aujourd'hui",
                                              "• Conception de l'API de facturation"]),
               ("Formation", ["**Master Informatique — Université de Lyon", "2016 – 2018"])]


def upload(client, data: bytes, name="cv.pdf"):
    return client.post("/cv/", {"cv": SimpleUploadedFile(name, data, content_type="application/pdf")})


def uploaded(client, data, capture):
    with capture(execute=True):
        response = upload(client, data)
    assert response.status_code == 302 and response.url == "/cv/", response.content.decode()[:2000]
    return response


def test_a_cv_is_read_without_an_llm_and_only_the_accepted_sections_are_written(
        alice, alice_client, run_worker, django_capture_on_commit_callbacks):
    profile = profile_for(alice)
    profile.skills = ["Python"]
    profile.save()
    add_entry(profile=profile, kind="experience", entry=ProfileEntry(title="Developer", organisation="Globex"))

    uploaded(alice_client, pdfs.cv_pdf(HEADER, SECTIONS), django_capture_on_commit_callbacks)
    cv = Cv.objects.get(user=alice)
    assert cv.status == Cv.Status.READING and cv.pages == 1
    run_worker()

    cv.refresh_from_db()
    task = Task.objects.get(pk=cv.task_id)
    assert task.status == Task.Status.WAITING_USER and cv.status == Cv.Status.REVIEW
    assert cv.engine == "offline" and LlmCall.objects.count() == 0
    page = alice_client.get("/cv/").content.decode()
    # Side by side: what the profile holds is marked, what is new can be ticked.
    assert "Found in your CV" in page and "In your profile" in page
    assert 'value="skills:' in page and "Django" in page
    assert "Already in your profile" in page  # Python, and the Globex job
    assert 'value="section:experience"' in page and 'value="section:education"' in page

    # The person accepts the skills section and the education section; nothing else.
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post("/cv/review/", {"accepted": ["section:skills", "section:education"]})
    assert response.status_code == 302
    run_worker()

    task.refresh_from_db()
    cv.refresh_from_db()
    assert task.status == Task.Status.COMPLETED and cv.status == Cv.Status.DONE
    profile.refresh_from_db()
    assert {skill.casefold() for skill in profile.skills} >= {"python", "django", "postgresql", "docker", "redis"}
    assert len([s for s in profile.skills if s.casefold() == "python"]) == 1
    education = ProfileEntry.objects.get(profile=profile, kind="education")
    assert education.title.startswith("MSc Computer Science") and education.start.year == 2016
    # Not accepted: the new job, the languages, the name and headline.
    assert list(ProfileEntry.objects.filter(profile=profile, kind="experience").values_list("title", flat=True)) == [
        "Developer"]
    assert not ProfileEntry.objects.filter(profile=profile, kind="languages").exists()
    assert profile.full_name == "" and profile.headline == ""
    assert "items were written to your profile" in alice_client.get("/cv/").content.decode()


def test_one_entry_and_the_name_can_be_accepted_alone(alice, alice_client, run_worker,
                                                       django_capture_on_commit_callbacks):
    uploaded(alice_client, pdfs.cv_pdf(HEADER, SECTIONS), django_capture_on_commit_callbacks)
    run_worker()
    page = alice_client.get("/cv/").content.decode()
    assert 'value="experience:0"' in page and 'value="identity:full_name"' in page
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post("/cv/review/", {"accepted": ["experience:0", "identity:full_name", "not-a-key",
                                                       "section:nothing"]})
    run_worker()
    profile = profile_for(alice)
    assert profile.full_name == "Camille Martin"
    job = ProfileEntry.objects.get(profile=profile, kind="experience")
    assert job.title.startswith("Backend developer") and job.end is None and job.start.month == 9
    assert ProfileEntry.objects.filter(profile=profile).count() == 1


def test_a_french_two_column_cv_is_read(alice, alice_client, run_worker, django_capture_on_commit_callbacks):
    uploaded(alice_client, pdfs.cv_pdf(["Camille Martin", "Développeuse backend"], FRENCH_MAIN,
                                       sidebar=FRENCH_SIDEBAR), django_capture_on_commit_callbacks)
    run_worker()
    found = Cv.objects.get(user=alice).found
    assert {skill.casefold() for skill in found["skills"]} >= {"python", "django", "postgresql"}
    assert found["experience"][0]["title"].startswith("Développeuse backend")
    assert found["experience"][0]["end"] is None and found["experience"][0]["start"].startswith("2020-01")
    assert found["languages"][0]["title"] == "Anglais"


@pytest.mark.parametrize(("make", "words"), [
    (pdfs.scanned_cv, "only images"),
    (pdfs.encrypted_cv, "password"),
    (pdfs.png_named_pdf, "not a PDF"),
    (pdfs.docx_like_zip, "not a PDF"),
    (lambda: pdfs.many_pages(2000), "2000 pages"),
])
def test_files_that_cannot_be_read_are_refused_on_the_page_and_start_nothing(alice, alice_client, make, words):
    response = upload(alice_client, make())
    assert response.status_code == 400
    page = response.content.decode()
    assert words.casefold() in page.casefold().replace("\u202f", " ").replace(",", "")
    assert not Cv.objects.filter(user=alice).exists() and not Task.objects.filter(user=alice).exists()


def test_a_file_over_5_mb_is_refused(alice, alice_client):
    response = upload(alice_client, b"%PDF-1.7\n" + b"0" * (6 * 1024 * 1024))
    assert response.status_code == 400
    assert "at most 5 MB" in response.content.decode()
    assert not Cv.objects.exists()


def test_a_cv_with_no_text_fails_and_invents_no_profile(alice, alice_client, run_worker,
                                                        django_capture_on_commit_callbacks):
    """A PDF with a font but no letters passes the door; the reading then finds no text."""
    uploaded(alice_client, pdfs.cv_pdf([" "], [(" ", ["   "])]), django_capture_on_commit_callbacks)
    run_worker()
    cv = Cv.objects.get(user=alice)
    task = Task.objects.get(pk=cv.task_id)
    assert task.status == Task.Status.FAILED and "scanned" in str(task.error)
    assert cv.status == Cv.Status.FAILED
    assert not ProfileEntry.objects.exists() and profile_for(alice).full_name == ""
    assert "could not be read" in alice_client.get("/cv/").content.decode()


def test_the_file_is_private_and_replacing_it_deletes_the_old_one(
        alice, alice_client, charlie, password, settings, django_capture_on_commit_callbacks):
    first = pdfs.cv_pdf(HEADER, SECTIONS)
    uploaded(alice_client, first, django_capture_on_commit_callbacks)
    cv = Cv.objects.get(user=alice)
    old_path = settings.PRIVATE_ROOT / cv.file.name
    assert old_path.exists() and cv.file.name.startswith("cv/") and "cv.pdf" not in cv.file.name

    download = alice_client.get("/cv/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == first

    other = Client()
    other.login(username=charlie.email, password=password)
    assert other.get("/cv/file/").status_code == 404  # another person has no CV there
    assert "Found in your CV" not in other.get("/cv/").content.decode()
    assert other.post("/cv/review/", {"accepted": ["section:skills"]}).status_code == 404
    assert other.post("/cv/remove/").status_code == 302 and Cv.objects.filter(user=alice).exists()
    other.logout()
    assert other.get("/cv/file/").status_code == 302  # to the log-in

    old_task = cv.task
    uploaded(alice_client, pdfs.cv_pdf(["Camille Martin"], SECTIONS[:1]), django_capture_on_commit_callbacks)
    cv.refresh_from_db()
    old_task.refresh_from_db()
    assert not old_path.exists() and (settings.PRIVATE_ROOT / cv.file.name).exists()
    assert old_task.status == Task.Status.CANCELLED and cv.task_id != old_task.pk
    assert Cv.objects.filter(user=alice).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post("/cv/remove/")
    assert not Cv.objects.exists() and not (settings.PRIVATE_ROOT / cv.file.name).exists()


def test_with_an_llm_what_it_answers_is_kept_only_where_the_cv_says_it(
        alice, alice_client, run_worker, stub_llm, django_capture_on_commit_callbacks):
    stub_llm.answers.append(completion(json.dumps({
        "full_name": "Camille Martin", "headline": "Backend developer", "location": "Lyon",
        "skills": ["Python", "Django", "Kubernetes"],  # Kubernetes is nowhere in the CV
        "experience": [
            {"title": "Backend developer", "organisation": "Acme", "place": "Lyon", "start": "2021-09", "end": "",
             "description": "Built the billing API in Django"},
            {"title": "CTO", "organisation": "Initech", "place": "", "start": "2015-01", "end": "2017-12",
             "description": "Invented"},
            {"title": "Developer", "organisation": "Globex", "place": "Paris", "start": "2012-01", "end": "2021-08",
             "description": "Maintained the Python ETL\nLed a team of 40"},
        ],
        "education": [], "certifications": [], "projects": [],
        "languages": [{"title": "English", "organisation": "", "place": "", "start": "", "end": "",
                       "description": "fluent (C1)"}],
    })))
    uploaded(alice_client, pdfs.cv_pdf(HEADER, SECTIONS), django_capture_on_commit_callbacks)
    run_worker()
    cv = Cv.objects.get(user=alice)
    assert cv.engine == "llm" and LlmCall.objects.filter(purpose="cv_import").count() == 1
    assert "Kubernetes" not in cv.found["skills"] and "Django" in cv.found["skills"]
    assert [job["title"] for job in cv.found["experience"]] == ["Backend developer", "Developer"]
    globex = cv.found["experience"][1]
    # A line the CV does not hold is dropped, and a start year it does not name.
    assert globex["description"] == "Maintained the Python ETL"
    assert globex["start"] is None and globex["end"].startswith("2021-08")
    # The offline reading fills what the LLM left empty: the education the CV holds.
    assert cv.found["education"][0]["title"].startswith("MSc Computer Science")
    # The CV's text is data for the model, not instructions.
    assert "<<<CV_TEXT" in stub_llm.received[0]["messages"][1]["content"]


def test_the_llm_failing_still_shows_what_jobmate_read(alice, alice_client, run_worker, stub_llm,
                                                       django_capture_on_commit_callbacks):
    uploaded(alice_client, pdfs.cv_pdf(HEADER, SECTIONS), django_capture_on_commit_callbacks)
    run_worker()  # the stub has no answer: it fails with a server error
    cv = Cv.objects.get(user=alice)
    task = Task.objects.get(pk=cv.task_id)
    assert task.status == Task.Status.WAITING_USER and cv.engine == "offline"
    assert task.warnings and "Django" in cv.found["skills"]


def test_the_task_page_sends_the_person_to_the_review(alice, alice_client, run_worker,
                                                      django_capture_on_commit_callbacks):
    uploaded(alice_client, pdfs.cv_pdf(HEADER, SECTIONS), django_capture_on_commit_callbacks)
    run_worker()
    task = Task.objects.get(user=alice)
    page = alice_client.get(f"/tasks/{task.pk}/").content.decode()
    assert 'href="/cv/"' in page and "Review what was found in your CV" in page
    # The generic answer form is not the way to answer it.
    response = alice_client.post(f"/tasks/{task.pk}/answer/", {})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Task.Status.WAITING_USER


def test_the_review_page_is_in_french_for_a_french_reader(alice, alice_client, run_worker,
                                                          django_capture_on_commit_callbacks):
    uploaded(alice_client, pdfs.cv_pdf(HEADER, SECTIONS), django_capture_on_commit_callbacks)
    run_worker()
    page = alice_client.get("/cv/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Trouvé dans votre CV" in page and "Dans votre profil" in page


def test_deleting_the_account_deletes_the_cv_file(alice, alice_client, settings, django_capture_on_commit_callbacks):
    from profiles.deletion import delete_account

    uploaded(alice_client, pdfs.cv_pdf(HEADER, SECTIONS), django_capture_on_commit_callbacks)
    path = settings.PRIVATE_ROOT / Cv.objects.get(user=alice).file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(alice)
    assert not path.exists() and not Cv.objects.exists()


def test_a_queue_that_cannot_be_reached_is_said_and_nothing_polls_forever(
        alice, alice_client, redis_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(alice_client, pdfs.cv_pdf(HEADER, SECTIONS))
    assert response.status_code == 302
    cv = Cv.objects.get(user=alice)
    assert Task.objects.get(pk=cv.task_id).status == Task.Status.FAILED
    page = alice_client.get("/cv/").content.decode()
    assert "Your CV could not be read" in page and 'id="cv-reading"' not in page
