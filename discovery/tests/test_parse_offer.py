"""`manage.py parse_offer`: what a saved board answer, feed or job page gives, its kind
detected when --source does not say it; public fields only; a file's path never a link;
anything it cannot read a CommandError naming what it expected."""

import json
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discovery.management.commands.parse_offer import PUBLIC_FIELDS
from discovery.sources import ALL_SOURCES
from discovery.sources.base import SourceError
from discovery.sources.detect import XML_SOURCES, detect, read

FIXTURES = Path(__file__).parent / "fixtures"
POSTING = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Développeur Django",
           "hiringOrganization": {"@type": "Organization", "name": "Initech"}, "datePosted": "2026-11-20",
           "employmentType": "FULL_TIME", "jobLocationType": "TELECOMMUTE",
           "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR",
                          "value": {"@type": "QuantitativeValue", "minValue": 50000, "maxValue": 60000,
                                    "unitText": "YEAR"}}}


def run(*args):
    out = StringIO()
    call_command("parse_offer", *map(str, args), stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().encode())  # UTF-8 a terminal can show, or this fails


def saved(tmp_path, content, name="document"):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def page(head="", posting=None):
    script = f'<script type="application/ld+json">{json.dumps(posting)}</script>' if posting else ""
    return f"<!DOCTYPE html><html><head><title>Careers</title>{head}{script}</head><body>Job</body></html>"


@pytest.mark.parametrize("fixture, source, titles", [
    ("greenhouse_jobs.documented.json", "greenhouse", ["Senior Python Engineer", "Data Analyst (Stage)"]),
    ("lever_postings.documented.json", "lever", ["Backend Developer (Django)", "Site Reliability Engineer"]),
    ("ashby_board.documented.json", "ashby", ["Full-Stack Engineer", "Product Designer"]),
    ("remotive_search.documented.json", "remotive", ["Python Developer", "Backend Engineer"]),
    ("remoteok_api.documented.json", "remoteok", ["Senior Django Developer", "Frontend Developer"]),
    ("arbeitnow_page2.documented.json", "arbeitnow", ["Senior Python Engineer"]),
    ("weworkremotely.documented.rss", "weworkremotely", ["Senior Python Developer", "Customer Support Lead"]),
])
def test_every_board_answer_is_recognised_without_source(fixture, source, titles):
    assert detect((FIXTURES / fixture).read_bytes()) == source
    rows = run(FIXTURES / fixture)
    assert [row["title"] for row in rows] == titles
    assert {row["source"] for row in rows} == {source}
    assert rows == run(FIXTURES / fixture, "--source", source)


@pytest.mark.parametrize("fixture", sorted(path.name for path in FIXTURES.iterdir() if path.name != "README.md"))
def test_every_fixture_is_taken_for_its_own_board_and_for_no_other(fixture):
    """Each board's documented answer (named after its source) is detected as that source,
    and no other source's `recognises` claims it."""
    content = (FIXTURES / fixture).read_bytes()
    source = fixture.split("_")[0].split(".")[0]
    assert detect(content) == source
    payload = json.loads(content) if content.lstrip()[:1] in (b"{", b"[") else content
    claimed = [name for name, module in ALL_SOURCES.items()
               if name != source and isinstance(payload, bytes) == (module in XML_SOURCES)
               and module.recognises(payload)]
    assert claimed == []


def test_only_the_public_fields_are_printed():
    rows = run(FIXTURES / "lever_postings.documented.json")
    assert rows[0] == {
        "title": "Backend Developer (Django)", "company": "Globex", "location": "Berlin", "remote": "hybrid",
        "contract_type": "full_time", "salary_min": 65000, "salary_max": 80000, "salary_currency": "EUR",
        "salary_period": "year", "posted_at": "2026-11-10T08:00:00+00:00",
        "url": "https://jobs.lever.co/globex/5ac21346-8e0c-4494-8e7a-3eb92ff77902", "source": "lever",
    }
    assert list(rows[0]) == list(PUBLIC_FIELDS)


def test_the_printed_link_has_no_tracking():
    rows = run(FIXTURES / "greenhouse_jobs.documented.json")
    assert rows[0]["url"] == "https://boards.greenhouse.io/acme/jobs/4012345006"


def test_a_page_is_recognised_and_read(tmp_path):
    path = saved(tmp_path, page(posting=POSTING), "offer.html")
    [row] = run(path)
    assert row["source"] == "jobpage" and row["title"] == "Développeur Django" and row["company"] == "Initech"
    assert (row["remote"], row["salary_min"], row["salary_max"], row["salary_period"]) == ("remote", 50000, 60000,
                                                                                           "year")


