"""Reading a CV's text by its headings: the texts below are shaped like real CVs as
pdfminer gives them back (French and English, dates in many spellings)."""

from datetime import date

from coach.cvparse import MAX_DESCRIPTION, MAX_SKILL, MAX_TITLE, ParsedCv, ParsedEntry, parse

ENGLISH = """\
Priya Raman
Site Reliability Engineer
Manchester, UK | priya.raman@example.co.uk | linkedin.com/in/priya
PROFESSIONAL EXPERIENCE
Site Reliability Engineer at Monzo
09/2021 - 03/2024
• Ran the Kubernetes platform for 300 services
• On-call lead for the payments team
Infrastructure | Systems Engineer
Sep 2017 – Aug 2021
- Automated server builds with Ansible
Freelance DevOps consultant
Apr 2024 - now
EDUCATION:
BSc Computer Science, University of Leeds, Leeds
2014 – 2017
SKILLS
Cloud: AWS, GCP
Kubernetes · Terraform · Prometheus | python
Python, Go
Certifications
Certified Kubernetes Administrator (CKA) — CNCF
2022
Languages
English — native
Tamil (B2)
Interests
Climbing, chess
"""

FRENCH = """\
Lucas Moreau
Ingénieur DevOps
Adresse : 12 rue des Lilas, 69003 Lyon
lucas.moreau@example.fr • 07 11 22 33 44
EXPÉRIENCES PROFESSIONNELLES
Ingénieur DevOps chez OVHcloud, Roubaix
Mars 2019 - Déc. 2021
Migration de 40 services vers Kubernetes
Industrialisation des déploiements
Administrateur systèmes — Société Générale
depuis janv. 2022
Formation
2016 - 2019
Diplôme d'ingénieur, Télécom Paris
Compétences : Linux, Ansible, GitLab CI, linux
Langues
Français : langue maternelle
Anglais – professionnel (TOEIC 945)
"""

# What LinkedIn's "Save to PDF" gives: the sidebar first, then the name; the company above
# the title; a duration after the dates and the place below them.
LINKEDIN = """\
Contact
www.linkedin.com/in/sophie-durand (LinkedIn)
sophie.durand@gmail.com
Top Skills
Python
Machine Learning
SQL
Languages
English (Full Professional)
French (Native or Bilingual)
Sophie Durand
Data Scientist chez Decathlon
Lille, Hauts-de-France, France
Summary
Data scientist with 6 years of experience in retail forecasting.
Experience
Decathlon
Data Scientist
septembre 2020 - Present (4 ans 3 mois)
Lille, Hauts-de-France, France
Demand forecasting for 1,700 stores.
Auchan
Data Analyst
janvier 2018 - août 2020 (2 ans 8 mois)
Villeneuve-d'Ascq
Page 1 of 2
"""

# Dates in a left margin, on the title's line; capitals for headings and the name.
DATES_IN_MARGIN = """\
MARIE DUPONT
Chargée de communication
06 12 34 56 78 | marie.dupont@orange.fr | Rennes (35)
PROFIL
Communicante polyvalente, 5 ans d'expérience en agence et chez l'annonceur.
EXPÉRIENCES
Sept. 2021 à aujourd'hui   Chargée de communication, Ville de Rennes
- Pilotage des campagnes municipales
- Relations presse
2018 - 2021   Assistante de communication — Agence Kiwi, Nantes
- Création de contenus pour les réseaux sociaux
DIPLÔMES
2018 Master Communication, Université Rennes 2
2016 Licence Information-Communication
COMPÉTENCES
• Suite Adobe (Photoshop, InDesign)
• Rédaction web, SEO
CENTRES D'INTÉRÊT
Photographie, randonnée
"""


def test_english_cv_header_gives_name_headline_location_and_email():
    cv = parse([ENGLISH])

    assert cv.full_name == "Priya Raman"
    assert cv.headline == "Site Reliability Engineer"
    assert cv.location == "Manchester, UK"
    assert cv.email == "priya.raman@example.co.uk"


