"""Importing past applications from a spreadsheet (/applications/import/): a preview of
every row with its errors, nothing written before the confirmation, then every valid row
in one go; the same file twice adds nothing."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from discovery.models import Offer
from tracker import exports, imports, moves
from tracker.models import Application, ApplicationEvent

pytestmark = pytest.mark.django_db

Status = Application.Status
Kind = ApplicationEvent.Kind
URL = reverse("applications_import")

# A spreadsheet kept by hand in French, saved by Excel as "CSV UTF-8": semicolons, a BOM,
# a note over two lines, empty rows at the end.
FRENCH_SHEET = (
    "\ufeffEntreprise;Poste;Lien;Statut;Date de candidature;Notes\r\n"
    "Decathlon;Développeur Python;https://jobs.decathlon.example/offre/123?utm_source=linkedin;"
    "Candidature envoyée;14/03/2025;Relancer fin mars\r\n"
    'Doctolib;Backend Engineer (Django);;Entretien;02/04/2025;"1er entretien RH ok\r\n2e tour technique le 10"\r\n'
    "Qonto;Data Engineer;https://qonto.example/careers/456;Refusée;;\r\n"
    "Alan;SRE;;;;\r\n"
    ";;;;;\r\n"
    ";;;;;\r\n"
)

# The rows a person gets wrong, one mistake each (and one good row).
MISTAKES = (
    "company,title,link,status,applied on,notes\n"
    "Acme,Python Developer,https://acme.example/jobs/1,applied,2025-03-14,fine\n"      # row 2: good
    "Globex,Backend Engineer,,applied,31/02/2025,\n"                                 # row 3: no such day
    'Initech,"=HYPERLINK(""https://evil.example"",""Click"")",,,,\n'                  # row 4: a formula
    "Hooli,,,,,\n"                                                                    # row 5: no title
    "Umbrella,QA Engineer,,hired?,,\n"                                                # row 6: no such status
    "Stark,SRE,javascript:alert(1),,,\n"                                              # row 7: not a web address
    "Wayne,Designer,,applied,2099-01-01,\n"                                           # row 8: in the future
    "Cyberdyne,Data Scientist,,applied,last week,\n"                                  # row 9: not a date
)


def upload(client, content, name="applications.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def preview_of(client, content):
    response = upload(client, content)
    assert response.status_code == 303, response.content.decode()[:2000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


def confirm(client, page):
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page.content.decode()).group(1)
    return client.post(URL, {"digest": digest})


def rows_of(page) -> dict[int, str]:
    """The preview's rows: row number → its text."""
    html = page.content.decode()
    return {int(number): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()
            for number, body in re.findall(r'<tr class="import-row[^"]*" id="row-(\d+)">(.*?)</tr>', html, re.S)}


def test_the_form_says_which_columns_it_reads(alice_client):
    html = alice_client.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in html
    for column in ("company", "title", "link", "status", "applied_on", "notes", "entreprise", "date de candidature"):
        assert column in html


def test_the_preview_lists_every_row_and_writes_nothing(alice_client):
    page = preview_of(alice_client, FRENCH_SHEET)
    rows = rows_of(page)
    assert sorted(rows) == [2, 3, 4, 5]  # the empty rows at the end are no rows
    assert "Decathlon" in rows[2] and "Candidature envoyée" not in rows[2] and "Applied" in rows[2]
    assert "Interview" in rows[3] and "Rejected" in rows[4] and "To apply" in rows[5]
    assert all("Will be added" in text for text in rows.values())
    assert "Import 4 applications" in page.content.decode()
    assert not Offer.objects.exists() and not Application.objects.exists()


def test_confirming_imports_each_row_as_an_approved_offer_with_its_application(alice, alice_client):
    response = confirm(alice_client, preview_of(alice_client, FRENCH_SHEET))
    assert response.status_code == 303 and response["Location"] == reverse("board")
    board = alice_client.get(response["Location"])
    assert "4 applications imported" in board.content.decode()

    applications = {a.offer.company: a for a in Application.objects.filter(user=alice).select_related("offer")}
    assert {company: a.status for company, a in applications.items()} == {
        "Decathlon": Status.APPLIED, "Doctolib": Status.INTERVIEW, "Qonto": Status.REJECTED, "Alan": Status.TO_APPLY}
    decathlon = applications["Decathlon"]
    assert decathlon.offer.title == "Développeur Python"
    assert decathlon.offer.status == Offer.Status.APPROVED and decathlon.offer.source == "manual"
    assert decathlon.offer.is_manual
    # The link as given, and its identity without the tracking parameter (as discovery keeps it).
    assert decathlon.offer.apply_url == "https://jobs.decathlon.example/offre/123?utm_source=linkedin"
    assert decathlon.offer.canonical_url == "https://jobs.decathlon.example/offre/123"
    assert decathlon.applied_on == date(2025, 3, 14)
    assert applications["Doctolib"].applied_on == date(2025, 4, 2)
    assert applications["Qonto"].applied_on is None


