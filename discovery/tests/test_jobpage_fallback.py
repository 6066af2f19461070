"""Job pages without JSON-LD (or with a thin one): what a person pasting a link expects the
offer to say — title, employer, place, remote and contract — read from the page's title
patterns, meta, microdata and labelled text, never the job board's own name for the
employer. Pages are small HTML strings shaped like the boards' and ATS's own."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discovery.sources import jobpage


def page(title="", *, head="", body="", h1=""):
    title_tag = f"<title>{title}</title>" if title else ""
    heading = f"<h1>{h1}</h1>" if h1 else ""
    return f"<!doctype html><html><head>{title_tag}{head}</head><body>{heading}{body}</body></html>"


def meta(prop, content):
    attribute = "property" if prop.startswith("og:") else "name"
    return f'<meta {attribute}="{prop}" content="{content}">'


def fields(offer):
    return offer.title, offer.company, offer.location


# --- title patterns ---------------------------------------------------------------------------------

@pytest.mark.parametrize("title, expected", [
    ("Data Engineer job at Acme in Paris, France | Indeed.com", ("Data Engineer", "Acme", "Paris, France")),
    ("Acme hiring Senior Data Engineer in Paris, Île-de-France, France | LinkedIn",
     ("Senior Data Engineer", "Acme", "Paris, Île-de-France, France")),
    ("Backend Engineer at Initech", ("Backend Engineer", "Initech", "")),
    ("Backend Engineer - Careers at Initech", ("Backend Engineer", "Initech", "")),
    ("Data Engineer Job in Lyon - Glassdoor", ("Data Engineer", "", "Lyon")),
    ("Data Engineer | Globex", ("Data Engineer", "Globex", "")),
    ("Data Engineer – Globex – Berlin", ("Data Engineer", "Globex", "Berlin")),
    ("Backend Engineer at Initech - Paris", ("Backend Engineer", "Initech", "Paris")),
    ("Data Engineer - Paris (75) - Indeed.com", ("Data Engineer", "", "Paris (75)")),
    ("Senior Hiring Manager at Initech", ("Senior Hiring Manager", "Initech", "")),
], ids=lambda v: v if isinstance(v, str) else "")
def test_english_title_patterns(title, expected):
    assert fields(jobpage.parse(page(title), "https://example.org/jobs/1")) == expected


@pytest.mark.parametrize("title, expected", [
    ("Développeur Python H/F - Société Générale - Lyon", ("Développeur Python H/F", "Société Générale", "Lyon")),
    ("Développeur - H/F - Acme", ("Développeur H/F", "Acme", "")),
    ("Offre d'emploi Développeur Full-Stack - Doctolib", ("Développeur Full-Stack", "Doctolib", "")),
    ("Offre d'emploi : Chargée de recrutement - Decathlon | HelloWork",
     ("Chargée de recrutement", "Decathlon", "")),
    ("Chef de projet chez Alan", ("Chef de projet", "Alan", "")),
], ids=lambda v: v if isinstance(v, str) else "")
def test_french_title_patterns(title, expected):
    assert fields(jobpage.parse(page(title), "https://example.fr/offre/1")) == expected


@pytest.mark.parametrize("where", ["og:title", "twitter:title"])
def test_title_patterns_in_og_and_twitter_titles(where):
    offer = jobpage.parse(page("Jobs", head=meta(where, "Product Designer at Qonto - Paris")), "https://x.example/j")
    assert fields(offer) == ("Product Designer", "Qonto", "Paris")


def test_h1_gives_the_title_when_the_head_says_nothing():
    offer = jobpage.parse(page(h1="Ingénieur DevOps (H/F)"), "https://x.example/j")
    assert offer.title == "Ingénieur DevOps (H/F)" and offer.company == ""


def test_a_contract_and_place_segment_gives_both():
    offer = jobpage.parse(page("Data Engineer - Acme - CDI à Paris | Welcome to the Jungle"),
                          "https://www.welcometothejungle.com/fr/companies/acme/jobs/data-engineer")
    assert (*fields(offer), offer.contract_type) == ("Data Engineer", "Acme", "Paris", "CDI")


def test_the_h1_wins_over_a_generic_title():
    offer = jobpage.parse(page("Jobs | Acme Careers", h1="Site Reliability Engineer"), "https://acme.example/jobs/1")
    assert (offer.title, offer.company) == ("Site Reliability Engineer", "")


def test_careers_after_a_company_name_is_left_out():
    offer = jobpage.parse(page("Site Reliability Engineer | Acme Careers"), "https://acme.example/jobs/1")
    assert (offer.title, offer.company) == ("Site Reliability Engineer", "Acme")


def test_a_contract_before_the_title_is_the_contract():
    offer = jobpage.parse(page("Stage - Assistant marketing - L'Oréal - Clichy | JobTeaser"), "https://x.example/1")
    assert (*fields(offer), offer.contract_type) == ("Assistant marketing", "L'Oréal", "Clichy", "Stage")


def test_a_title_starting_with_a_generic_word_stays_whole():
    offer = jobpage.parse(page("Careers – Backend dev"), "https://x.example/3")
    assert (offer.title, offer.company) == ("Careers – Backend dev", "")


# --- the board's own name is never the employer -------------------------------------------------------

@pytest.mark.parametrize("site, url", [
    ("Welcome to the Jungle", "https://www.welcometothejungle.com/fr/companies/acme/jobs/dev"),
    ("LinkedIn", "https://www.linkedin.com/jobs/view/123"),
    ("Indeed", "https://fr.indeed.com/viewjob?jk=1"),
    ("LinkedIn", "https://some-mirror.example/jobs/123"),  # the brand alone is enough
])
def test_og_site_name_of_a_board_is_not_the_company(site, url):
    html = page(head=meta("og:title", "Data Analyst") + meta("og:site_name", site))
    offer = jobpage.parse(html, url)
    assert (offer.title, offer.company) == ("Data Analyst", "")


def test_og_site_name_on_a_board_host_is_not_the_company_even_if_unknown_brand():
    html = page(head=meta("og:title", "Data Analyst") + meta("og:site_name", "JobBoardX"))
    assert jobpage.parse(html, "https://www.glassdoor.fr/job-listing/x").company == ""


def test_og_site_name_on_the_company_own_site_is_the_company():
    html = page(head=meta("og:title", "Data Analyst") + meta("og:site_name", "Initech"))
    assert jobpage.parse(html, "https://careers.initech.example/jobs/7").company == "Initech"


def test_title_company_wins_over_a_board_site_name():
    html = page(head=meta("og:title", "Acme hiring Data Analyst in Lille | LinkedIn")
                + meta("og:site_name", "LinkedIn"))
    assert fields(jobpage.parse(html, "https://www.linkedin.com/jobs/view/9")) == ("Data Analyst", "Acme", "Lille")


@pytest.mark.parametrize("url, company", [
    ("https://boards.greenhouse.io/acme/jobs/123", "Acme"),
    ("https://jobs.lever.co/globex-corp/6f0c", "Globex Corp"),
    ("https://jobs.ashbyhq.com/initech/abc", "Initech"),
    ("https://hooli.teamtailor.com/jobs/42-dev", "Hooli"),
    ("https://umbrella.recruitee.com/o/dev", "Umbrella"),
    ("https://apply.workable.com/piedpiper/j/ABC/", "Piedpiper"),
    ("https://jobs.smartrecruiters.com/BoschGroup/7434", "BoschGroup"),
    ("https://stark.jobs.personio.de/job/1", "Stark"),
])
def test_an_ats_address_gives_the_company_when_the_page_does_not(url, company):
    html = page("Backend Engineer | Teamtailor", head=meta("og:site_name", "Greenhouse"))
    offer = jobpage.parse(html, url)
    assert (offer.title, offer.company) == ("Backend Engineer", company)


def test_the_page_company_wins_over_the_ats_address():
    assert jobpage.parse(page("Backend Engineer at Acme Inc."), "https://jobs.lever.co/acme").company == "Acme Inc."


# --- meta, canonical, microdata ---------------------------------------------------------------------

def test_og_and_twitter_meta():
    html = page(head=meta("twitter:title", "Data Scientist") + meta("twitter:description", "Models in prod.")
                + meta("og:site_name", "Hooli"))
    offer = jobpage.parse(html, "https://hooli.example/jobs/1")
    assert (offer.title, offer.company, offer.description_html) == ("Data Scientist", "Hooli", "Models in prod.")


def test_canonical_link_is_the_offer_address():
    html = page("Data Scientist | Hooli", head='<link rel="canonical" href="https://hooli.example/jobs/1">')
    offer = jobpage.parse(html, "https://hooli.example/jobs/1?utm_source=x")
    assert offer.url == "https://hooli.example/jobs/1"


def test_a_canonical_link_to_an_ats_gives_its_company():
    html = page("Backend Engineer", head='<link rel="canonical" href="https://jobs.lever.co/globex/1">')
    assert jobpage.parse(html, "https://mirror.example/x").company == "Globex"


def test_a_canonical_that_is_not_a_web_address_is_ignored():
    html = page("Backend Engineer", head='<link rel="canonical" href="javascript:alert(1)">')
    assert jobpage.parse(html, "https://x.example/1").url == "https://x.example/1"


def test_microdata():
    body = ('<div itemscope itemtype="https://schema.org/JobPosting">'
            '<h2 itemprop="title">Ingénieure logiciel</h2>'
            '<span itemprop="hiringOrganization" itemscope><span itemprop="name">Dassault Systèmes</span></span>'
            '<div itemprop="jobLocation" itemscope><div itemprop="address" itemscope>'
            '<span itemprop="addressLocality">Vélizy</span><meta itemprop="addressCountry" content="FR"></div></div>'
            '<meta itemprop="employmentType" content="FULL_TIME">'
            '<time itemprop="datePosted" datetime="2026-11-20">20 nov.</time></div>')
    offer = jobpage.parse(page("Carrières | LinkedIn", body=body), "https://www.linkedin.com/jobs/view/1")
    assert fields(offer) == ("Ingénieure logiciel", "Dassault Systèmes", "Vélizy, FR")
    assert offer.contract_type == "FULL_TIME"
    assert offer.posted_at.date().isoformat() == "2026-11-20"


# --- labelled fields ---------------------------------------------------------------------------------

@pytest.mark.parametrize("body, expected", [
    ("<ul><li>Location: Manchester, UK</li><li>Company: Globex</li><li>Employment type: Full-time</li></ul>",
     ("Globex", "Manchester, UK", "Full-time")),
    ("<p><strong>Contract:</strong> Fixed term, 12 months</p><p><b>Location:</b> Dublin</p>",
     ("", "Dublin", "Fixed term, 12 months")),
    (("<dl><dt>Lieu :</dt><dd>Nantes (44)</dd><dt>Entreprise :</dt><dd>Lumen SAS</dd>"
      "<dt>Type de contrat :</dt><dd>CDD</dd></dl>"), ("Lumen SAS", "Nantes (44)", "CDD")),
    ("<div>Localisation : Bordeaux</div><div>Type de contrat : Alternance</div>", ("", "Bordeaux", "Alternance")),
], ids=["english list", "english bold labels", "french definition list", "french divs"])
def test_labelled_fields(body, expected):
    offer = jobpage.parse(page("Poste", h1="Chargé d'affaires", body=body), "https://emploi.example/1")
    assert (offer.company, offer.location, offer.contract_type) == expected


def test_greenhouse_and_lever_location_element():
    body = '<h1 class="app-title">Backend Engineer</h1><div class="location">\n Dublin \n</div>'
    offer = jobpage.parse(page("Job Application for Backend Engineer at Stripe", body=body),
                          "https://boards.greenhouse.io/stripe/jobs/1")
    assert fields(offer) == ("Backend Engineer", "Stripe", "Dublin")


def test_an_element_of_class_job_location():
    body = '<h1>Game Designer</h1><span class="job-location">Montpellier, France</span>'
    assert jobpage.parse(page(body=body), "https://x.example/1").location == "Montpellier, France"


def test_lever_title_puts_the_company_first():
    html = page(head=meta("og:title", "Mistral AI - Research Engineer"))
    offer = jobpage.parse(html, "https://jobs.lever.co/mistral/1")
    assert (offer.title, offer.company) == ("Research Engineer", "Mistral AI")


def test_a_french_offer_number_before_the_title_is_left_out():
    offer = jobpage.parse(page("Offre n°407 - Magasinier (H/F) | France Travail"),
                          "https://candidat.francetravail.fr/offres/recherche/detail/407")
    assert (offer.title, offer.company) == ("Magasinier (H/F)", "")


def test_labels_in_menus_and_scripts_are_not_read():
    body = ('<nav>Location: Everywhere</nav><script>var s = "Company: Evil";</script>'
            '<main><p>Lieu : Rennes</p></main>')
    offer = jobpage.parse(page("Développeur", body=body), "https://emploi.example/1")
    assert (offer.company, offer.location) == ("", "Rennes")


# --- remote wording ------------------------------------------------------------------------------

@pytest.mark.parametrize("wording, remote", [
    ("Fully remote", "remote"), ("Full remote", "remote"), ("Remote", "remote"), ("Télétravail complet", "remote"),
    ("100 % télétravail", "remote"), ("Télétravail", "remote"),
    ("Hybrid", "hybrid"), ("Hybride", "hybrid"), ("3 jours sur site par semaine", "hybrid"),
    ("2 days remote per week", "hybrid"), ("Télétravail partiel", "hybrid"),
    ("On-site", "onsite"), ("Sur site", "onsite"), ("Présentiel", "onsite"), ("Pas de télétravail", "onsite"),
    ("Temps plein", ""),
])
def test_remote_wording(wording, remote):
    assert jobpage.remote_from_wording(wording) == remote


@pytest.mark.parametrize("body, remote", [
    ("<p>Télétravail : hybride</p>", "hybrid"),
    ("<p>Rythme : 3 jours sur site, 2 jours à la maison.</p>", "hybrid"),
    ("<ul><li>Remote: Fully remote (EU time zones)</li></ul>", "remote"),
    ("<p>Ce poste est en présentiel à Lyon.</p>", "onsite"),
    ("<p>Location: Remote</p>", "remote"),
    ("<p>Remote: Yes</p>", "remote"),
    ("<p>Télétravail : possible</p>", "hybrid"),
    ("<p>Télétravail : non</p><p>Remote jobs are great</p>", "onsite"),
    ('<div itemscope><meta itemprop="jobLocationType" content="TELECOMMUTE"></div>', "remote"),
])
def test_remote_from_the_page_text(body, remote):
    assert jobpage.parse(page("Développeur", body=body), "https://emploi.example/1").remote == remote


def test_remote_in_the_title():
    offer = jobpage.parse(page("Backend Engineer (Fully Remote) at Initech"), "https://x.example/1")
    assert (offer.company, offer.remote) == ("Initech", "remote")


def test_remote_words_in_the_menu_do_not_count():
    body = '<nav><a href="/remote">Remote jobs</a></nav><p>Poste basé à Lille.</p>'
    assert jobpage.parse(page("Comptable", body=body), "https://emploi.example/1").remote == ""


# --- JSON-LD first ---------------------------------------------------------------------------------

POSTING = {"@context": "https://schema.org/", "@type": "JobPosting", "title": "Développeur Python",
           "hiringOrganization": {"@type": "Organization", "name": "Société Générale"},
           "jobLocation": {"@type": "Place", "address": {"addressLocality": "Paris", "addressCountry": "FR"}}}


def json_ld(document):
    return f'<script type="application/ld+json">{json.dumps(document)}</script>'


def test_json_ld_wins_over_the_rest_of_the_page():
    html = page("Data Engineer job at Acme in Lyon | Indeed", head=json_ld(POSTING),
                body="<p>Company: Globex</p><p>Location: Berlin</p>")
    offer = jobpage.parse(html, "https://fr.indeed.com/viewjob?jk=1")
    assert fields(offer) == ("Développeur Python", "Société Générale", "Paris, FR")


def test_the_page_fills_what_json_ld_leaves_out():
    posting = {"@type": "JobPosting", "title": "Développeur Python"}
    html = page("x", head=json_ld(posting), body="<p>Entreprise : Alan</p><p>Lieu : Paris</p><p>Hybride</p>"
                "<p>Type de contrat : CDI</p>")
    offer = jobpage.parse(html, "https://alan.example/jobs/1")
    assert (*fields(offer), offer.remote, offer.contract_type) == ("Développeur Python", "Alan", "Paris", "hybrid",
                                                                   "CDI")


def test_json_ld_with_odd_shapes_does_not_break_the_page():
    odd = {"@type": "JobPosting", "title": "Dev", "jobLocation": {"address": ["Paris"]}}
    deep = "[" * 5000 + "]" * 5000
    html = page("Dev | Acme", head=json_ld(odd) + f'<script type="application/ld+json">{deep}</script>')
    assert fields(jobpage.parse(html, "https://acme.example/1")) == ("Dev", "Acme", "")


# --- untrusted input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("nasty", [
    "", "   ", b"", b"\x00\x01", "\x00<title>a</title>", "<?xml version='1.0' encoding='utf-8'?><html><title>T</title>",
    "\ud800<title>x</title>", "<title>" + "a - " * 50_000 + "</title>", "<div>" * 20_000,
    "<p>Location:" + " " * 100_000 + "x</p>", "<title>" + "at " * 30_000 + "</title>",
])
def test_nasty_pages_never_raise(nasty):
    offer = jobpage.parse(nasty, "https://x.example/1")
    assert len(offer.title) <= 200 and len(offer.company) <= 200 and len(offer.location) <= 200


PIECES = st.sampled_from([
    "<html>", "<head>", "<title>", "</title>", "<body>", "<h1>", "</h1>", "<p>", "</p>", "<nav>", "<dl><dt>",
    "Location: ", "Lieu : ", "Entreprise :", "Type de contrat : ", " at ", " chez ", " hiring ", " job in ", " - ",
    " | ", " – ", "H/F", "LinkedIn", "Welcome to the Jungle", "Remote", "hybride", "3 jours sur site",
    '<meta property="og:title" content="', '<meta property="og:site_name" content="', '">', "<script>",
    '<script type="application/ld+json">', "</script>", '{"@type": "JobPosting", "title": ', "[", "{", '"',
    '<link rel="canonical" href="', "https://jobs.lever.co/", '<span itemprop="title">', "<!--", "\x00", "\ud800",
    "é", "&amp;", "&#0;", "]]>", "<![CDATA[",
])
HTML = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=10)), max_size=60).map("".join),
    st.binary(max_size=300),
)
URLS = st.sampled_from(["https://x.example/1", "", "https://jobs.lever.co/", "https://[::1", "not a url",
                        "https://boards.greenhouse.io/a%20b/jobs/1", "https://.teamtailor.com/"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=HTML, url=URLS, cut=st.integers(min_value=0, max_value=400))
def test_random_and_truncated_html_never_raises(html, url, cut):
    for document in (html, html[:cut]):
        offer = jobpage.parse(document, url)
        assert isinstance(offer.title, str) and offer.remote in ("", "remote", "hybrid", "onsite")


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                    st.sampled_from(["TELECOMMUTE", "2026-11-02", "YEAR", "FULL_TIME", "1e400", "-5"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["@type", "name", "address", "addressLocality", "value", "minValue", "unitText", "currency"]),
    inner, max_size=4), max_leaves=12)
POSTINGS = st.fixed_dictionaries({"@type": st.just("JobPosting")}, optional={
    key: JSON for key in ("title", "hiringOrganization", "jobLocation", "baseSalary", "estimatedSalary",
                          "datePosted", "identifier", "employmentType", "jobLocationType", "url", "description")})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posting=POSTINGS, wrap=st.sampled_from(["plain", "graph", "list"]))
def test_random_json_ld_postings_never_raise(posting, wrap):
    document = {"plain": posting, "graph": {"@graph": [posting]}, "list": [{}, posting]}[wrap]
    html = page("Dev | Acme", head=f'<script type="application/ld+json">{json.dumps(document)}</script>')
    offer = jobpage.parse(html, "https://acme.example/1")
    assert isinstance(offer.title, str) and isinstance(offer.company, str) and isinstance(offer.location, str)