def test_a_file_path_never_becomes_the_link(tmp_path):
    path = saved(tmp_path, page(posting=POSTING), "offer.html")
    [row] = run(path)
    assert row["url"] is None
    assert str(tmp_path) not in json.dumps(row)


def test_url_option_gives_the_page_address(tmp_path):
    head = '<link rel="canonical" href="https://careers.example/jobs/canonical">'
    path = saved(tmp_path, page(head, dict(POSTING, url="https://careers.example/jobs/in-json-ld")))
    assert run(path, "--url", "https://careers.example/jobs/42")[0]["url"] == "https://careers.example/jobs/42"


def test_page_address_is_canonical_link_then_its_own(tmp_path):
    head = '<link rel="canonical" href="https://careers.example/jobs/canonical?utm_source=x">'
    with_canonical = saved(tmp_path, page(head, dict(POSTING, url="https://careers.example/jobs/in-json-ld")), "a")
    assert run(with_canonical)[0]["url"] == "https://careers.example/jobs/canonical"
    with_json_ld_url = saved(tmp_path, page("", dict(POSTING, url="https://careers.example/jobs/in-json-ld")), "b")
    assert run(with_json_ld_url)[0]["url"] == "https://careers.example/jobs/in-json-ld"
    og_only = saved(tmp_path, page('<meta property="og:url" content="https://careers.example/jobs/og">'
                                   '<meta property="og:title" content="Data engineer">'), "c")
    assert run(og_only)[0]["url"] == "https://careers.example/jobs/og"
    relative = saved(tmp_path, page('<link rel="canonical" href="/jobs/7">', POSTING), "d")
    assert run(relative)[0]["url"] is None


@pytest.mark.parametrize("content", ['{"jobs": []}', "[]", '{"data": [], "links": {"next": null}}',
                                     '[{"legal": "API terms"}]', "<rss><channel></channel></rss>",
                                     "<html><head></head><body>Nothing here</body></html>"])
def test_a_known_shape_without_postings_prints_nothing(tmp_path, content):
    assert run(saved(tmp_path, content)) == []


@pytest.mark.parametrize("content, expected", [
    ('{"postings": []}', "JSON of no known board's shape; expected a board's JSON answer (Greenhouse"),
    ('{"jobs": [{"id": 1, "tit', "neither JSON, XML nor HTML"),
    ('<?xml version="1.0"?><catalog><book/></catalog>', "an XML document <catalog> of no known board's feed"),
    ("just some words", "or an HTML page"),
    ("", "neither JSON, XML nor HTML"),
])
def test_an_unknown_document_is_refused_naming_what_was_expected(tmp_path, content, expected):
    with pytest.raises(CommandError, match="is not a document JobMate reads") as refused:
        run(saved(tmp_path, content))
    assert expected in str(refused.value)


@pytest.mark.parametrize("fixture, source, expected", [
    ("lever_postings.documented.json", "greenhouse", 'not a Greenhouse answer: expected {"jobs"'),
    ("ashby_board.documented.json", "greenhouse", 'not a Greenhouse answer'),
    ("greenhouse_jobs.documented.json", "remotive", "not a Remotive answer"),
    ("remoteok_api.documented.json", "lever", 'not a Lever answer: expected [{"hostedUrl"'),
    ("weworkremotely.documented.rss", "ashby", "not JSON: expected a Ashby answer"),
    ("greenhouse_jobs.documented.json", "weworkremotely", "not valid XML"),
])
def test_a_source_refuses_what_it_cannot_read(fixture, source, expected):
    with pytest.raises(CommandError, match=f"{source} cannot read") as refused:
        run(FIXTURES / fixture, "--source", source)
    assert expected in str(refused.value)


def test_an_atom_feed_is_not_taken_for_an_empty_rss_feed(tmp_path):
    atom = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title></entry></feed>'
    with pytest.raises(CommandError, match="of no known board's feed"):
        run(saved(tmp_path, atom))
    with pytest.raises(CommandError, match="weworkremotely cannot read"):
        run(saved(tmp_path, atom), "--source", "weworkremotely")


def test_another_sites_rss_feed_is_not_taken_for_we_work_remotely(tmp_path):
    feed = ("<rss><channel><item><title>Acme: Cook</title><link>https://news.example/cook</link></item>"
            "</channel></rss>")
    with pytest.raises(CommandError, match="of no known board's feed"):
        run(saved(tmp_path, feed))
    assert [row["title"] for row in run(saved(tmp_path, feed), "--source", "weworkremotely")] == ["Cook"]