def test_each_application_has_its_history_dated_when_it_happened(alice, alice_client):
    confirm(alice_client, preview_of(alice_client, FRENCH_SHEET))
    sent = datetime.combine(date(2025, 3, 14), time(12), tzinfo=ZoneInfo("UTC"))
    decathlon = Application.objects.get(offer__company="Decathlon")
    events = list(decathlon.events.order_by("created_at", "pk"))
    assert [(e.kind, e.from_status, e.to_status) for e in events] == [
        (Kind.CREATED, "", Status.TO_APPLY), (Kind.STATUS, Status.TO_APPLY, Status.APPLIED), (Kind.NOTE, "", "")]
    assert events[0].data == {"imported": True}
    assert all(e.created_at == sent for e in events) and decathlon.created_at == sent
    assert events[2].note == "Relancer fin mars"

    doctolib = Application.objects.get(offer__company="Doctolib")
    moves_made = [(e.from_status, e.to_status) for e in doctolib.events.filter(kind=Kind.STATUS).order_by("created_at")]
    assert moves_made == [(Status.TO_APPLY, Status.APPLIED), (Status.APPLIED, Status.INTERVIEW)]
    assert doctolib.events.get(kind=Kind.NOTE).note == "1er entretien RH ok\n2e tour technique le 10"

    for application in Application.objects.filter(user=alice):
        # The history replays to the status, and the moves go on from there as usual.
        assert moves.status_from_history(application.events.order_by("created_at", "pk")) == application.status
    qonto = Application.objects.get(offer__company="Qonto")
    assert moves.allowed_from(qonto) == [Status.TO_APPLY]  # reopened to where it was

    page = alice_client.get(reverse("application_detail", args=[decathlon.pk])).content.decode()
    assert "Imported from a spreadsheet" in page


def test_importing_the_same_file_twice_adds_nothing(alice, alice_client):
    confirm(alice_client, preview_of(alice_client, FRENCH_SHEET))
    counts = (Offer.objects.count(), Application.objects.count(), ApplicationEvent.objects.count())
    page = preview_of(alice_client, FRENCH_SHEET)
    rows = rows_of(page)
    assert all("Already on your board" in text for text in rows.values())
    assert "Nothing to import" in page.content.decode() and 'name="digest"' not in page.content.decode()
    assert imports.import_rows(alice, FRENCH_SHEET.encode()).added == 0
    assert (Offer.objects.count(), Application.objects.count(), ApplicationEvent.objects.count()) == counts


def test_confirming_twice_imports_once(alice_client):
    page = preview_of(alice_client, FRENCH_SHEET)
    assert confirm(alice_client, page).status_code == 303
    second = confirm(alice_client, page)
    assert second.status_code == 303 and second["Location"] == URL
    assert "no longer current" in alice_client.get(URL).content.decode()
    assert Application.objects.count() == 4


def test_a_job_waiting_in_the_inbox_is_approved_and_tracked(alice, alice_client, make_offer):
    waiting = make_offer(alice, company="Qonto", title="Data engineer", location="",
                         canonical_url="https://qonto.example/careers/456", fingerprint="from-a-board")
    rows = rows_of(preview_of(alice_client, FRENCH_SHEET))
    assert "In your inbox" in rows[4]
    confirm(alice_client, preview_of(alice_client, FRENCH_SHEET))
    waiting.refresh_from_db()
    assert waiting.status == Offer.Status.APPROVED
    assert waiting.application.status == Status.REJECTED
    assert Offer.objects.filter(user=alice).count() == 4  # no second offer for the same job


def test_the_same_job_twice_in_one_file_is_imported_once(alice_client):
    sheet = ("company,title\nAcme Corp,Python Developer\nACME corp.,python developer\n")
    rows = rows_of(preview_of(alice_client, sheet))
    assert "Will be added" in rows[2] and "The same job as row 2" in rows[3]
    confirm(alice_client, preview_of(alice_client, sheet))
    assert Application.objects.count() == 1


def test_every_mistake_is_said_on_its_row_and_only_valid_rows_are_imported(alice_client):
    page = preview_of(alice_client, MISTAKES)
    rows = rows_of(page)
    assert "Will be added" in rows[2]
    assert "There is no such day as “31/02/2025” in the calendar." in rows[3]
    assert "“title” holds a formula" in rows[4] and "The title is missing" not in rows[4]
    assert "The title is missing." in rows[5]
    assert "“hired?” is not a status" in rows[6]
    assert "“javascript:alert(1)” is not a web address" in rows[7]
    assert "The date “2099-01-01” is in the future." in rows[8]
    assert "“last week” is not a date" in rows[9]
    assert "7 rows with errors" in page.content.decode()
    assert "Import 1 application" in page.content.decode()
    assert not Offer.objects.exists()
    confirm(alice_client, page)
    assert list(Offer.objects.values_list("company", flat=True)) == ["Acme"]


