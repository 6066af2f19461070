from django.contrib import admin

from coach.models import Analysis, Cv, Document, LlmCall


@admin.register(LlmCall)
class LlmCallAdmin(admin.ModelAdmin):
    """The ledger, read-only: rows are written by coach/llm.py alone."""

    list_display = ("created_at", "user", "purpose", "model", "mode", "tokens_in", "tokens_out", "latency_ms",
                    "outcome", "cost")
    list_filter = ("outcome", "purpose", "mode", "model", "created_at")
    search_fields = ("user__email", "model", "error")
    list_select_related = ("user",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the month's budget is counted from these rows


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    """The analyses, to look at: written by coach/analysis.py alone (delete one to have it
    made again)."""

    list_display = ("updated_at", "user", "offer", "engine", "status", "score", "model", "tokens_in", "tokens_out")
    list_filter = ("engine", "status", "model")
    search_fields = ("user__email", "offer__title", "offer__company")
    list_select_related = ("user", "offer")
    raw_id_fields = ("user", "offer", "task")
    date_hierarchy = "updated_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Cv)
class CvAdmin(admin.ModelAdmin):
    """The people's CVs and where their import stands (the file is theirs: not linked here)."""

    list_display = ("uploaded_at", "user", "name", "size", "pages", "status", "engine")
    list_filter = ("status", "engine")
    search_fields = ("user__email", "name")
    list_select_related = ("user",)
    raw_id_fields = ("user", "task")
    exclude = ("file",)
    readonly_fields = ("name", "size", "pages", "status", "text", "found", "engine", "accepted", "uploaded_at")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("updated_at", "user", "offer", "engine", "model")
    list_filter = ("engine",)
    search_fields = ("user__email", "offer__title", "offer__company")
    list_select_related = ("user", "offer")
    raw_id_fields = ("user", "offer", "task")
