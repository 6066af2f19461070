from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobmate.notifications.models import EmailChoice
from jobmate.redirects import next_url
from profiles.deletion import delete_account
from profiles.entries import add_entry, move_entry, remove_entry
from profiles.forms import (
    IDENTITY_FIELDS,
    IDENTITY_SAVED,
    ApiTokenForm,
    DeleteAccountForm,
    EntryForm,
    InviteForm,
    LoginForm,
    NotificationEmailsForm,
    PasswordResetForm,
    SignupForm,
    RemindersForm,
    SkillsForm,
    TimeZoneForm,
    identity_form,
)
from profiles.invites import InviteUnusable, create_invite, invite_for_token, sign_up
from profiles.models import Invite, Profile, ProfileEntry, User, profile_for
from profiles.skills import add_skills, remove_skill
from profiles.tokens import TokenNameTaken, create_token

_NEW_TOKEN_KEY = "new_api_token"
_NEW_INVITE_KEY = "new_invite"


# --- signing up, logging in --------------------------------------------------------------

def _invite_refusal(token: str | None) -> tuple[Invite | None, str]:
    """The invitation behind `token`, and why it cannot be used ("" when it can)."""
    if token is None:
        return None, "invite_required"
    invite = invite_for_token(token)
    if invite is None:
        return None, "invite_unknown"
    status = invite.get_status()
    return invite, "" if status == "usable" else f"invite_{status}"


def signup(request, token=None):
    """Who may sign up is settings.SIGNUP: anyone (open), with an invitation link (invite:
    /accounts/invite/<token>/), or nobody (closed). A refusal is a page that says why."""
    if request.user.is_authenticated:
        return redirect("home")
    invite, refusal = None, ""
    if settings.SIGNUP == "closed":
        refusal = "closed"
    elif settings.SIGNUP == "invite":
        invite, refusal = _invite_refusal(token)
    if refusal:
        return render(request, "registration/signup.html", {"refusal": refusal, "invite": invite})
    form = SignupForm(request.POST or None, initial={"email": invite.email} if invite else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_up(form=form, invite=invite)
        except InviteUnusable:  # used or withdrawn since the page was shown
            invite, refusal = _invite_refusal(token)
            return render(request, "registration/signup.html",
                          {"refusal": refusal or "invite_used", "invite": invite})
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to JobMate! Your account is ready."))
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form, "invite": invite})


def _throttled(response):
    """A log-in page whose form was refused by the throttle answers 429 with Retry-After."""
    form = (getattr(response, "context_data", None) or {}).get("form")
    if getattr(form, "retry_after", 0):
        response.status_code = 429
        response["Retry-After"] = str(form.retry_after)
    return response


_login_page = auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True)


def log_in(request):
    return _throttled(_login_page(request))


def admin_log_in(request):
    """/admin/login/: the admin's own page, with its form throttled (set in profiles/admin.py)."""
    return _throttled(admin.site.login(request))


# The mail is written in the request's language: the switcher's or the browser's.
password_reset = auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)


# --- language ----------------------------------------------------------------------------

@require_POST
def set_language(request):
    """The switcher (base.html) and the profile's Language choice post here.

    A language: Django's set_language keeps it in a cookie, for this browser, and the
    account keeps it too when someone is signed in (jobmate.middleware.user_language then
    follows it in every browser). An empty one, "the browser's language": the cookie goes
    and the account forgets its choice. Either way back to `next` if it is ours."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        # Sets the cookie; sends back to `next` when it is ours (the check next_url makes).
        response = i18n.set_language(request)
    else:
        response = redirect(next_url(request, default=reverse("home")))
        if language:  # not one of ours (Django knows more languages than we translate)
            return response
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH,
                               domain=settings.LANGUAGE_COOKIE_DOMAIN,
                               samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    if request.user.is_authenticated:
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


# --- time zone -----------------------------------------------------------------------------

@login_required
@require_POST
def time_zone(request):
    """The person's time zone: where "today", what is due and interview times are counted."""
    form = TimeZoneForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Time zone saved: %(zone)s.") % {"zone": request.user.zone.key})
        return redirect(f"{reverse('profile')}#time-zone")
    return _page(request, profile_for(request.user), time_zone_form=form)