def test_english_entries_have_titles_organisations_and_month_dates():
    cv = parse([ENGLISH])

    assert [(e.title, e.organisation, e.start, e.end) for e in cv.experience] == [
        ("Site Reliability Engineer", "Monzo", date(2021, 9, 1), date(2024, 3, 1)),
        ("Systems Engineer", "Infrastructure", date(2017, 9, 1), date(2021, 8, 1)),
        ("Freelance DevOps consultant", "", date(2024, 4, 1), None),
    ]
    assert cv.experience[0].description == ("Ran the Kubernetes platform for 300 services\n"
                                            "On-call lead for the payments team")
    assert cv.experience[1].description == "Automated server builds with Ansible"
    assert cv.education == [ParsedEntry(title="BSc Computer Science", organisation="University of Leeds",
                                        place="Leeds", start=date(2014, 1, 1), end=date(2017, 1, 1))]
    assert cv.certifications == [ParsedEntry(title="Certified Kubernetes Administrator (CKA)", organisation="CNCF",
                                             start=date(2022, 1, 1), end=date(2022, 1, 1))]


def test_skills_are_split_trimmed_and_unique_ignoring_case():
    cv = parse([ENGLISH])

    assert cv.skills == ["AWS", "GCP", "Kubernetes", "Terraform", "Prometheus", "python", "Go"]


def test_languages_keep_their_level_as_description():
    cv = parse([ENGLISH])

    assert [(e.title, e.description) for e in cv.languages] == [("English", "native"), ("Tamil", "B2")]


def test_sections_it_does_not_know_are_kept_unplaced():
    cv = parse([ENGLISH])

    assert "Interests\nClimbing, chess" in cv.unplaced


def test_french_cv_with_accents_and_french_dates():
    cv = parse([FRENCH])

    assert cv.full_name == "Lucas Moreau"
    assert cv.headline == "Ingénieur DevOps"
    assert cv.location == "12 rue des Lilas, 69003 Lyon"
    assert cv.email == "lucas.moreau@example.fr"
    assert [(e.title, e.organisation, e.place, e.start, e.end) for e in cv.experience] == [
        ("Ingénieur DevOps", "OVHcloud", "Roubaix", date(2019, 3, 1), date(2021, 12, 1)),
        ("Administrateur systèmes", "Société Générale", "", date(2022, 1, 1), None),
    ]
    assert cv.experience[0].description == ("Migration de 40 services vers Kubernetes\n"
                                            "Industrialisation des déploiements")


def test_dates_above_the_title_are_read_as_the_entry_below():
    cv = parse([FRENCH])

    assert cv.education == [ParsedEntry(title="Diplôme d'ingénieur", organisation="Télécom Paris",
                                        start=date(2016, 1, 1), end=date(2019, 1, 1))]


def test_heading_with_its_content_on_the_same_line():
    cv = parse([FRENCH])

    assert cv.skills == ["Linux", "Ansible", "GitLab CI"]
    assert [(e.title, e.description) for e in cv.languages] == [
        ("Français", "langue maternelle"), ("Anglais", "professionnel (TOEIC 945)")]


def test_linkedin_export_finds_the_name_after_the_sidebar():
    cv = parse([LINKEDIN])

    assert (cv.full_name, cv.headline, cv.location, cv.email) == (
        "Sophie Durand", "Data Scientist chez Decathlon", "Lille, Hauts-de-France, France", "sophie.durand@gmail.com")
    assert cv.skills == ["Python", "Machine Learning", "SQL"]
    assert [(e.title, e.description) for e in cv.languages] == [
        ("English", "Full Professional"), ("French", "Native or Bilingual")]


def test_linkedin_export_entries_put_company_and_title_in_place():
    cv = parse([LINKEDIN])

    assert [(e.title, e.organisation, e.place, e.start, e.end, e.description) for e in cv.experience] == [
        ("Data Scientist", "Decathlon", "Lille, Hauts-de-France, France", date(2020, 9, 1), None,
         "Demand forecasting for 1,700 stores."),
        ("Data Analyst", "Auchan", "Villeneuve-d'Ascq", date(2018, 1, 1), date(2020, 8, 1), ""),
    ]
    assert "Summary\nData scientist with 6 years" in cv.unplaced


def test_dates_in_the_margin_of_each_title_line():
    cv = parse([DATES_IN_MARGIN])

    assert (cv.full_name, cv.headline, cv.location, cv.email) == (
        "MARIE DUPONT", "Chargée de communication", "Rennes (35)", "marie.dupont@orange.fr")
    assert [(e.title, e.organisation, e.place, e.start, e.end) for e in cv.experience] == [
        ("Chargée de communication", "Ville de Rennes", "", date(2021, 9, 1), None),
        ("Assistante de communication", "Agence Kiwi", "Nantes", date(2018, 1, 1), date(2021, 1, 1)),
    ]
    assert cv.experience[0].description == "Pilotage des campagnes municipales\nRelations presse"
    assert [(e.title, e.organisation, e.start) for e in cv.education] == [
        ("Master Communication", "Université Rennes 2", date(2018, 1, 1)),
        ("Licence Information-Communication", "", date(2016, 1, 1))]
    assert cv.skills == ["Suite Adobe (Photoshop, InDesign)", "Rédaction web", "SEO"]
    assert "CENTRES D'INTÉRÊT\nPhotographie, randonnée" in cv.unplaced


