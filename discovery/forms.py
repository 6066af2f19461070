import re
from string import Formatter

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, ngettext

from discovery.models import Offer, RemotePolicy, SearchConfig
from discovery.sources import BOARD_SOURCES, KEYWORD_SOURCES
from discovery.sources.base import SourceError, available_sources, board_address, is_available

MAX_KEYWORDS = 20
MAX_RED_FLAGS = 50
MAX_BOARDS = 30


def split_terms(value: str) -> list[str]:
    return [term.strip() for term in value.replace("\n", ",").split(",") if term.strip()]


def unique_terms(terms: list[str]) -> list[str]:
    """The terms without repeats (case-insensitive), first spelling kept, order kept."""
    seen, kept = set(), []
    for term in terms:
        if term.casefold() not in seen:
            seen.add(term.casefold())
            kept.append(term)
    return kept


class TermsField(forms.CharField):
    """Several short terms typed in one box, separated by commas or lines (or, from the
    JSON API, a list of texts)."""

    takes_list = True  # see jobmate.jsonbody.bound_form

    def __init__(self, *, max_terms: int, term_length: int = 100, **kwargs):
        self.max_terms, self.term_length = max_terms, term_length
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, (list, tuple)) else value

    def to_python(self, value):
        if isinstance(value, (list, tuple)):  # each item may itself hold several, as typed
            value = ",".join(value)
        return unique_terms(split_terms(super().to_python(value)))

    def validate(self, value):
        super().validate(value)
        too_long = [term for term in value if len(term) > self.term_length]
        if too_long:
            raise forms.ValidationError(
                gettext("“%(term)s…” is too long: keep each one under %(length)d characters.")
                % {"term": too_long[0][:30], "length": self.term_length})
        if len(value) > self.max_terms:
            raise forms.ValidationError(gettext("At most %(limit)d, please (you gave %(count)d).")
                                        % {"limit": self.max_terms, "count": len(value)})

    def run_validators(self, value):
        # The length limit (max_length) is about the text typed in, not each term.
        return super().run_validators(self.prepare_value(value))


def keyword_source_choices() -> list[tuple[str, str]]:
    """The keyword sources a person may pick: those this JobMate can use now (one needing
    credentials its operator has not configured is not offered)."""
    return [(name, module.LABEL) for name, module in available_sources(KEYWORD_SOURCES).items()]


def usable_keyword_sources() -> list[str]:
    return [name for name, _label in keyword_source_choices()]


class KeywordSourcesField(forms.MultipleChoiceField):
    """The keyword sources to search, ticked on a page or listed in the API. One that
    JobMate knows but this JobMate cannot use is refused by name, saying why."""

    def validate(self, value):
        for name in value:
            module = KEYWORD_SOURCES.get(name)
            if module is not None and not is_available(module):
                raise forms.ValidationError(
                    gettext("%(board)s is not set up on this JobMate (its operator has not configured it): "
                            "pick another board.") % {"board": module.LABEL}, code="unavailable")
        super().validate(value)


