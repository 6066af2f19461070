from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from profiles.deletion import delete_account
from profiles.entries import add_entry
from profiles.forms import AdminLoginForm
from profiles.invites import new_token
from profiles.models import Invite, Profile, ProfileEntry, User
from profiles.skills import merge_skills

# The admin's log-in is throttled like the site's (profiles/throttle.py).
admin.site.login_form = AdminLoginForm


class ProfileAdminForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = "__all__"

    def clean_skills(self):
        # The same rule as the profile page: trimmed, unique ignoring case.
        return merge_skills(self.cleaned_data["skills"])


class ProfileInline(admin.StackedInline):
    model = Profile
    form = ProfileAdminForm
    can_delete = False
    fields = ("full_name", "headline", "location", "skills")
    show_change_link = True  # the entries are edited on the profile's own admin page


class ProfileEntryInline(admin.StackedInline):
    model = ProfileEntry
    extra = 0
    fields = (("kind", "position"), "title", ("organisation", "place"), ("start", "end"), "description")
    # Order is changed on the profile page (move up/down); a position typed here could
    # collide with another entry's, which the deferred constraint only finds at commit.
    readonly_fields = ("position",)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = ProfileAdminForm
    list_display = ("user", "full_name", "headline", "location", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "full_name", "headline")
    autocomplete_fields = ("user",)
    readonly_fields = ("updated_at",)
    inlines = [ProfileEntryInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProfileEntry:
            return super().save_formset(request, form, formset, change)
        moved_section = {f.instance.pk for f in formset.forms if f.instance.pk and "kind" in f.changed_data}
        entries = formset.save(commit=False)
        for entry in formset.deleted_objects:
            entry.delete()
        for entry in entries:
            if entry.pk is None or entry.pk in moved_section:
                # A new entry, or one moved to another section, goes last in its section:
                # its old position could be taken there.
                add_entry(profile=form.instance, kind=entry.kind, entry=entry)
            else:
                entry.save()


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ("email", "is_active", "is_staff", "language", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "language", "date_joined")
    search_fields = ("email",)
    ordering = ("-date_joined",)
    readonly_fields = ("date_joined", "last_login")
    inlines = [ProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_inlines(self, request, obj):
        # A new account gets its profile when it is first needed (profile_for).
        return self.inlines if obj is not None else []

    # Deleting here goes the way the person's own deletion goes (profiles/deletion.py): their
    # tasks stopped, their files and sessions removed with their rows.
    def delete_model(self, request, obj):
        delete_account(obj, by="operator")

    def delete_queryset(self, request, queryset):
        for user in queryset:
            delete_account(user, by="operator")


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    """Operators invite people here (or with `manage.py create_invite`). The link is shown
    once, when the invitation is added; only its hash is kept."""

    list_display = ("__str__", "status", "created_by", "created_at", "expires_at", "used_by", "used_at")
    list_filter = (("used_at", admin.EmptyFieldListFilter), "expires_at")
    list_select_related = ("created_by", "used_by")
    search_fields = ("email", "created_by__email", "used_by__email")
    fields = ("email", "expires_at", "created_by", "created_at", "used_by", "used_at")
    readonly_fields = ("created_by", "created_at", "used_by", "used_at")

    @admin.display(description=_("status"))
    def status(self, invite):
        return {"used": _("used"), "expired": _("expired"), "usable": _("usable")}[invite.get_status()]

    def get_changeform_initial_data(self, request):
        return {"expires_at": timezone.now() + timedelta(days=Invite.DEFAULT_DAYS)}

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        obj.created_by = request.user
        token = new_token(obj)
        super().save_model(request, obj, form, change)
        link = request.build_absolute_uri(reverse("signup_invite", args=[token]))
        self.message_user(request, gettext("Copy the invitation link now, it is not shown again: %(link)s")
                          % {"link": link}, messages.WARNING)
