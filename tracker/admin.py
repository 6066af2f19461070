from django.contrib import admin

from tracker.models import Application, ApplicationEvent, Contact, Interview


class ApplicationEventInline(admin.TabularInline):
    """The history is append-only: shown, never edited here."""

    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "from_status", "to_status", "rating", "note", "data")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class InterviewInline(admin.TabularInline):
    model = Interview
    extra = 0


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("offer", "user", "status", "rating", "follow_up_on", "created_at")
    list_filter = ("status",)
    search_fields = ("offer__title", "offer__company", "user__email")
    list_select_related = ("offer", "user")
    raw_id_fields = ("user", "offer")
    # The status changes through tracker/moves.py only, with its history: not here.
    readonly_fields = ("status", "applied_on", "created_at", "updated_at")
    date_hierarchy = "created_at"
    inlines = [ContactInline, InterviewInline, ApplicationEventInline]
