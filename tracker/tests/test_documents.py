"""An application's documents: a CV tailored for the offer from the profile (and from the
LLM, guarded), the person's edits refused when they claim what the profile does not hold,
PDF and DOCX downloads that hold the text, and the exact versions sent kept in the tracker."""

import datetime
import io
import json

import pytest
from django.test import Client
from docx import Document as Docx
from pdfminer.high_level import extract_text

from coach.models import Document
from coach.tests.conftest import StubLlm, completion
from jobmate.tasks.models import Task
from profiles.entries import add_entry
from profiles.models import ProfileEntry, profile_for
from tracker import moves
from tracker.models import ApplicationEvent, SentDocument

pytestmark = pytest.mark.django_db

DESCRIPTION = ("<h3>Must have</h3><ul><li>PostgreSQL and Django</li><li>Python</li></ul>"
               "<h3>Nice to have</h3><ul><li>Redis</li></ul>")


@pytest.fixture
def profiled(alice):
    profile = profile_for(alice)
    profile.full_name, profile.headline, profile.location = "Camille Martin", "Backend developer", "Lyon"
    profile.skills = ["Vue.js", "Python", "Redis", "Django", "PostgreSQL"]
    profile.save()
    add_entry(profile=profile, kind="experience", entry=ProfileEntry(
        title="Backend developer", organisation="Acme", start=datetime.date(2021, 9, 1),
        description="Wrote the front end in Vue.js\nBuilt the billing API in Django on PostgreSQL"))
    add_entry(profile=profile, kind="experience", entry=ProfileEntry(
        title="Developer", organisation="Globex", start=datetime.date(2018, 1, 1), end=datetime.date(2021, 8, 1),
        description="Maintained the Python ETL"))
    add_entry(profile=profile, kind="education", entry=ProfileEntry(
        title="MSc Computer Science", organisation="Université de Lyon", start=datetime.date(2016, 9, 1),
        end=datetime.date(2018, 6, 1)))
    return alice


@pytest.fixture
def application(profiled, apply):
    application = apply(profiled, "to_apply", title="Django developer", company="Initech")
    application.offer.description = DESCRIPTION
    application.offer.save()
    return application


def entries(user):
    return {e.organisation or e.title: e for e in ProfileEntry.objects.filter(profile__user=user)}


def build(client, application):
    response = client.post(f"/applications/{application.pk}/documents/build/")
    assert response.status_code == 302
    return Document.objects.get(offer=application.offer)


def form_data(client, application) -> dict:
    """The edit form as the page shows it."""
    from coach.cvdoc import TailoredCv

    document = Document.objects.get(offer=application.offer)
    doc = TailoredCv.from_json(document.content)
    data = {"summary": doc.summary, "skills": ", ".join(doc.skills)}
    for entry in doc.entries():
        data[f"entry_{entry.entry_id}"] = entry.description
        data[f"keep_{entry.entry_id}"] = "on"
    return data


def test_the_offline_cv_puts_what_the_offer_asks_first_in_the_profiles_words(profiled, alice_client, application):
    document = build(alice_client, application)
    skills = document.content["skills"]
    # PostgreSQL, Django and Python are must-haves, Redis is nice to have; Vue.js is not asked.
    assert set(skills[:3]) == {"PostgreSQL", "Django", "Python"} and skills[3] == "Redis" and skills[4] == "Vue.js"
    acme = document.content["sections"][0]["entries"][0]
    assert acme["description"].splitlines() == ["Built the billing API in Django on PostgreSQL",
                                                "Wrote the front end in Vue.js"]
    page = alice_client.get(f"/applications/{application.pk}/documents/").content.decode()
    assert "What changed, from your profile" in page and "<ins>" in page
    assert "Not in your profile" not in page  # nothing to object to


def test_edits_that_add_a_skill_change_a_title_or_drop_an_entry_are_refused(profiled, alice_client, application):
    build(alice_client, application)
    url = f"/applications/{application.pk}/documents/"
    data = form_data(alice_client, application)

    added = {**data, "skills": data["skills"] + ", Kubernetes"}
    response = alice_client.post(url, added)
    assert response.status_code == 400
    assert "“Kubernetes” is not in your profile — add it there first." in response.content.decode()

    claimed = {**data, "summary": "Ten years of Kubernetes since 2009."}
    page = alice_client.post(url, claimed).content.decode()
    assert "Kubernetes" in page and "2009" in page
    assert "Kubernetes" not in json.dumps(Document.objects.get(offer=application.offer).content)

    # Leaving an entry out on purpose is the person's right, and said so in the diff.
    globex = entries(profiled)["Globex"]
    left_out = {key: value for key, value in data.items() if key != f"keep_{globex.pk}"}
    response = alice_client.post(url, left_out)
    assert response.status_code == 302
    content = Document.objects.get(offer=application.offer).content
    assert content["left_out"] == [globex.pk]
    assert "Globex" not in json.dumps(content["sections"])
    page = alice_client.get(url).content.decode()
    assert "(left out of this CV)" in page
    # ...and it can be taken back in.
    response = alice_client.post(url, {**left_out, f"keep_{globex.pk}": "on"})
    assert "Globex" in json.dumps(Document.objects.get(offer=application.offer).content["sections"])


