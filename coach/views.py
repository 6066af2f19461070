from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from coach import llm
from coach.models import LlmCall

# The month's calls listed on the usage page, newest first; the totals count them all.
CALLS_SHOWN = 50


@login_required
def usage(request):
    """The signed-in person's use of the LLM this month: calls, tokens, cost, budget."""
    usage = llm.month_usage(request.user)
    calls = LlmCall.objects.filter(user=request.user, created_at__gte=usage.since)[:CALLS_SHOWN]
    return render(request, "coach/usage.html", {
        "usage": usage,
        "calls": [(call, llm.PURPOSES.get(call.purpose, call.purpose), call.latency_ms / 1000) for call in calls],
        "configured": llm.is_configured(),
        "model": llm.configured_model(),
        "priced": llm.cost(0, 0) is not None,
        "currency": settings.LLM_PRICE_CURRENCY,
    })