class SearchForm(forms.Form):
    """An ad-hoc search, or "run saved search X". The JSON API binds it too."""

    keywords = TermsField(
        max_terms=MAX_KEYWORDS, label=gettext_lazy("Keywords"),
        help_text=gettext_lazy("Separate several with commas: python, django"),
        widget=forms.TextInput(attrs={"placeholder": "python, django", "autofocus": True}),
    )
    location = forms.CharField(required=False, max_length=120, label=gettext_lazy("Location"),
                               widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Paris")}))
    remote_policy = forms.ChoiceField(
        choices=RemotePolicy.choices, initial=RemotePolicy.ANY, label=gettext_lazy("Remote"),
        error_messages={"invalid_choice": format_lazy(gettext_lazy("Unknown remote policy “%(value)s”. Use: {}."),
                                                      ", ".join(RemotePolicy.values))},
    )
    sources = KeywordSourcesField(
        choices=keyword_source_choices, label=gettext_lazy("Sources"),
        initial=usable_keyword_sources, widget=forms.CheckboxSelectMultiple, required=False,
        error_messages={"invalid_choice": format_lazy(gettext_lazy("Unknown source “%(value)s”. Use: {}."),
                                                      lazy(lambda: ", ".join(usable_keyword_sources()), str)())},
    )
    saved_search = forms.ModelChoiceField(queryset=SearchConfig.objects.none(), required=False,
                                          label=gettext_lazy("Saved search"),
                                          empty_label=gettext_lazy("— or run a saved search —"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_search"].queryset = SearchConfig.objects.filter(user=user)

    def clean(self):
        data = super().clean()
        if data.get("saved_search"):
            return data
        if "keywords" in data and not data["keywords"]:
            self.add_error("keywords", gettext("Type at least one keyword, or pick a saved search."))
        if "sources" in data and not data["sources"]:
            self.add_error("sources", gettext("Pick at least one job board."))
        return data


def checked_url(url: str) -> str:
    """A link a person gives, refused with the reason when it is no address JobMate may
    fetch (a scheme other than http(s), credentials, no host). Where it leads is checked
    when it is fetched (jobmate.http, guarded)."""
    from jobmate.urlsafety import UnsafeURL, check_url

    try:
        check_url(url)
    except UnsafeURL as exc:
        raise forms.ValidationError(str(exc)) from None
    return url


class AddByUrlForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("Link to the job offer"), max_length=2000, assume_scheme="https",
                         error_messages={"required": gettext_lazy("Give the link to the job offer.")},
                         widget=forms.URLInput(attrs={"placeholder": "https://…", "autofocus": True}))

    def clean_url(self):
        return checked_url(self.cleaned_data["url"])


class ManualOfferForm(forms.Form):
    company = forms.CharField(max_length=200, label=gettext_lazy("Company"))
    title = forms.CharField(max_length=300, label=gettext_lazy("Job title / profile sought"))
    location = forms.CharField(max_length=200, required=False, label=gettext_lazy("Location"))
    contract_type = forms.ChoiceField(choices=Offer.ContractType.choices, required=False,
                                      label=gettext_lazy("Contract type"))
    start_date = forms.DateField(required=False, label=gettext_lazy("Start date"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    url = forms.URLField(required=False, max_length=2000, assume_scheme="https",
                         label=gettext_lazy("Link (optional)"))
    company_description = forms.CharField(required=False, max_length=5000, label=gettext_lazy("About the company"),
                                          widget=forms.Textarea(attrs={"rows": 3}))
    why_us = forms.CharField(required=False, max_length=5000, label=gettext_lazy("Why this company"),
                             widget=forms.Textarea(attrs={"rows": 3}))


# --- Saved searches ---------------------------------------------------------------------

# Placeholders a cover-letter template may use, with what each becomes.
COVER_LETTER_PLACEHOLDERS = {
    "company": gettext_lazy("the company's name"),
    "title": gettext_lazy("the job title"),
    "skills": gettext_lazy("your skills that the offer asks for"),
    "location": gettext_lazy("the offer's location"),
    "name": gettext_lazy("your full name"),
}

# ISO 4217 codes of currencies in use (funds, metals and test codes left out).
CURRENCIES = frozenset("""
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP
    GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD
    KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK
    NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS
    SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST
    XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
""".split())

# A board's name as it appears in the board's address (boards.greenhouse.io/acme-inc);
# no dots or slashes, since the name becomes part of the URL path.
BOARD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
BOARD_ADDRESSES = {  # help texts (HTML): where a person finds a board's name
    "greenhouse": "boards.greenhouse.io/<b>acme</b> → acme",
    "lever": "jobs.lever.co/<b>acme</b> → acme",
    "ashby": "jobs.ashbyhq.com/<b>acme</b> → acme",
    "smartrecruiters": "jobs.smartrecruiters.com/<b>Acme</b> → Acme",
    "teamtailor": "<b>acme</b>.teamtailor.com → acme",
    "workable": "apply.workable.com/<b>acme</b> → acme",
    "recruitee": "<b>acme</b>.recruitee.com → acme",
    "personio": "<b>acme</b>.jobs.personio.de → acme",
}


def is_board_name(source: str, board: str) -> bool:
    """`board` can name a board of `source`: a plain name, and one DNS label where the
    source's address puts the board in the host name (acme.recruitee.com: no "_")."""
    if not BOARD_NAME.fullmatch(board):
        return False
    try:
        board_address(settings.JOBMATE_SOURCE_URLS.get(source, ""), board)
    except SourceError:
        return False
    return True


def _unmatched_brace(template: str) -> int:
    """Where the first brace without its pair is (-1: none found), to point at it."""
    i = 0
    while i < len(template):
        if template.startswith(("{{", "}}"), i):
            i += 2
        elif template[i] == "}":
            return i
        elif template[i] == "{":
            end, opening = template.find("}", i), template.find("{", i + 1)
            if end == -1 or -1 < opening < end:
                return i
            i = end + 1
        else:
            i += 1
    return -1


def cover_letter_problems(template: str) -> list[str]:
    """What is wrong with a cover-letter template's placeholders (nothing: an empty list)."""
    try:
        fields = [(name, conversion, spec) for _, name, spec, conversion in Formatter().parse(template)
                  if name is not None]
    except ValueError:
        where = _unmatched_brace(template)
        near = " ".join(template[max(0, where - 30):where + 20].split()) if where >= 0 else ""
        return [(gettext("The brace in “%(near)s” is not matched.") % {"near": near} if near
                 else gettext("A brace is not matched.")) + " "
                + gettext("Placeholders look like {company}; to write a brace itself, double it: {{ or }}.")]
    unknown = unique_terms([name for name, _, _ in fields if name not in COVER_LETTER_PLACEHOLDERS])
    problems = []
    if unknown:
        shown = ", ".join("{" + name + "}" for name in unknown)
        allowed = ", ".join("{" + name + "}" for name in COVER_LETTER_PLACEHOLDERS)
        problems.append(ngettext("Unknown placeholder %(shown)s. Use %(allowed)s.",
                                 "Unknown placeholders %(shown)s. Use %(allowed)s.", len(unknown))
                        % {"shown": shown, "allowed": allowed})
    # `{company!r}`, `{title:>20}`: formatting is not ours to offer, and a nested field
    # in a format spec would slip past the check above.
    styled = unique_terms([name for name, conversion, spec in fields
                           if name in COVER_LETTER_PLACEHOLDERS and (conversion or spec)])
    if styled:
        problems.append(gettext("Write placeholders plainly, without ! or : inside the braces: %(names)s.")
                        % {"names": ", ".join("{" + name + "}" for name in styled)})
    return problems


class SearchConfigForm(forms.ModelForm):
    keywords = TermsField(
        max_terms=MAX_KEYWORDS, label=gettext_lazy("Keywords"),
        help_text=gettext_lazy("Separate several with commas: python, django. "
                               "Each one is searched on every board you pick."),
        widget=forms.TextInput(attrs={"placeholder": "python, django"}),
    )
    red_flags = TermsField(
        max_terms=MAX_RED_FLAGS, label=gettext_lazy("Red flags"),
        help_text=gettext_lazy("Offers mentioning any of these are filtered out (you can still see them): "
                               "unpaid, 10 years"),
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("unpaid, commission only")}),
    )
    target_salary = forms.IntegerField(
        required=False, min_value=0, max_value=100_000_000, label=gettext_lazy("Target salary"),
        help_text=gettext_lazy("Yearly, gross. Offers paying less rank lower."),
        widget=forms.NumberInput(attrs={"placeholder": "55000", "inputmode": "numeric"}),
    )
    salary_currency = forms.CharField(
        # Longer than a code, so a wrong entry ("EURO") gets our message, not a length limit.
        # No placeholder: a grey "EUR" in an empty box reads as a value that is not there.
        required=False, max_length=12, label=gettext_lazy("Currency"),
        help_text=gettext_lazy("A 3-letter ISO code: EUR, USD, GBP…"),
        widget=forms.TextInput(attrs={"size": 3, "autocapitalize": "characters", "class": "mono"}),
    )
    sources = KeywordSourcesField(
        choices=keyword_source_choices, required=False,
        widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Job boards"),
        help_text=gettext_lazy("Searched with each keyword."),
    )
    cover_letter_template = forms.CharField(
        required=False, max_length=10_000, label=gettext_lazy("Cover-letter template"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": gettext_lazy("Dear {company} team,\n\nYour {title} role…")}),
    )

    class Meta:
        model = SearchConfig
        fields = ["name", "keywords", "red_flags", "location", "remote_policy", "target_salary",
                  "salary_currency", "sources", "frequency", "cover_letter_template", "is_active"]
        labels = {"name": gettext_lazy("Name"), "location": gettext_lazy("Location"),
                  "remote_policy": gettext_lazy("Remote"), "frequency": gettext_lazy("Frequency"),
                  "is_active": gettext_lazy("Active (runs on its schedule)")}
        widgets = {"name": forms.TextInput(attrs={"placeholder": gettext_lazy("Python jobs in Paris")}),
                   "location": forms.TextInput(attrs={"placeholder": gettext_lazy("Paris")})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is None:
            self.instance.user = user
            self.fields["sources"].initial = usable_keyword_sources()
        self.fields["frequency"].help_text = gettext("How often JobMate runs it by itself; “Run now” works at any time.")
        self.fields["is_active"].help_text = gettext(
            "Untick to pause the schedule and keep it. With the frequency Off, it runs only when you say.")
        self.fields["cover_letter_template"].help_text = gettext("Placeholders: %(list)s.") % {"list": "; ".join(
            f"{{{name}}} — {meaning}" for name, meaning in COVER_LETTER_PLACEHOLDERS.items())}
        # One box per company-board source, after the keyword sources.
        boards = self.instance.company_boards or {}
        for name, module in BOARD_SOURCES.items():
            self.fields[self.board_field(name)] = forms.CharField(
                required=False, max_length=2000, label=gettext("%(board)s boards") % {"board": module.LABEL},
                initial=", ".join(boards.get(name, [])),
                help_text=gettext("Names from the board's address, separated by commas: %(example)s")
                % {"example": BOARD_ADDRESSES.get(name, "acme")},
                widget=forms.TextInput(attrs={"placeholder": "acme, globex", "autocapitalize": "none",
                                              "spellcheck": "false"}),
            )
        self.order_fields([*self.Meta.fields[:8], *map(self.board_field, BOARD_SOURCES)])

    @staticmethod
    def board_field(source: str) -> str:
        return f"boards_{source}"

    def board_fields(self):
        return [self[self.board_field(name)] for name in BOARD_SOURCES]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = SearchConfig.objects.filter(user=self.user, name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(gettext("You already have a saved search named “%(name)s”.") % {"name": name})
        return name

    def clean_salary_currency(self):
        code = self.cleaned_data["salary_currency"].strip().upper()
        if code and code not in CURRENCIES:
            raise forms.ValidationError(gettext("“%(code)s” is not an ISO currency code: use three letters such as "
                                                "EUR, USD or GBP.") % {"code": code})
        return code

    def clean_cover_letter_template(self):
        template = self.cleaned_data["cover_letter_template"]
        if problems := cover_letter_problems(template):
            raise forms.ValidationError(problems)
        return template

    def _clean_boards(self, source: str) -> list[str]:
        name = self.board_field(source)
        boards = unique_terms(split_terms(self.cleaned_data.get(name, "")))
        wrong = [board for board in boards if not is_board_name(source, board)]
        if wrong:
            self.add_error(name, ngettext("Not a board name: %(names)s.", "Not board names: %(names)s.", len(wrong))
                           % {"names": ", ".join("“" + b[:40] + "”" for b in wrong)} + " "
                           + gettext("Use the name from the board's address, e.g. acme or acme-inc "
                                     "(letters, digits, - and _)."))
        elif len(boards) > MAX_BOARDS:
            self.add_error(name, gettext("At most %(limit)d boards, please (you gave %(count)d).")
                           % {"limit": MAX_BOARDS, "count": len(boards)})
        return boards

    def clean(self):
        data = super().clean()
        boards = {source: self._clean_boards(source) for source in BOARD_SOURCES}
        self.instance.company_boards = {source: names for source, names in boards.items() if names}
        has_boards = any(boards.values())
        if "keywords" in data and not data["keywords"] and not has_boards:
            self.add_error("keywords", gettext("Add at least one keyword, or a company board below."))
        elif data.get("keywords") and "sources" in data and not data["sources"] and not has_boards:
            self.add_error("sources", gettext("Pick at least one job board for the keywords, or add a company board."))
        if data.get("target_salary") is not None and "salary_currency" in data and not data["salary_currency"]:
            self.add_error("salary_currency", gettext("Give the currency of the target salary."))
        return data


# --- A careers page's boards (discovery/careers.py) -------------------------------------

class CareersPageForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("Careers page address"), max_length=2000, assume_scheme="https",
                         error_messages={"required": gettext_lazy("Give the address of the company's careers page.")},
                         widget=forms.URLInput(attrs={"placeholder": "https://acme.example/careers",
                                                      "autofocus": True}))

    def clean_url(self):
        return checked_url(self.cleaned_data["url"])


class CareersBoardForm(forms.Form):
    """Add one board a careers page points to into a saved search: `search` is the id of
    one of the person's searches (the view looks it up, a 404 for anyone else's) or "new"."""

    source = forms.ChoiceField(choices=[(name, module.LABEL) for name, module in BOARD_SOURCES.items()],
                               error_messages={"invalid_choice": gettext_lazy("JobMate does not read boards of "
                                                                              "“%(value)s”.")})
    board = forms.CharField(max_length=100)
    search = forms.RegexField(regex=r"^(?:new|[0-9]{1,18})$", max_length=20,
                              error_messages={"invalid": gettext_lazy("Pick a saved search.")})

    def clean_board(self):
        board = self.cleaned_data["board"].strip()
        if not is_board_name(self.cleaned_data.get("source", ""), board):
            raise forms.ValidationError(gettext("“%(name)s” is not the name of a board.") % {"name": board[:40]})
        return board