def test_the_profile_changing_after_makes_the_download_refused_until_fixed(profiled, alice_client, application):
    build(alice_client, application)
    from profiles.skills import remove_skill

    remove_skill(profile=profile_for(profiled), skill="Redis")
    response = alice_client.get(f"/applications/{application.pk}/cv.pdf")
    assert response.status_code == 302
    page = alice_client.get(response.url).content.decode()
    assert "Not downloaded" in page and "“Redis” is not in your profile" in page


def test_pdf_and_docx_hold_the_cv_and_the_letter(profiled, alice_client, application):
    build(alice_client, application)
    response = alice_client.get(f"/applications/{application.pk}/cv.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "cv-initech.pdf" in response["Content-Disposition"]
    text = extract_text(io.BytesIO(response.content))
    for words in ("Camille Martin", "Backend developer", "Acme", "Globex", "Université de Lyon", "Sep 2021"):
        assert words in text
    docx = Docx(io.BytesIO(alice_client.get(f"/applications/{application.pk}/cv.docx").content))
    body = "\n".join(paragraph.text for paragraph in docx.paragraphs)
    assert "Built the billing API in Django on PostgreSQL" in body and "MSc Computer Science" in body

    assert alice_client.get(f"/applications/{application.pk}/letter.pdf").status_code == 404  # no letter yet
    application.cover_letter = "Dear Initech team,\n\nI build Django services on PostgreSQL at Acme."
    application.save()
    letter = extract_text(io.BytesIO(alice_client.get(f"/applications/{application.pk}/letter.pdf").content))
    assert "Dear Initech team" in letter and "Camille Martin" in letter
    docx = Docx(io.BytesIO(alice_client.get(f"/applications/{application.pk}/letter.docx").content))
    assert any("I build Django services" in paragraph.text for paragraph in docx.paragraphs)
    assert alice_client.get(f"/applications/{application.pk}/letter.txt").status_code == 200
    assert alice_client.get(f"/applications/{application.pk}/cv.exe").status_code == 404


def test_a_letter_claiming_a_skill_the_profile_lacks_is_not_downloaded(profiled, alice_client, application):
    application.cover_letter = "I have run Kubernetes clusters for years."
    application.save()
    page = alice_client.get(f"/applications/{application.pk}/documents/").content.decode()
    assert "“Kubernetes” is not in your profile" in page
    assert alice_client.get(f"/applications/{application.pk}/letter.pdf").status_code == 302


def test_the_versions_sent_are_kept_exactly_when_the_application_moves_to_applied(
        profiled, alice_client, application):
    build(alice_client, application)
    application.cover_letter = "Dear Initech team,\n\nI build Django services."
    application.save()
    moves.application_move(user=profiled, application_id=application.pk, to_status="applied")

    sent = {document.kind: document for document in SentDocument.objects.filter(application=application)}
    assert set(sent) == {"cv", "letter"}
    event = ApplicationEvent.objects.get(application=application, kind=ApplicationEvent.Kind.SENT)
    assert {item["id"] for item in event.data["documents"]} == {sent["cv"].pk, sent["letter"].pk}

    # Later edits change neither what was sent nor its files.
    data = form_data(alice_client, application)
    alice_client.post(f"/applications/{application.pk}/documents/", {**data, "summary": "A new summary."})
    application.cover_letter = "A different letter."
    application.save()
    sent_cv = extract_text(io.BytesIO(alice_client.get(f"/applications/sent/{sent['cv'].pk}.pdf").content))
    assert "A new summary." not in sent_cv and "Camille Martin" in sent_cv
    sent_letter = Docx(io.BytesIO(alice_client.get(f"/applications/sent/{sent['letter'].pk}.docx").content))
    assert any("I build Django services." in p.text for p in sent_letter.paragraphs)
    page = alice_client.get(f"/applications/{application.pk}/").content.decode()
    assert "Sent with the application: the tailored CV and the cover letter" in page
    assert f"/applications/sent/{sent['cv'].pk}.pdf" in page

    # Moving back and forth does not keep them twice; "keep the current versions" does.
    moves.application_move(user=profiled, application_id=application.pk, to_status="interview")
    assert SentDocument.objects.filter(application=application).count() == 2
    alice_client.post(f"/applications/{application.pk}/documents/sent/")
    assert SentDocument.objects.filter(application=application).count() == 4


def test_another_persons_documents_are_404(profiled, alice_client, application, charlie, password):
    build(alice_client, application)
    application.cover_letter = "Dear Initech team."
    application.save()
    moves.application_move(user=profiled, application_id=application.pk, to_status="applied")
    sent = SentDocument.objects.filter(application=application).first()
    other = Client()
    other.login(username=charlie.email, password=password)
    for url in (f"/applications/{application.pk}/documents/", f"/applications/{application.pk}/cv.pdf",
                f"/applications/{application.pk}/cv.docx", f"/applications/{application.pk}/letter.pdf",
                f"/applications/sent/{sent.pk}.pdf"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/applications/{application.pk}/documents/build/").status_code == 404
    assert other.post(f"/applications/{application.pk}/documents/", {"summary": "x"}).status_code == 404
    assert other.post(f"/applications/{application.pk}/documents/sent/").status_code == 404


def test_the_llm_rewords_and_the_guard_refuses_what_it_invented(
        profiled, alice_client, application, settings, web_server, run_worker, django_capture_on_commit_callbacks):
    stub = StubLlm(web_server)
    settings.LLM_BASE_URL, settings.LLM_API_KEY, settings.LLM_MODEL = stub.url, "", "gpt-4o-mini"
    settings.LLM_PRICE_IN = settings.LLM_PRICE_OUT = None
    settings.JOBMATE_HTTP_BACKOFF = 0.01
    acme, globex, school = (entries(profiled)[name] for name in ("Acme", "Globex", "Université de Lyon"))
    stub.answers.append(completion(json.dumps({
        "summary": "Backend developer shipping Django services on PostgreSQL.",
        "skills": ["Django", "PostgreSQL", "Python", "Kubernetes", "Redis", "Vue.js"],
        "entries": [
            {"entry_id": acme.pk,
             "description": "Built the billing API with Django and PostgreSQL\nWrote the front end"},
            {"entry_id": 999999, "description": "Led a team of 40 at Hooli"},
        ],
    })))
    page = alice_client.get(f"/applications/{application.pk}/documents/").content.decode()
    assert "About " in page and " tokens" in page  # the request's size, before asking
    with django_capture_on_commit_callbacks(execute=True):
        document = build(alice_client, application)
    assert document.task is not None
    run_worker()
    document.refresh_from_db()
    assert Task.objects.get(pk=document.task_id).status == Task.Status.COMPLETED
    assert document.engine == "llm"
    content = json.dumps(document.content)
    assert "Kubernetes" not in content and "Hooli" not in content
    assert document.content["summary"] == "Backend developer shipping Django services on PostgreSQL."
    # Every entry is still there, with the profile's titles and dates.
    ids = [e["entry_id"] for s in document.content["sections"] for e in s["entries"]]
    assert sorted(ids) == sorted([acme.pk, globex.pk, school.pk])
    page = alice_client.get(f"/applications/{application.pk}/documents/").content.decode()
    assert "Refused by the fact guard" in page and "Kubernetes" in page
    assert "<<<PROFILE" in stub.received[0]["messages"][1]["content"]


def test_a_skill_with_a_comma_in_brackets_survives_the_edit_form(profiled, alice_client, application):
    profile = profile_for(profiled)
    profile.skills = [*profile.skills, "AWS (EC2, S3)"]
    profile.save()
    build(alice_client, application)
    data = form_data(alice_client, application)
    response = alice_client.post(f"/applications/{application.pk}/documents/", data)
    assert response.status_code == 302
    assert "AWS (EC2, S3)" in Document.objects.get(offer=application.offer).content["skills"]


def test_the_profile_changing_after_the_build_is_taken_in_by_the_edit_form(profiled, alice_client, application):
    build(alice_client, application)
    acme = entries(profiled)["Acme"]
    acme.title = "Senior backend developer"
    acme.save()
    later = add_entry(profile=profile_for(profiled), kind="projects", entry=ProfileEntry(title="Climate API"))
    url = f"/applications/{application.pk}/documents/"
    page = alice_client.get(url).content.decode()
    # The stored CV now differs from the profile: said, and not downloaded until saved again.
    assert "Senior backend developer" in page and "Climate API" in page
    assert alice_client.get(f"/applications/{application.pk}/cv.pdf").status_code == 302
    # The form shows the profile's title and the new entry (left out until ticked): saving
    # it as shown is faithful.
    data = {"summary": "Backend developer", "skills": "Django, Python"}
    for entry in ProfileEntry.objects.filter(profile__user=profiled):
        data[f"entry_{entry.pk}"] = entry.description
        if entry.pk != later.pk:
            data[f"keep_{entry.pk}"] = "on"
    assert alice_client.post(url, data).status_code == 302
    content = Document.objects.get(offer=application.offer).content
    assert content["left_out"] == [later.pk]
    assert "Senior backend developer" in json.dumps(content)
    assert alice_client.get(f"/applications/{application.pk}/cv.pdf").status_code == 200


def test_a_version_the_guard_objects_to_is_not_kept_as_sent(profiled, alice_client, application):
    application.cover_letter = "I have run Kubernetes clusters for years."
    application.save()
    moves.application_move(user=profiled, application_id=application.pk, to_status="applied")
    assert not SentDocument.objects.filter(application=application).exists()
    assert not ApplicationEvent.objects.filter(application=application, kind=ApplicationEvent.Kind.SENT).exists()