@login_required
@require_POST
def reminders(request):
    """Reminder emails on or off, and after how many quiet days an application is listed as
    probably ghosted (empty: never)."""
    form = RemindersForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Reminders saved."))
        return redirect(f"{reverse('profile')}#reminders")
    return _page(request, profile_for(request.user), reminders_form=form)


@login_required
@require_POST
def notification_emails(request):
    """Which kinds of notification also come by email."""
    form = NotificationEmailsForm(request.POST)
    if form.is_valid():
        EmailChoice.objects.update_or_create(user=request.user, defaults={"kinds": form.cleaned_data["kinds"]})
        messages.success(request, _("Notification emails saved."))
    else:
        messages.error(request, _("Those notification emails could not be saved."))
    return redirect(f"{reverse('profile')}#notifications")


@login_required
@require_POST
def calendar_link(request):
    """A new secret address for the calendar feed (the old one stops working)."""
    replaced = bool(request.user.calendar_secret)
    request.user.calendar_link_new()
    messages.success(request, _("New calendar address made: the old one no longer works.") if replaced
                     else _("Calendar address made: add it to your calendar as a subscription."))
    return redirect(f"{reverse('profile')}#calendar")


@login_required
@require_POST
def calendar_link_revoke(request):
    request.user.calendar_link_revoke()
    messages.success(request, _("Calendar address revoked: calendars subscribed to it get nothing more."))
    return redirect(f"{reverse('profile')}#calendar")


def _page(request, profile, *, item=None, section=None, skills_form=None, token_form=None, time_zone_form=None,
          reminders_form=None):
    """The whole profile page; `item` (an identity field), `section`, the skills form or
    the token form in the state given (a form open, errors shown)."""
    identity = [item if item and item["name"] == name else _identity_item(profile, name)
                for name in IDENTITY_FIELDS]
    sections = [section if section and section["kind"] == kind else _section(profile, kind)
                for kind in ProfileEntry.Kind.values]
    return render(
        request,
        "profiles/profile.html",
        {
            "profile": profile,
            "identity": identity,
            "skills_form": skills_form or SkillsForm(),
            "sections": sections,
            "tokens": request.user.api_tokens.all(),
            "token_form": token_form or ApiTokenForm(user=request.user),
            "time_zone_form": time_zone_form or TimeZoneForm(instance=request.user),
            "reminders_form": reminders_form or RemindersForm(instance=request.user),
            "notification_emails_form": NotificationEmailsForm(initial={"kinds": EmailChoice.objects.filter(
                user=request.user).values_list("kinds", flat=True).first() or []}),
            "calendar_url": request.build_absolute_uri(reverse("calendar_feed", args=[request.user.calendar_secret]))
            if request.user.calendar_secret else "",
            # Shown once, right after creation, then gone from the session.
            "new_token": request.session.pop(_NEW_TOKEN_KEY, None),
            # Invitations only mean something while sign-up is by invitation.
            "invites_on": settings.SIGNUP == "invite",
            "invites": _unused_invites(request.user),
            "invite_form": InviteForm(),
            "invite_days": Invite.DEFAULT_DAYS,
            "new_invite": request.session.pop(_NEW_INVITE_KEY, None),
            # A link to drag to the bookmarks bar: it opens "add an offer" with the page
            # being read filled in. It carries no token; the person confirms while signed in.
            "bookmarklet": (
                "javascript:void(window.open('" + request.build_absolute_uri("/offers/add/")
                + "?url='+encodeURIComponent(location.href)))"
            ),
        },
    )


@login_required
def profile(request):
    return _page(request, profile_for(request.user))


# --- identity: full name, headline, location, each edited in place -----------------------

def _identity_name(field: str) -> str:
    if field not in IDENTITY_FIELDS:
        raise Http404("No such profile field.")
    return field