def test_text_that_is_not_utf8_is_printed_replaced(tmp_path):
    path = saved(tmp_path, '[{"hostedUrl": "https://jobs.lever.co/acme/1", "text": "Dev\\ud800 Python"}]')
    assert run(path)[0]["title"] == "Dev? Python"


def test_a_missing_file_and_a_bad_url_option(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "missing.json")
    with pytest.raises(CommandError, match="--url must be an http"):
        run(saved(tmp_path, page()), "--url", "/tmp/offer.html")


def test_a_private_url_is_refused():
    with pytest.raises(CommandError, match="private or local"):
        run("http://127.0.0.1:9/feed", "--source", "remoteok")


FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DOCUMENTS = [(FIXTURES / name).read_bytes() for name in sorted(p.name for p in FIXTURES.iterdir())
             if name != "README.md"] + [page(posting=POSTING).encode()]
# Every code point, lone surrogates included; URLs and dates that a job might well carry.
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(st.characters(exclude_categories=()),
                    max_size=20), st.sampled_from(["https://jobs.lever.co/a/1", "2026-11-10", "1e400", "/jobs/1"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["jobs", "data", "absolute_url", "hostedUrl", "jobUrl", "url", "title", "text", "legal",
                     "position", "slug", "links", "offers", "careers_url", "content", "resultats", "intitule",
                     "shortcode", "jobTitle", "applicationLink", "numeroOffre"]) | st.text(max_size=8), inner,
    max_size=4), max_leaves=15)
XML_TAGS = st.sampled_from(["rss", "channel", "item", "title", "link", "feed", "entry", "html", "x", "workzag-jobs",
                            "position", "name", "jobDescriptions"])
XML = st.recursive(st.text(max_size=10).map(lambda t: t.replace("<", "&lt;").replace("&", "&amp;")),
                   lambda inner: st.builds(lambda tag, body: f"<{tag}>{''.join(body)}</{tag}>", XML_TAGS,
                                           st.lists(inner, max_size=3)), max_leaves=10)
CUT_DOCUMENTS = st.builds(lambda document, at: document[:at], st.sampled_from(DOCUMENTS), st.integers(0, 4000))
GARBLED_DOCUMENTS = st.builds(lambda document, at, junk: document[:at] + junk + document[at:],
                              st.sampled_from(DOCUMENTS), st.integers(0, 4000), st.binary(max_size=8))
JSON_FIXTURES = [json.loads(document) for document in DOCUMENTS if document.lstrip()[:1] in (b"{", b"[")]


# Where each board's answer keeps its jobs: the whole answer, or one of these keys.
JOB_LISTS = ("jobs", "data", "offers", "content", "resultats")


def jobs_key(document) -> str | None:
    """The key of `document`'s list of jobs (None: the document is the list)."""
    if isinstance(document, list):
        return None
    return next(key for key in JOB_LISTS if isinstance(document.get(key), list))


def spoiled(document, key, value):
    """A board's answer with one field of each of its jobs set to `value`."""
    where = jobs_key(document)
    jobs = document if where is None else document[where]
    spoilt = [dict(job, **{key: value}) if isinstance(job, dict) else job for job in jobs]
    return json.dumps(spoilt if where is None else {**document, where: spoilt}).encode()


FIELDS = st.sampled_from(sorted({key for document in JSON_FIXTURES
                                 for job in (document if jobs_key(document) is None else document[jobs_key(document)])
                                 if isinstance(job, dict) for key in job}))
SPOILED_ANSWERS = st.builds(spoiled, st.sampled_from(JSON_FIXTURES), FIELDS, JSON)
CONTENTS = st.one_of(SPOILED_ANSWERS, CUT_DOCUMENTS, GARBLED_DOCUMENTS, JSON.map(lambda d: json.dumps(d).encode()),
                     XML.map(str.encode), st.binary(max_size=200))


@FUZZ
@given(content=CONTENTS, source=st.sampled_from([None, *ALL_SOURCES, "jobpage"]))
def test_cut_and_random_documents_are_read_or_refused_never_crash(content, source):
    try:
        read(content, source=source or "")
    except SourceError:
        pass
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document"
        path.write_bytes(content)
        try:
            run(path, *(["--source", source] if source else []))
        except CommandError:
            pass
