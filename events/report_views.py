"""The park's events report: GET /event/report/?start=YYYY-MM-DD&end=YYYY-MM-DD[&format=xlsx].

Park staff only (events.permissions.can_see_report): anyone else signed in gets 404, a visitor
is sent to log in. Without dates the report covers the current academic year (1 September to
31 August, in the park's time zone); bad or reversed dates are said on the page."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from assessments import date_range
from events import permissions, report_charts, report_xlsx, reports

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("", "html", "xlsx")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class RangeForm(forms.Form):
    """The report's dates; a missing one is taken from the academic year of the other (or of
    today)."""

    start = forms.DateField(label=_("First day"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Last day"), required=False, widget=DateInput())

    def __init__(self, data=None, *, today: date):
        super().__init__(data)
        self.today = today

    def _in_years(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        first, last = date_range.years()
        if value is not None and not first <= value.year <= last:
            raise forms.ValidationError(
                _("Enter a date between the years %(first)d and %(last)d."),
                code="date_out_of_range",
                params={"first": first, "last": last},
            )
        return value

    def clean_start(self) -> date | None:
        return self._in_years("start")

    def clean_end(self) -> date | None:
        return self._in_years("end")

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        start, end = data.get("start"), data.get("end")
        if start is None:
            start = reports.academic_year(end or self.today)[0]
        if end is None:
            end = reports.academic_year(start)[1]
        if end < start:
            raise forms.ValidationError(
                _("The range ends before it starts: the second date must not be earlier."),
                code="reversed",
            )
        data["start"], data["end"] = start, end
        return data


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_report(request.user):
        raise Http404
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        raise Http404
    today = reports.local_today()
    given = {key: request.GET[key] for key in ("start", "end") if key in request.GET}
    form = RangeForm(given, today=today)
    context: dict = {"form": form, "today": today}
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        data = reports.build(start, end)
        if fmt == "xlsx":
            response = HttpResponse(report_xlsx.workbook(data), content_type=XLSX_TYPE)
            filename = f"events-report-{start.isoformat()}-{end.isoformat()}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        academic = reports.academic_year(today)
        context.update(
            form=RangeForm({"start": start.isoformat(), "end": end.isoformat()}, today=today),
            report=data,
            is_academic_year=(start, end) == academic,
            xlsx_query=urlencode(
                {"start": start.isoformat(), "end": end.isoformat(), "format": "xlsx"}
            ),
            academic_query=urlencode(
                {"start": academic[0].isoformat(), "end": academic[1].isoformat()}
            ),
            months_chart=report_charts.months_chart(data.months),
            rates_chart=report_charts.rates_chart(data.events),
            schools_chart=report_charts.schools_chart(data.schools),
            charted_events=min(len(data.events), report_charts.MAX_EVENTS),
            definitions=reports.definitions(),
        )
    return render(request, "events/report.html", context)