def _identity_item(profile, name, form=None) -> dict:
    return {"name": name, "label": capfirst(Profile._meta.get_field(name).verbose_name),
            "value": getattr(profile, name), "field": form[name] if form is not None else None}


@login_required
@require_GET
def identity_field(request, field):
    """The field as shown (what Cancel brings back)."""
    name = _identity_name(field)
    if not request.htmx:
        return redirect(reverse("profile") + "#identity")
    return render(request, "profiles/profile.html#identity-field",
                  {"item": _identity_item(profile_for(request.user), name)})


@login_required
@require_http_methods(["GET", "POST"])
def identity_field_edit(request, field):
    name = _identity_name(field)
    profile = profile_for(request.user)
    form = identity_form(name, request.POST if request.method == "POST" else None, instance=profile)
    if form.is_bound and form.is_valid():
        form.save(commit=False)
        profile.save(update_fields=[name, "updated_at"])
        item = _identity_item(profile, name)
        messages.success(request, IDENTITY_SAVED[name])
        if request.htmx:
            return render(request, "profiles/profile.html#identity-field", {"item": item})
        return redirect(reverse("profile") + "#identity")
    item = _identity_item(profile, name, form)
    if request.htmx:
        return render(request, "profiles/profile.html#identity-field", {"item": item})
    return _page(request, profile, item=item)


# --- skills ------------------------------------------------------------------------------

def _skills_response(request, profile, form=None, message=""):
    if message:
        messages.success(request, message)
    if request.htmx:
        return render(request, "profiles/profile.html#skills",
                      {"profile": profile, "skills_form": form or SkillsForm()})
    if form is not None:
        return _page(request, profile, skills_form=form)
    return redirect(reverse("profile") + "#skills")


@login_required
@require_POST
def skills_add(request):
    profile = profile_for(request.user)
    form = SkillsForm(request.POST)
    if form.is_valid():
        try:
            add_skills(profile=profile, skills=form.cleaned_data["skills"])
        except ValidationError as exc:
            form.add_error("skills", exc)
    if form.errors:
        return _skills_response(request, profile, form)
    added = form.cleaned_data["skills"]
    if len(added) == 1:
        message = _("“%(skill)s” is added to your skills.") % {"skill": added[0]}
    else:
        message = ngettext(
            "%(count)d skill is added to your skills: %(skills)s.",
            "%(count)d skills are added to your skills: %(skills)s.", len(added),
        ) % {"count": len(added), "skills": ", ".join(added)}
    return _skills_response(request, profile, message=message)


@login_required
@require_POST
def skill_remove(request):
    profile = profile_for(request.user)
    skill = request.POST.get("skill", "")
    removed = remove_skill(profile=profile, skill=skill)
    return _skills_response(request, profile,
                            message=_("“%(skill)s” removed from your skills.") % {"skill": skill} if removed else "")


# --- sections: experience, education, certifications, projects ---------------------------

def _section_kind(kind: str) -> str:
    if kind not in ProfileEntry.Kind.values:
        raise Http404("No such profile section.")
    return kind


def _get_entry_for_user(user, entry_id) -> ProfileEntry:
    return get_object_or_404(ProfileEntry.objects.select_related("profile"), pk=entry_id, profile__user=user)


def _section(profile, kind, *, form=None, editing=None) -> dict:
    return {
        "kind": kind,
        "label": ProfileEntry.Kind(kind).label,
        "entries": list(ProfileEntry.objects.filter(profile=profile, kind=kind)),
        "form": form,
        "editing": editing,  # the id of the entry being edited
        "adding": form is not None and editing is None,
    }


def _section_response(request, profile, section):
    """The section with its form open (or its errors shown)."""
    if request.htmx:
        return render(request, "profiles/profile.html#entries-section", {"section": section})
    return _page(request, profile, section=section)


def _section_changed(request, profile, kind, message):
    if message:
        messages.success(request, message)
    if request.htmx:
        return render(request, "profiles/profile.html#entries-section", {"section": _section(profile, kind)})
    return redirect(reverse("profile") + "#" + kind)