def test_every_way_of_saying_to_this_day():
    for words in ("present", "Present", "aujourd'hui", "aujourd’hui", "à ce jour", "en cours", "now", "current"):
        cv = parse([f"Experience\nDeveloper — Acme\nJan 2020 – {words}\n"])
        assert [(e.start, e.end) for e in cv.experience] == [(date(2020, 1, 1), None)], words


def test_month_spellings_in_both_languages():
    for written, month in (("janv. 2020", 1), ("Févr 2020", 2), ("mars 2020", 3), ("Apr. 2020", 4), ("mai 2020", 5),
                           ("juin 2020", 6), ("juil. 2020", 7), ("août 2020", 8), ("Sept. 2020", 9),
                           ("octobre 2020", 10), ("Nov 2020", 11), ("Déc. 2020", 12), ("06/2020", 6),
                           ("2020-07", 7)):
        cv = parse([f"Expérience\nDéveloppeur — Acme\n{written} - 2021\n"])
        assert cv.experience[0].start == date(2020, month, 1), written


def test_title_line_holding_its_own_dates():
    cv = parse(["Experience\nData Engineer, Criteo, Paris (2019 – 2021)\n• Spark pipelines\n"])

    assert cv.experience == [ParsedEntry(title="Data Engineer", organisation="Criteo", place="Paris",
                                         start=date(2019, 1, 1), end=date(2021, 1, 1), description="Spark pipelines")]


def test_a_duration_after_the_dates_is_not_a_title():
    cv = parse(["Expérience\nDéveloppeur — Qonto\nsept. 2021 - aujourd'hui (3 ans 2 mois)\nParis\n"])

    assert [(e.title, e.organisation, e.place, e.start, e.end, e.description) for e in cv.experience] == [
        ("Développeur", "Qonto", "Paris", date(2021, 9, 1), None, "")]


def test_title_and_company_on_two_lines_above_the_dates():
    cv = parse([("Work Experience\nBackend Developer\nAlan, Paris\n2018 - 2020\n• Claims pipeline\n"
                "Intern\nBlaBlaCar\n2017\n")])

    assert [(e.title, e.organisation, e.place, e.start, e.end, e.description) for e in cv.experience] == [
        ("Backend Developer", "Alan", "Paris", date(2018, 1, 1), date(2020, 1, 1), "Claims pipeline"),
        ("Intern", "BlaBlaCar", "", date(2017, 1, 1), date(2017, 1, 1), ""),
    ]


def test_dates_first_layout_holds_for_the_whole_section():
    cv = parse([("Formation\n2016 - 2019\nDiplôme d'ingénieur — Télécom Paris\nSpécialité réseaux\n"
                "2014 – 2016\nClasses préparatoires — Lycée du Parc, Lyon\nMP*\n")])

    assert [(e.title, e.organisation, e.place, e.start, e.description) for e in cv.education] == [
        ("Diplôme d'ingénieur", "Télécom Paris", "", date(2016, 1, 1), "Spécialité réseaux"),
        ("Classes préparatoires", "Lycée du Parc", "Lyon", date(2014, 1, 1), "MP*"),
    ]


def test_place_beside_the_dates_under_a_full_title_line():
    cv = parse([("Experience\nProduct Manager — Back Market\nParis, France | Jan 2020 – Present\n• Roadmap\n"
                "Consultant — Accenture\nde 2016 à 2019 · Lyon\n")])

    assert [(e.title, e.organisation, e.place, e.start, e.end, e.description) for e in cv.experience] == [
        ("Product Manager", "Back Market", "Paris, France", date(2020, 1, 1), None, "Roadmap"),
        ("Consultant", "Accenture", "Lyon", date(2016, 1, 1), date(2019, 1, 1), ""),
    ]


def test_undated_projects_are_one_entry_per_line_with_bullets_as_description():
    cv = parse(["Projects\nOpen-source CV parser — GitHub\n• 200 stars\nHome automation with Home Assistant\n"])

    assert [(e.title, e.organisation, e.description) for e in cv.projects] == [
        ("Open-source CV parser", "GitHub", "200 stars"), ("Home automation with Home Assistant", "", "")]


