"""JobMate settings: one module, configured from the environment.

Every variable is listed in README.md ("Configuration"). The small env* helpers fail
loudly on a value they cannot read rather than guessing.
"""

import os
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from jobmate import embedded

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false)")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Without DATABASE_URL, JobMate runs on its embedded development servers (`make run`, and
# every manage.py command beside it in another terminal): that is development, so DEBUG
# is on unless said otherwise. A deployment sets DATABASE_URL, and DEBUG stays off.
DEBUG = envbool("DEBUG", not os.environ.get("DATABASE_URL"))


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    # Development only: a random key kept under var/, never a key written in the code.
    path = embedded.var_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "django_rq",
    "jobmate.tasks",
    "jobmate.notifications",
    "profiles",
    "discovery",
    "coach",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so that a response any later middleware answers by itself still carries it.
    "jobmate.content_security_policy.ContentSecurityPolicyMiddleware",
    # PostgreSQL unreachable: a 503 page (JSON under /api/) in place of any error response.
    "jobmate.outage.database_unavailable",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the request: the switcher's cookie, else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jobmate.middleware.utf8_only",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "profiles.tokens.ApiTokenMiddleware",
    # Below both: a signed-in person's saved language (User.language) wins over the above.
    "jobmate.middleware.user_language",
    "jobmate.middleware.user_time_zone",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jobmate.middleware.vary_on_htmx",
    "jobmate.middleware.htmx_toasts",  # below MessageMiddleware: it reads the messages first
]

ROOT_URLCONF = "jobmate.urls"
WSGI_APPLICATION = "jobmate.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobmate.tasks.context_processors.active_tasks",
                "jobmate.notifications.context_processors.unread_notifications",
                "tracker.context_processors.pending_offers",
                "profiles.context_processors.signup",
            ],
        },
    },
]

# --- Database and Redis ------------------------------------------------------------------
# Unset URLs mean "use the embedded servers under var/" (see jobmate/embedded.py).

DATABASE_URL = os.environ.get("DATABASE_URL") or embedded.ensure_postgres().url
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = envint("DB_CONNECT_TIMEOUT", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL") or embedded.ensure_redis().url
# How long a Redis call may block a web request before we call Redis unreachable.
REDIS_TIMEOUT = envint("REDIS_TIMEOUT", 2)


# One connection factory for all of Redis (jobmate/redis_connection.py): the cache, and the
# queues through the cache, with REDIS_TIMEOUT as connect and socket timeout and no retry.
CACHES = {
    "default": {
        "BACKEND": "jobmate.redis_connection.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "jobmate",
        "TIMEOUT": 300,
    }
}
RQ_QUEUES = {
    name: {"USE_REDIS_CACHE": "default", "DEFAULT_TIMEOUT": 300}
    for name in ("default", "scraping", "llm")
}
# Enqueue at once; the task engine decides itself when to enqueue relative to commits.
RQ = {"COMMIT_MODE": "auto", "WORKER_CLASS": "jobmate.tasks.worker.TaskWorker"}
RQ_SHOW_ADMIN_LINK = True

# --- Accounts ----------------------------------------------------------------------------

AUTH_USER_MODEL = "profiles.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Who may create an account: "open" (anyone who reaches the site), "invite" (with a
# one-time link from someone who has an account, or from the operator), "closed" (the
# operator creates accounts). Views read it per request, so tests can switch it.
SIGNUP_MODES = ("open", "invite", "closed")
SIGNUP = (os.environ.get("SIGNUP") or ("open" if DEBUG else "invite")).strip().lower()
if SIGNUP not in SIGNUP_MODES:
    raise ImproperlyConfigured(f"SIGNUP={SIGNUP!r} is not one of {', '.join(SIGNUP_MODES)}")
# The log-in throttle counts failures per client address: REMOTE_ADDR, unless a proxy in
# front sets X-Forwarded-For (and nothing else can reach the app), then its last entry.
TRUST_X_FORWARDED_FOR = envbool("TRUST_X_FORWARDED_FOR", False)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Security ----------------------------------------------------------------------------
# HTTPS=true (the default outside DEBUG) assumes a TLS-terminating proxy in front that
# sets X-Forwarded-Proto; set HTTPS=false to serve plain HTTP on a trusted network.

HTTPS = envbool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy -------------------------------------------------------------
# Enforced on every page: scripts, styles, images and requests come from our own static
# files and views only. No inline <script>, <style>, style="" or on…="" anywhere, and no
# eval (htmx's `hx-on`, `js:` values and `[…]` trigger filters would need it; base.html
# sets htmx's allowEval and includeIndicatorStyles off). The middleware is django-csp's
# (jobmate/content_security_policy.py), which gives /admin/ the looser policy below.

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Django's admin and django-rq's dashboard (operators only) use inline scripts, styles and
# onclick handlers: inline is allowed there, nothing else is loosened.
ADMIN_CONTENT_SECURITY_POLICY = {
    "URL_PREFIX": "/admin/",
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
    },
}