@login_required
@require_GET
def section(request, kind):
    """The section as shown (what Cancel brings back)."""
    kind = _section_kind(kind)
    if not request.htmx:
        return redirect(reverse("profile") + "#" + kind)
    return render(request, "profiles/profile.html#entries-section",
                  {"section": _section(profile_for(request.user), kind)})


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request, kind):
    kind = _section_kind(kind)
    profile = profile_for(request.user)
    form = EntryForm(request.POST if request.method == "POST" else None, kind=kind)
    if form.is_bound and form.is_valid():
        entry = add_entry(profile=profile, kind=kind, entry=form.save(commit=False))
        return _section_changed(request, profile, kind, _("“%(title)s” added.") % {"title": entry.title})
    return _section_response(request, profile, _section(profile, kind, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, entry_id):
    entry = _get_entry_for_user(request.user, entry_id)
    profile, kind = entry.profile, entry.kind
    form = EntryForm(request.POST if request.method == "POST" else None, instance=entry, kind=kind)
    if form.is_bound and form.is_valid():
        entry = form.save(commit=False)
        # Only what the form edits: a move made meanwhile in another tab keeps its position.
        entry.save(update_fields=EntryForm.Meta.fields)
        return _section_changed(request, profile, kind, _("“%(title)s” saved.") % {"title": entry.title})
    return _section_response(request, profile, _section(profile, kind, form=form, editing=entry.pk))


@login_required
@require_POST
def entry_move(request, entry_id):
    entry = _get_entry_for_user(request.user, entry_id)
    move_entry(entry=entry, direction=request.POST.get("direction", ""))
    return _section_changed(request, entry.profile, entry.kind, "")


@login_required
@require_POST
def entry_remove(request, entry_id):
    entry = _get_entry_for_user(request.user, entry_id)
    remove_entry(entry=entry)
    return _section_changed(request, entry.profile, entry.kind, _("“%(title)s” removed.") % {"title": entry.title})


# --- personal access tokens --------------------------------------------------------------

@login_required
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            token, secret = create_token(user=request.user, name=form.cleaned_data["name"])
        except TokenNameTaken:  # made in another tab since the form checked
            form.add_error("name", form.name_taken_error())
        else:
            request.session[_NEW_TOKEN_KEY] = {"name": token.name, "secret": secret}
            return redirect(reverse("profile") + "#tokens")
    # The page again, the name as typed and what is wrong with it beside the field.
    return _page(request, profile_for(request.user), token_form=form)


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    token.delete()
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect(reverse("profile") + "#tokens")


# --- invitations (SIGNUP=invite) ---------------------------------------------------------

def _unused_invites(user):
    return user.invites_sent.filter(used_at__isnull=True, expires_at__gt=timezone.now())


@login_required
@require_POST
def invite_create(request):
    if settings.SIGNUP != "invite":
        raise Http404("Sign-up is not by invitation.")
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid email address, or leave it empty."))
        return redirect(reverse("profile") + "#invites")
    invite, token = create_invite(created_by=request.user, email=form.cleaned_data["email"])
    request.session[_NEW_INVITE_KEY] = {
        "email": invite.email,
        "link": request.build_absolute_uri(reverse("signup_invite", args=[token])),
    }
    return redirect(reverse("profile") + "#invites")


@login_required
@require_POST
def invite_revoke(request, invite_id):
    invite = get_object_or_404(_unused_invites(request.user), pk=invite_id)
    invite.delete()
    messages.success(request, _("The invitation is revoked: its link no longer works."))
    return redirect(reverse("profile") + "#invites")


# --- deleting the account ----------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """What goes, and the password to confirm; then the account goes, the person is signed
    out and lands on the home page. A password refused too often answers 429."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, request=request)
    if form.is_bound and form.is_valid():
        delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account and everything in it are deleted. Thank you for using JobMate."))
        return redirect("home")
    status = 429 if form.retry_after else 400 if form.is_bound else 200
    response = render(request, "profiles/account_delete.html", {"form": form}, status=status)
    if form.retry_after:
        response["Retry-After"] = str(form.retry_after)
    return response
