from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from profiles.forms import ApiTokenForm, SignupForm
from profiles.tokens import create_token

_NEW_TOKEN_KEY = "new_api_token"


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to JobMate! Your account is ready.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def profile(request):
    return render(
        request,
        "profiles/profile.html",
        {
            "tokens": request.user.api_tokens.all(),
            "token_form": ApiTokenForm(),
            # Shown once, right after creation, then gone from the session.
            "new_token": request.session.pop(_NEW_TOKEN_KEY, None),
            # A link to drag to the bookmarks bar: it opens "add an offer" with the page
            # being read filled in. It carries no token; the person confirms while signed in.
            "bookmarklet": (
                "javascript:void(window.open('" + request.build_absolute_uri("/offers/add/")
                + "?url='+encodeURIComponent(location.href)))"
            ),
        },
    )


@login_required
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the token a name of at most 100 characters.")
        return redirect("profile")
    token, secret = create_token(user=request.user, name=form.cleaned_data["name"])
    request.session[_NEW_TOKEN_KEY] = {"name": token.name, "secret": secret}
    return redirect("profile")


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    token.delete()
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("profile")
