"""The funnel picture (/stats/): the figures of tracker/stats.py as bars, each with its number
written beside it, so the page reads without the picture (and under a CSP that allows no
inline style: a bar is an SVG <rect> whose width is an attribute)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from tracker import stats as funnel


@dataclass
class Bar:
    """One row of a chart: its words, its figure as text, and its length in percent of the
    chart's width (a whole number; None: no bar, the text alone)."""

    label: str
    value: str
    width: int | None
    detail: str = ""


def _width(value: float, largest: float) -> int:
    if not largest or value <= 0:
        return 0
    return max(1, round(100 * value / largest))  # a little is not nothing


def _counts(rows: list[funnel.StatusCount]) -> list[Bar]:
    largest = max((row.count for row in rows), default=0)
    return [Bar(row.label, formats.localize(row.count), _width(row.count, largest)) for row in rows]


def _ratios(rows: list[tuple[str, funnel.Ratio]]) -> list[Bar]:
    """A bar for a percentage; under MIN_FOR_PERCENT applications, the counts alone."""
    return [Bar(label, ratio.text, ratio.percent, ratio.counts_text if ratio.percent is not None else "")
            for label, ratio in rows]


def _stage_times(rows: list[funnel.StageTime]) -> list[Bar]:
    # Widths from the figures as shown: four medians of a few minutes all read "0", and none gets a bar.
    shown = {row.status: round(row.median_days, 1) for row in rows if row.median_days is not None}
    largest = max(shown.values(), default=0)
    bars = []
    for row in rows:
        detail = [ngettext("%(count)s application left it", "%(count)s applications left it",
                           row.applications) % {"count": row.applications}]
        if row.still_there:
            detail.append(ngettext("%(count)s still there", "%(count)s still there",
                                   row.still_there) % {"count": row.still_there})
        if row.median_days is None:
            bars.append(Bar(row.label, "—", None, " · ".join(detail)))
        else:
            bars.append(Bar(row.label, floatformat(shown[row.status], -1), _width(shown[row.status], largest),
                            " · ".join(detail)))
    return bars


@dataclass
class WeekBar:
    label: str
    counts: list[str]  # each one whole on a line: "4 approved", "1 rejected"
    approved: int  # widths, in percent of the chart's
    rejected: int


def _weeks(weeks: list[funnel.Week], this_week) -> list[WeekBar]:
    largest = max((week.total for week in weeks), default=0)
    bars = []
    for week in weeks:
        label = (_("This week") if week.start == this_week
                 else _("Week of %(date)s") % {"date": formats.date_format(week.start, "MONTH_DAY_FORMAT")})
        if week.total:
            counts = [
                ngettext("%(count)s approved", "%(count)s approved", week.approved) % {"count": week.approved},
                ngettext("%(count)s rejected", "%(count)s rejected", week.rejected) % {"count": week.rejected},
            ]
        else:
            counts = [pgettext("offers triaged in a week", "none")]
        approved = _width(week.approved, largest)
        bars.append(WeekBar(label, counts, approved, min(_width(week.rejected, largest), 100 - approved)))
    return bars


@login_required
def stats(request):
    figures = funnel.stats_for(request.user)
    return render(request, "tracker/stats.html", {
        "figures": figures,
        "statuses": _counts(figures.statuses),
        "reached": _counts(figures.reached),
        "steps": _ratios([(f"{step.from_label} → {step.to_label}", step.ratio) for step in figures.steps]),
        "stage_times": _stage_times(figures.stage_times),
        "by_source": _ratios([(row.label, row.ratio) for row in figures.by_source]),
        "by_search": _ratios([(row.label, row.ratio) for row in figures.by_search]),
        "weeks": _weeks(figures.weeks, figures.this_week),
        "triaged": any(week.total for week in figures.weeks),
        "min_for_percent": funnel.MIN_FOR_PERCENT,
    })