# --- Email -------------------------------------------------------------------------------

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "JobMate <jobmate@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Without an SMTP host, mail (password resets) is printed on the console.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# Where people reach this site, for the links in emails sent outside any request (the
# reminders, notifications) and in the calendar feed.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# --- LLM (the coach, coach/llm.py) -------------------------------------------------------
# Any OpenAI-compatible endpoint. The operator's address, trusted: it may be on this machine
# (Ollama: http://127.0.0.1:11434/v1). An LLM is in use when LLM_API_KEY is set, or when
# LLM_BASE_URL names another endpoint than OpenRouter's (a local server needs no key);
# otherwise the coach uses its offline analyzer only, and says so.

LLM_DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
LLM_BASE_URL = (os.environ.get("LLM_BASE_URL") or LLM_DEFAULT_BASE_URL).rstrip("/")
LLM_API_KEY = os.environ.get("LLM_API_KEY", "")
LLM_MODEL = os.environ.get("LLM_MODEL", "openai/gpt-4o-mini")
# Seconds to wait for an answer: a model writing a cover letter takes far longer than a job
# board (JOBMATE_HTTP_TIMEOUT), a small local one longer still.
LLM_TIMEOUT = float(envint("LLM_TIMEOUT", 120))
# Tokens (in + out) each person may spend per calendar month (their time zone's); past it no
# request leaves and the offline analysis stands.
LLM_MONTHLY_TOKENS = envint("LLM_MONTHLY_TOKENS", 2_000_000)


def _price(name: str, value: str) -> Decimal | None:
    if not value.strip():
        return None
    try:
        price = Decimal(value.strip())
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number") from None
    if not price.is_finite() or price < 0:
        raise ImproperlyConfigured(f"{name}={value!r} is not a price")
    return price


# Price per million tokens in and out, for the ledger's cost (empty: no cost is shown).
LLM_PRICE_IN = _price("LLM_PRICE_IN", os.environ.get("LLM_PRICE_IN", ""))
LLM_PRICE_OUT = _price("LLM_PRICE_OUT", os.environ.get("LLM_PRICE_OUT", ""))
LLM_PRICE_CURRENCY = os.environ.get("LLM_PRICE_CURRENCY", "USD")

# --- Job boards (discovery) ---------------------------------------------------------------
# Each source's base URL can point elsewhere (a local server in tests and demos). Like
# LLM_BASE_URL these are the operator's, trusted: only the addresses people give are guarded.