def test_languages_on_one_line():
    cv = parse(["Langues\nFrançais, Anglais, Espagnol\n"])

    assert [e.title for e in cv.languages] == ["Français", "Anglais", "Espagnol"]


def test_skills_in_parentheses_stay_whole_and_sentences_are_not_skills():
    long = "Able to lead a team of engineers through a difficult migration without downtime"
    cv = parse([f"Skills\nAccessibility (RGAA, WCAG), CI/CD\n{long}\n"])

    assert cv.skills == ["Accessibility (RGAA, WCAG)", "CI/CD"]
    assert all(len(skill) <= MAX_SKILL for skill in cv.skills)
    assert long in cv.unplaced


def test_text_without_structure_gives_no_invented_profile():
    cv = parse(["this is not a cv at all, just some words that someone typed in lower case 123"])

    assert cv.full_name == ""
    assert not cv.skills and not cv.experience and not cv.education
    assert "John" not in str(cv.to_json())


def test_nothing_found_is_empty():
    assert parse([]).is_empty()
    assert parse(["", "   "]).is_empty()
    assert not parse([ENGLISH]).is_empty()


def test_the_document_title_is_not_the_name():
    cv = parse(["CURRICULUM VITAE\nInès Benali\nComptable\nCompétences\nSage, Excel, .NET\n"])

    assert (cv.full_name, cv.headline) == ("Inès Benali", "Comptable")
    assert cv.skills == ["Sage", "Excel", ".NET"]


def test_header_without_a_name_leaves_the_name_empty():
    cv = parse(["jordan.baker@example.com · +33 6 12 34 56 78\nSkills\nPython\n"])

    assert cv.full_name == ""
    assert cv.email == "jordan.baker@example.com"
    assert cv.skills == ["Python"]


def test_page_numbers_are_dropped_and_pages_join():
    cv = parse(["Ana Lima\nExperience\nDeveloper — Acme\n2019 - 2020\n1/2", "2/2\nEducation\nBSc — USP\n2015 - 2018"])

    assert [e.title for e in cv.experience] == ["Developer"]
    assert cv.experience[0].description == ""
    assert [e.organisation for e in cv.education] == ["USP"]


def test_hostile_lengths_are_cut_to_the_profile_limits():
    bullets = "\n".join(f"• {'word ' * 40}" for _ in range(400))
    title_line = f"{'A' * 10_000} — {'B' * 10_000}, {'C' * 50} (2019 - 2020)"
    cv = parse([f"{'N' * 5000}\n{'H' * 5000}\nExperience\n{title_line}\n{bullets}\nInterests\n{'x' * 100_000}"])

    entry = cv.experience[0]
    assert (len(entry.title), len(entry.organisation), len(entry.place)) == (MAX_TITLE, 200, 50)
    assert len(entry.description) <= MAX_DESCRIPTION
    assert len(cv.full_name) <= 150 and len(cv.headline) <= 200 and len(cv.unplaced) <= 20_000


def test_hostile_counts_are_capped():
    cv = parse(["Experience\n" + "Title — Company\n2019\n• a\n" * 5000 + "Skills\n" + ", ".join(map(str, range(5000)))])

    assert len(cv.experience) == 60 and len(cv.skills) == 150


def test_json_round_trip():
    cv = parse([ENGLISH])

    data = cv.to_json()
    assert data["experience"][0]["start"] == "2021-09-01" and data["experience"][2]["end"] is None
    assert ParsedCv.from_json(data) == cv


def test_the_place_is_all_after_the_company():
    from coach.cvparse import _title_parts

    assert _title_parts(["CEO/President — Pied Piper, Palo Alto, CA"]) == ("CEO/President", "Pied Piper",
                                                                          "Palo Alto, CA")
    assert _title_parts(["Developer — Acme, Inc., Paris"]) == ("Developer", "Acme, Inc.", "Paris")


def test_a_pdfs_line_wraps_are_undone_in_descriptions():
    from coach.cvparse import parse

    cv = parse(["Camille Martin\n\nExperience\nBackend developer — Acme, Lyon\nSep 2021 – Present\n"
                "Built the billing API on a proprietary universal\ncompression layer that scales.\n"
                "Ran the weekly review\n• Mentored two juniors"])
    assert cv.experience[0].description.splitlines() == [
        "Built the billing API on a proprietary universal compression layer that scales.",
        "Ran the weekly review", "Mentored two juniors"]
