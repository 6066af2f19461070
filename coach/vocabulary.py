"""The words the offline analyzer knows: skills with their other spellings, spoken
languages, the headings and phrasings that mark a requirement as a must-have or a
nice-to-have, seniority words, and French and English stop words.

Plain data, compiled once into the patterns `coach.offline` reads. Every term is matched
folded (`discovery.text.fold`: lower case, no accents) and as a whole word, so "Go" is not
found in "good" nor "Java" in "JavaScript". A skill the vocabulary does not know is still
matched, under its own spelling.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy, pgettext_lazy

from discovery.text import fold

# A skill's name as shown → its other spellings (the name itself is one). Names are the
# spelling the trade uses, in either language; the few general skills whose name is a
# phrase are translated.
SKILLS: dict[str, tuple[str, ...]] = {
    # Languages and runtimes
    "Python": ("python3", "python 3"),
    "Java": ("java 17", "java 21", "jvm"),
    "JavaScript": ("js", "javascript", "ecmascript", "es6", "vanilla js"),
    "TypeScript": ("ts", "typescript"),
    "Go": ("golang", "go lang", "go (golang)"),
    "Rust": ("rust",),
    "C": ("langage c", "c language", "embedded c", "c embarque"),
    "C++": ("c++", "cpp", "c++17", "c++20"),
    "C#": ("c#", "csharp", "c sharp"),
    ".NET": (".net", "dotnet", ".net core", "asp.net"),
    "PHP": ("php", "php 8"),
    "Ruby": ("ruby",),
    "Kotlin": ("kotlin",),
    "Swift": ("swift",),
    "Scala": ("scala",),
    "Elixir": ("elixir",),
    "R": ("langage r", "r language", "rstudio"),
    "Bash": ("bash", "shell", "shell scripting", "scripting shell"),
    "SQL": ("sql",),
    "HTML": ("html", "html5"),
    "CSS": ("css", "css3", "sass", "scss", "tailwind", "tailwindcss"),
    # Frameworks
    "Django": ("django", "django rest framework", "drf"),
    "Flask": ("flask",),
    "FastAPI": ("fastapi", "fast api"),
    "Celery": ("celery",),
    "Spring": ("spring", "spring boot", "springboot"),
    "Ruby on Rails": ("rails", "ruby on rails", "ror"),
    "Laravel": ("laravel",),
    "Symfony": ("symfony",),
    "Node.js": ("node", "nodejs", "node.js", "node js"),
    "Express": ("express.js", "expressjs"),
    "NestJS": ("nestjs", "nest.js"),
    "React": ("react", "react.js", "reactjs", "react js"),
    "React Native": ("react native", "react-native"),
    "Next.js": ("next.js", "nextjs"),
    "Vue.js": ("vue.js", "vuejs", "vue js", "vue 3", "nuxt"),
    "Angular": ("angular", "angularjs"),
    "Svelte": ("svelte", "sveltekit"),
    "htmx": ("htmx",),
    "GraphQL": ("graphql",),
    "REST": ("restful", "rest api", "rest apis", "api rest", "apis rest", "api restful", "rest/graphql",
             "rest/json", "rest or graphql", "rest et graphql", "rest ou graphql"),
    "gRPC": ("grpc",),
    "pandas": ("pandas",),
    "NumPy": ("numpy",),
    "scikit-learn": ("scikit-learn", "sklearn", "scikit learn"),
    "PyTorch": ("pytorch", "torch"),
    "TensorFlow": ("tensorflow", "keras"),
    "Spark": ("spark", "pyspark", "apache spark"),
    "Airflow": ("airflow", "apache airflow"),
    "dbt": ("dbt",),
    # Data stores
    "PostgreSQL": ("postgres", "postgresql", "psql", "pgsql", "postgre"),
    "MySQL": ("mysql", "mariadb"),
    "SQLite": ("sqlite",),
    "Oracle": ("oracle", "pl/sql", "plsql"),
    "SQL Server": ("sql server", "mssql", "t-sql"),
    "MongoDB": ("mongo", "mongodb"),
    "Redis": ("redis",),
    "Elasticsearch": ("elasticsearch", "elastic search", "opensearch"),
    "Kafka": ("kafka", "apache kafka"),
    "RabbitMQ": ("rabbitmq", "rabbit mq"),
    "Snowflake": ("snowflake",),
    "BigQuery": ("bigquery", "big query"),
    # Cloud and operations
    "AWS": ("aws", "amazon web services", "ec2", "s3", "lambda"),
    "GCP": ("gcp", "google cloud", "google cloud platform"),
    "Azure": ("azure", "microsoft azure"),
    "Docker": ("docker", "dockerfile", "docker compose", "docker-compose", "containers", "conteneurs"),
    "Kubernetes": ("k8s", "kubernetes", "kube", "helm", "openshift"),
    "Terraform": ("terraform", "opentofu"),
    "Ansible": ("ansible",),
    "Linux": ("linux", "unix", "debian", "ubuntu"),
    "CI/CD": ("ci/cd", "ci-cd", "ci cd", "continuous integration", "integration continue", "intégration continue",
              "github actions", "gitlab ci", "gitlab-ci", "jenkins", "circleci"),
    "Git": ("git", "github", "gitlab"),
    "Prometheus": ("prometheus", "grafana"),
    "Nginx": ("nginx",),
    # Practices and fields
    "Machine learning": ("ml", "machine learning", "apprentissage automatique", "deep learning"),
    "LLM": ("llm", "llms", "large language models", "genai", "ia generative", "ia générative", "generative ai"),
    "Data engineering": ("data engineering", "etl", "elt", "data pipelines", "pipelines de donnees"),
    "Microservices": ("microservices", "micro-services", "micro services"),
    "Testing": ("tdd", "unit tests", "tests unitaires", "pytest", "jest", "test automation", "tests automatises"),
    "Agile": ("agile", "agilite", "scrum", "kanban"),
    "Figma": ("figma",),
    "SEO": ("seo",),
    "Salesforce": ("salesforce",),
    "SAP": ("sap",),
    "Excel": ("microsoft excel", "ms excel", "excel avance", "advanced excel", "google sheets"),
    "Power BI": ("power bi", "powerbi"),
    "Tableau": ("tableau software",),
    "Jira": ("jira",),
}

# Skills whose plain name is also a common word ("go", "excel", "rest", "vue", "express"): found
# only written with a capital, as the trade writes them, besides their spellings above.
CASED_SKILLS: dict[str, tuple[str, ...]] = {
    "Go": ("Go",),
    "Excel": ("Excel",),
    "REST": ("REST", "RESTful"),
    "Vue.js": ("Vue", "VueJS"),
    "Express": ("Express",),
}
# Their plain name is not looked for folded; nor is that of one-letter languages or Tableau.
NOT_BY_PLAIN_NAME = frozenset({"Go", "C", "R", "Excel", "REST", "Vue.js", "Express", "Tableau"})

# General skills with a name to translate: their name → (shown name, spellings).
GENERAL_SKILLS: dict[str, tuple[object, tuple[str, ...]]] = {
    "project management": (gettext_lazy("Project management"),
                           ("project management", "gestion de projet", "gestion de projets", "chef de projet",
                            "project manager")),
    "product management": (gettext_lazy("Product management"),
                           ("product management", "product owner", "product manager", "gestion de produit")),
    "security": (gettext_lazy("Security"),
                 ("security", "cybersecurity", "cybersecurite", "securite informatique", "securite applicative",
                  "owasp", "appsec")),
    "accessibility": (gettext_lazy("Accessibility"), ("accessibility", "accessibilite", "wcag", "rgaa", "a11y")),
    "ux": (gettext_lazy("UX design"), ("ux", "ux design", "ui/ux", "ux/ui", "experience utilisateur")),
    "data analysis": (gettext_lazy("Data analysis"),
                      ("data analysis", "analyse de donnees", "analyse des donnees", "data analytics")),
    "mentoring": (gettext_lazy("Mentoring"), ("mentoring", "mentorat", "coaching d'equipe", "mentor")),
}

# Spoken languages: the key is stored in the details, the name is shown.
LANGUAGES: dict[str, tuple[object, tuple[str, ...]]] = {
    "en": (pgettext_lazy("spoken language", "English"), ("english", "anglais", "anglophone")),
    "fr": (pgettext_lazy("spoken language", "French"), ("french", "francais", "francophone")),
    "de": (pgettext_lazy("spoken language", "German"), ("german", "allemand", "deutsch", "germanophone")),
    "es": (pgettext_lazy("spoken language", "Spanish"), ("spanish", "espagnol", "castellano", "hispanophone")),
    "it": (pgettext_lazy("spoken language", "Italian"), ("italian", "italien", "italiano")),
    "nl": (pgettext_lazy("spoken language", "Dutch"), ("dutch", "neerlandais", "nederlands")),
    "pt": (pgettext_lazy("spoken language", "Portuguese"), ("portuguese", "portugais")),
    "zh": (pgettext_lazy("spoken language", "Chinese"), ("chinese", "mandarin", "chinois")),
    "ar": (pgettext_lazy("spoken language", "Arabic"), ("arabic", "arabe")),
    "ja": (pgettext_lazy("spoken language", "Japanese"), ("japanese", "japonais")),
}
# Words that make a language named in a sentence a requirement ("anglais courant", "fluent
# English", "C1"), rather than a passing mention ("French Tech", "our English office").
LANGUAGE_LEVEL = ("fluent", "fluency", "courant", "native", "natif", "native speaker", "bilingual", "bilingue",
                  "proficient", "proficiency", "professional", "professionnel", "business", "working knowledge",
                  "speak", "speaking", "spoken", "written", "ecrit", "oral", "parle", "parlez", "parler", "maitrise",
                  "maitrisez", "level", "niveau", "c1", "c2", "b2", "toeic", "toefl", "ielts", "lu, ecrit, parle",
                  "communicate", "communiquer", "skills in", "excellent")

# Headings that open a section of requirements, of nice-to-haves, or of something else
# (the company, the benefits, the process: skills named there are not asked of anyone).
MUST_HEADINGS = ("requirements", "required", "qualifications", "required skills", "must have", "must-have",
                 "must haves", "what you bring", "what we're looking for", "what we are looking for",
                 "who you are", "about you", "you have", "you are", "your profile", "the profile", "profile",
                 "skills", "experience", "minimum qualifications", "basic qualifications", "what you need",
                 "you'll need", "you will need", "ideal candidate",
                 "profil recherche", "profil", "votre profil", "le profil", "profil souhaite", "competences",
                 "competences requises", "competences techniques", "prerequis", "requis", "indispensable",
                 "indispensables", "ce que nous recherchons", "qui etes-vous", "vous etes", "vous avez",
                 "savoir-faire", "experience requise", "stack", "stack technique", "tech stack", "our stack",
                 "environnement technique", "technologies")
NICE_HEADINGS = ("nice to have", "nice-to-have", "nice to haves", "bonus", "bonus points", "pluses",
                 "preferred qualifications", "preferred", "it would be great if", "even better if", "ideally",
                 "a plus", "assets", "un plus", "les plus", "idealement", "apprecie", "appreciee", "apprecies",
                 "appreciees", "atouts", "serait un plus", "seraient un plus", "souhaite", "souhaitees",
                 "competences appreciees", "optionnel", "optional")
OTHER_HEADINGS = ("about us", "about the company", "who we are", "our company", "company", "benefits", "perks",
                  "what we offer", "why join us", "why us", "compensation", "salary", "the team", "our team",
                  "hiring process", "recruitment process", "interview process", "how to apply", "location",
                  "a propos", "qui sommes-nous", "l'entreprise", "entreprise", "avantages", "ce que nous offrons",
                  "ce que nous proposons", "pourquoi nous rejoindre", "remuneration", "salaire",
                  "processus de recrutement", "deroulement des entretiens", "l'equipe", "notre equipe",
                  "conditions", "informations complementaires")
# Headings of the job's duties: skills there are what the job uses, neither stated as a
# requirement nor as a bonus.
DUTY_HEADINGS = ("responsibilities", "what you'll do", "what you will do", "your role", "the role", "role",
                 "your mission", "missions", "vos missions", "les missions", "mission", "the job",
                 "description du poste", "le poste", "votre role", "responsabilites", "vos responsabilites",
                 "job description", "description", "day to day", "au quotidien")

# Phrasing inside a sentence, which outweighs the section the sentence is in.
MUST_PHRASES = ("required", "requirement", "must", "mandatory", "essential", "strong experience",
                "solid experience", "proven experience", "expertise in", "expert in", "you master", "mastery",
                "obligatoire", "indispensable", "exige", "exigee", "requis", "requise", "imperatif",
                "imperative", "maitrise", "maitrisez", "vous maitrisez", "solide experience", "experience solide",
                "experience significative", "experience confirmee")
NICE_PHRASES = ("nice to have", "nice-to-have", "is a plus", "are a plus", "a plus", "a bonus", "bonus",
                "is an asset", "an advantage", "preferred", "preferably", "ideally", "would be great",
                "familiarity with", "exposure to", "un plus", "est un plus", "serait un plus", "seraient un plus",
                "un atout", "atout", "apprecie", "appreciee", "apprecies", "appreciees", "idealement",
                "souhaite", "souhaitee", "souhaitable", "optionnel", "bienvenu", "bienvenue", "serait apprecie")

# Seniority, from the words of a title (folded): level → words. Levels are ordered.
SENIORITY_LEVELS = ("intern", "junior", "mid", "senior", "lead")
SENIORITY_WORDS = {
    "intern": ("intern", "internship", "stagiaire", "stage", "alternant", "alternance", "apprenti",
               "apprentice", "trainee", "working student", "werkstudent"),
    "junior": ("junior", "jr", "debutant", "debutante", "jeune diplome", "jeune diplomee", "graduate",
               "entry level", "entry-level", "associate"),
    "mid": ("confirme", "confirmee", "intermediate", "mid-level", "mid level", "medior", "regular"),
    "senior": ("senior", "sr", "experimente", "experimentee", "expert", "experte", "senior-level"),
    "lead": ("lead", "tech lead", "principal", "staff", "head of", "architect", "architecte", "director",
             "directeur", "directrice", "vp", "cto", "chief", "engineering manager"),
}
# The years of experience each level usually means, for a title without a figure.
SENIORITY_YEARS = {"intern": 0, "junior": 0, "mid": 2, "senior": 5, "lead": 8}

# Words of a job title that say the same thing in both languages, for comparing titles.
TITLE_SYNONYMS = {
    "developpeur": "developer", "developpeuse": "developer", "dev": "developer", "development": "developer",
    "developpement": "developer", "programmer": "developer", "programmeur": "developer",
    # In software, an engineer and a developer hold the same job.
    "engineer": "developer", "ingenieur": "developer", "ingenieure": "developer", "engineering": "developer",
    "donnees": "data", "logiciel": "software", "logiciels": "software", "analyste": "analyst",
    "chef": "manager", "gestionnaire": "manager", "responsable": "manager", "concepteur": "designer",
    "conceptrice": "designer", "designeur": "designer", "web": "web", "fullstack": "full-stack",
    "full": "full-stack", "back-end": "backend", "front-end": "frontend", "back": "backend", "front": "frontend",
    "commercial": "sales", "commerciale": "sales", "ventes": "sales", "comptable": "accountant",
    "infirmier": "nurse", "infirmiere": "nurse", "produit": "product", "projet": "project",
    "securite": "security", "reseau": "network", "reseaux": "network", "systemes": "systems",
    "systeme": "systems", "administrateur": "administrator", "scientist": "scientist",
}

STOP_WORDS_EN = frozenset("""
a about above after again all also am an and any are as at be because been before being below between both but
by can could did do does doing down during each few for from further had has have having he her here hers him his
how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over
own same she should so some such than that the their theirs them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your yours yourself
we'll we're you'll you're it's join team role position job work working looking
""".split())
STOP_WORDS_FR = frozenset("""
a au aux avec ce ces cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me meme mes moi
mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous
c d j l n s t y ete etre avoir sont est ont sera serez etes avez chez comme plus tres tout tous toute toutes afin
ainsi aussi dont cela ceci si sans sous vers entre h f hf poste cdi cdd equipe rejoindre rejoignez
""".split())
STOP_WORDS = STOP_WORDS_EN | STOP_WORDS_FR
# Words telling English from French text: the commonest of each that the other lacks.
ENGLISH_MARKERS = frozenset("the and you with our for are will your we of to is in this that have be".split())
FRENCH_MARKERS = frozenset("le la les et vous avec nous pour des une est dans sur du au votre notre sont".split())


def _alternation(spellings) -> str:
    # Longest first, so that "react native" wins over "react" and "node.js" over "node".
    return "|".join(re.escape(s) for s in sorted(set(spellings), key=lambda s: (-len(s), s)))


def _compile(table: dict[str, tuple[str, ...]]) -> tuple[re.Pattern, dict[str, str]]:
    """One pattern finding any spelling of any entry as a whole word, and the entry of each
    (folded) spelling."""
    entry_of = {}
    for key, spellings in table.items():
        for spelling in spellings:
            entry_of.setdefault(fold(spelling), key)
    # A word may end with "+", "#" or "." (C++, C#, .NET), so those do not end a word here,
    # except a full stop that ends a sentence.
    pattern = re.compile(rf"(?<![\w+#.])(?:{_alternation(entry_of)})(?![\w+#]|\.\w)")
    return pattern, entry_of


def _skill_table() -> dict[str, tuple[str, ...]]:
    table = {name: (*([] if name in NOT_BY_PLAIN_NAME else [name.lower()]), *spellings)
             for name, spellings in SKILLS.items()}
    table.update({key: spellings for key, (_, spellings) in GENERAL_SKILLS.items()})
    return table


SKILL_PATTERN, SKILL_OF = _compile(_skill_table())
CASED_SKILL_PATTERN = re.compile(rf"(?<![\w+#.])(?:{_alternation(s for ss in CASED_SKILLS.values() for s in ss)})"
                                 r"(?![\w+#]|\.\w)")
CASED_SKILL_OF = {spelling: name for name, spellings in CASED_SKILLS.items() for spelling in spellings}
LANGUAGE_PATTERN, LANGUAGE_OF = _compile({key: spellings for key, (_, spellings) in LANGUAGES.items()})
SENIORITY_PATTERN, SENIORITY_OF = _compile(SENIORITY_WORDS)


def _phrases(phrases) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{_alternation(fold(p) for p in phrases)})(?!\w)")


MUST_PHRASE = _phrases(MUST_PHRASES)
NICE_PHRASE = _phrases(NICE_PHRASES)
LANGUAGE_LEVEL_PHRASE = _phrases(LANGUAGE_LEVEL)


def _headings(headings) -> frozenset[str]:
    return frozenset(fold(h) for h in headings)


HEADINGS = {"must": _headings(MUST_HEADINGS), "nice": _headings(NICE_HEADINGS),
            "other": _headings(OTHER_HEADINGS), "duty": _headings(DUTY_HEADINGS)}


def skill_name(key: str) -> str:
    """A skill's name as shown, in the active language for a general skill."""
    general = GENERAL_SKILLS.get(key)
    return str(general[0]) if general else key


def language_name(key: str) -> str:
    return str(LANGUAGES[key][0])