JOBMATE_SOURCE_URLS = {
    "greenhouse": os.environ.get("JOBMATE_SOURCE_GREENHOUSE_URL", "https://boards-api.greenhouse.io/v1/boards"),
    "lever": os.environ.get("JOBMATE_SOURCE_LEVER_URL", "https://api.lever.co/v0/postings"),
    "lever_eu": os.environ.get("JOBMATE_SOURCE_LEVER_EU_URL", "https://api.eu.lever.co/v0/postings"),
    "ashby": os.environ.get("JOBMATE_SOURCE_ASHBY_URL", "https://api.ashbyhq.com/posting-api/job-board"),
    # {board} stands for a company board's name; a base URL without it takes the name as its next path segment.
    "smartrecruiters": os.environ.get("JOBMATE_SOURCE_SMARTRECRUITERS_URL",
                                      "https://api.smartrecruiters.com/v1/companies/{board}/postings"),
    "teamtailor": os.environ.get("JOBMATE_SOURCE_TEAMTAILOR_URL", "https://{board}.teamtailor.com/jobs.rss"),
    "workable": os.environ.get("JOBMATE_SOURCE_WORKABLE_URL", "https://apply.workable.com/api/v1/widget/accounts"),
    "recruitee": os.environ.get("JOBMATE_SOURCE_RECRUITEE_URL", "https://{board}.recruitee.com/api/offers/"),
    "personio": os.environ.get("JOBMATE_SOURCE_PERSONIO_URL", "https://{board}.jobs.personio.de/xml"),
    "remotive": os.environ.get("JOBMATE_SOURCE_REMOTIVE_URL", "https://remotive.com/api/remote-jobs"),
    "remoteok": os.environ.get("JOBMATE_SOURCE_REMOTEOK_URL", "https://remoteok.com/api"),
    "arbeitnow": os.environ.get("JOBMATE_SOURCE_ARBEITNOW_URL", "https://www.arbeitnow.com/api/job-board-api"),
    "weworkremotely": os.environ.get("JOBMATE_SOURCE_WEWORKREMOTELY_URL", "https://weworkremotely.com/remote-jobs.rss"),
    "himalayas": os.environ.get("JOBMATE_SOURCE_HIMALAYAS_URL", "https://himalayas.app/jobs/api/search"),
    "jobicy": os.environ.get("JOBMATE_SOURCE_JOBICY_URL", "https://jobicy.com/api/v2/remote-jobs"),
    "francetravail": os.environ.get("JOBMATE_SOURCE_FRANCETRAVAIL_URL",
                                    "https://api.francetravail.io/partenaire/offresdemploi/v2/offres/search"),
    "francetravail_token": os.environ.get("JOBMATE_SOURCE_FRANCETRAVAIL_TOKEN_URL",
                                          "https://entreprise.francetravail.fr/connexion/oauth2/access_token"
                                          "?realm=/partenaire"),
    "apec": os.environ.get("JOBMATE_SOURCE_APEC_URL", "https://www.apec.fr/cms/webservices/rechercheOffre"),
    "monster": os.environ.get("JOBMATE_SOURCE_MONSTER_URL", "https://rss.jobsearch.monster.com/rssquery.ashx"),
}
# France Travail's API (discovery/sources/francetravail.py) needs an application registered
# on francetravail.io: without its client id and secret the source is not offered.
FRANCETRAVAIL_CLIENT_ID = os.environ.get("FRANCETRAVAIL_CLIENT_ID", "")
FRANCETRAVAIL_CLIENT_SECRET = os.environ.get("FRANCETRAVAIL_CLIENT_SECRET", "")

# --- Outgoing HTTP (jobmate/http.py) -------------------------------------------------------
# The limits of every client from jobmate.http.make_client(): job boards, pages people give,
# the LLM. Seconds per request (read; connecting: at most 5), attempts per request:
JOBMATE_HTTP_TIMEOUT = float(envint("JOBMATE_HTTP_TIMEOUT", 20))
JOBMATE_HTTP_ATTEMPTS = envint("JOBMATE_HTTP_ATTEMPTS", 3)
# Seconds before the first retry of a failed request; doubled each time (a Retry-After of up
# to a minute is waited for instead).
JOBMATE_HTTP_BACKOFF = float(envint("JOBMATE_HTTP_BACKOFF", 2))
# Requests at once to one host, counted across every process that shares this Redis
# (jobmate/hostslots.py); a slot is waited for at most JOBMATE_HTTP_SLOT_WAIT seconds, and a
# slot a killed process held frees itself after JOBMATE_HTTP_SLOT_LEASE seconds.
JOBMATE_HTTP_PER_HOST = envint("JOBMATE_HTTP_PER_HOST", 2)
JOBMATE_HTTP_SLOT_WAIT = envint("JOBMATE_HTTP_SLOT_WAIT", 120)
JOBMATE_HTTP_SLOT_LEASE = envint("JOBMATE_HTTP_SLOT_LEASE", 60)
# Requests at once from one process, to all hosts.
JOBMATE_HTTP_MAX_CONNECTIONS = envint("JOBMATE_HTTP_MAX_CONNECTIONS", 8)
# "host:port" pairs that URLs given by people may reach although they are not public.
# Empty in every deployment; tests use it to stand in a loopback server for a public site.
JOBMATE_FETCH_ALLOWED_HOSTS: list[str] = []

# --- Internationalisation, static files --------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
# No language prefix in URLs: the request's language comes from the switcher's cookie,
# else the browser (LocaleMiddleware), and for a signed-in person from their account
# (jobmate.middleware.user_language, profiles.User.language).
# The switcher's cookie outlives the browser's session, like the account's choice.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Compiled by jobmate/translations.py (make run, make test, the Docker image).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times as each language writes them ("2 Dec 2026", "2 déc. 2026").
FORMAT_MODULE_PATH = ["jobmate.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# Files only their owner may download (uploaded CVs): no URL serves this directory.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", BASE_DIR / "var" / "private"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

MESSAGE_TAGS = {40: "error"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "pgserver": {"level": "WARNING"},
                # fpdf2 subsets the PDFs' fonts with fontTools, which logs every glyph at INFO.
                "fontTools": {"level": "WARNING"}},
}