@pytest.mark.parametrize(("content", "says"), [
    ("Company,Salary\nAcme,50k\n", "at least “company” and “title”"),
    ("", "The submitted file is empty."),
    ("\r\n;;\r\n", "The file is empty."),
    ("Entreprise;Poste\r\n" + "Acme;Dev\r\n" * 10_000, "at most 2,000 can be imported"),
    ("Entreprise;Poste;Notes\r\nSociété Générale;Développeur;Très intéressé\r\n".encode("cp1252"),
     "not in UTF-8 (the first letter JobMate cannot read is on line 2)"),
    (b"PK\x03\x04" + b"\x00" * 100, "not a CSV file"),
    (b"company,title\nAcme,Dev\x00\n", "binary data"),
])
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(alice_client, content, says):
    response = upload(alice_client, content)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Offer.objects.exists()


def test_a_file_too_large_is_refused(alice_client):
    response = upload(alice_client, "company,title\n" + "Acme,Developer\n" * 200_000)
    assert response.status_code == 400 and "at most 2 MB" in response.content.decode()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_utf8_with_or_without_bom_and_utf16_are_read(alice_client, encoding):
    sheet = "Entreprise\tPoste\tStatut\nSociété Générale\tDéveloppeur\tEntretien\n"
    rows = rows_of(preview_of(alice_client, sheet.encode(encoding)))
    assert "Société Générale" in rows[2] and "Interview" in rows[2]


def test_statuses_dates_and_ratings_in_the_ways_people_write_them(alice):
    sheet = ("Company,Title,Status,Applied date,Rating\n"
             "A,Dev 1,APPLIED,2025-03-14,4\n"
             "B,Dev 2,no answer,14/3/2025,5/5\n"
             "C,Dev 3,Sans réponse,2025-03-14 00:00:00,\n"
             "D,Dev 4,withdrawn,14.03.2025,\n"
             "E,Dev 5,,14/03/2025,\n"
             "F,Dev 6,refusé,,6\n")
    rows = imports.preview(alice, sheet.encode()).rows
    assert [(row.status, row.applied_on, row.rating) for row in rows[:5]] == [
        (Status.APPLIED, date(2025, 3, 14), 4), (Status.GHOSTED, date(2025, 3, 14), 5),
        (Status.GHOSTED, date(2025, 3, 14), None), (Status.WITHDRAWN, date(2025, 3, 14), None),
        (Status.APPLIED, date(2025, 3, 14), None)]
    assert rows[5].status == Status.REJECTED and rows[5].errors == ["The rating “6” is not a number from 1 to 5."]


def test_cells_that_only_look_like_formulas_are_kept_as_text_and_exported_escaped(alice):
    sheet = "company,title,notes\n+Plus,-Minus dev,- call back Monday\n"
    imports.import_rows(alice, sheet.encode())
    offer = Offer.objects.get(user=alice)
    assert (offer.company, offer.title) == ("+Plus", "-Minus dev")
    header, row = list(exports.application_rows(alice))
    assert row[header.index("company")] == "'+Plus" and row[header.index("title")] == "'-Minus dev"


def test_an_export_imports_again_as_it_is(alice, charlie, alice_client, client, make_offer):
    sheet = ("company,title,location,link,status,applied on,rating,relance\n"
             "Acme,Python Developer,Lyon,https://acme.example/jobs/1,interview,2025-03-14,4,2099-01-15\n"
             "Globex,QA,,,ghosted,2025-02-01,,2099-01-15\n")
    imports.import_rows(alice, sheet.encode())
    exported = b"".join(chunk.encode() for chunk in exports.applications_csv(alice))
    client.force_login(charlie)
    page = preview_of(client, exported)
    assert "Import 2 applications" in page.content.decode()
    confirm(client, page)
    mine = list(Application.objects.filter(user=charlie).order_by("offer__company").values_list(
        "offer__company", "offer__title", "offer__location", "offer__apply_url", "status", "applied_on", "rating",
        "follow_up_on"))
    # The follow-up date (a day to come) travels too, for the application still open only.
    assert mine == [("Acme", "Python Developer", "Lyon", "https://acme.example/jobs/1", Status.INTERVIEW,
                     date(2025, 3, 14), 4, date(2099, 1, 15)),
                    ("Globex", "QA", "", "", Status.GHOSTED, date(2025, 2, 1), None, None)]
    acme = Application.objects.get(user=charlie, offer__company="Acme")
    assert acme.events.filter(kind="follow_up", data__follow_up_on="2099-01-15").exists()


def test_a_preview_is_the_persons_own(alice_client, client, charlie):
    page = preview_of(alice_client, FRENCH_SHEET)
    client.force_login(charlie)
    response = confirm(client, page)
    assert response.status_code == 303 and response["Location"] == URL
    assert not Application.objects.exists()
    # Charlie cannot see it either.
    alice_digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page.content.decode()).group(1)
    assert "Decathlon" not in client.get(f"{URL}?preview={alice_digest}").content.decode()


def test_an_older_preview_imports_nothing_once_another_file_is_chosen(alice_client):
    first = preview_of(alice_client, FRENCH_SHEET)
    preview_of(alice_client, "company,title\nAcme,Developer\n")
    response = confirm(alice_client, first)
    assert response["Location"] == URL
    assert not Application.objects.exists()


def test_signed_out_people_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

