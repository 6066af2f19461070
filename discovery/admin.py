from django.contrib import admin, messages
from django.utils.translation import gettext_lazy, ngettext

from discovery import health
from discovery.models import Offer, SearchConfig, SourceCall
from discovery.scheduling import start_scrape


@admin.register(SearchConfig)
class SearchConfigAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "frequency", "is_active", "last_run_at", "created_at")
    list_filter = ("is_active", "frequency", "remote_policy")
    search_fields = ("name", "user__email", "keywords")
    list_select_related = ("user",)
    raw_id_fields = ("user", "last_task")
    readonly_fields = ("last_run_at", "last_task", "created_at")
    actions = ["run_now"]

    @admin.action(description=gettext_lazy("Run the selected searches now"))
    def run_now(self, request, queryset):
        started = [task for config in queryset if (task := start_scrape(config=config)) is not None]
        self.message_user(request, ngettext("Started %(count)d search; the others were already running.",
                                            "Started %(count)d searches; the others were already running.",
                                            len(started)) % {"count": len(started)},
                          messages.SUCCESS)


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("title", "company", "user", "source", "status", "relevance", "created_at")
    list_filter = ("status", "source", "remote", "is_manual")
    search_fields = ("title", "company", "user__email", "canonical_url")
    list_select_related = ("user",)
    raw_id_fields = ("user", "search_config")
    readonly_fields = ("fingerprint", "raw_data", "relevance_details", "also_found_on", "created_at", "decided_at")
    date_hierarchy = "created_at"


@admin.register(SourceCall)
class SourceCallAdmin(admin.ModelAdmin):
    """Every search of a board, with the sources' health above the list. Written by the
    scrapes only: read here, never edited."""

    change_list_template = "admin/discovery/sourcecall/change_list.html"
    list_display = ("at", "source", "board", "outcome", "reason", "detail", "seconds")
    list_filter = ("outcome", "source")
    search_fields = ("board", "detail")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "health": health.report()})
