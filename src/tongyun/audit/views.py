from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tongyun.core.downloads import attachment
from tongyun.core.permissions import can

from . import selectors, workbooks
from .chain import verify
from .choices import CHANGE_ACTIONS, EventKind


class TrailFilterForm(forms.Form):
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    operator = forms.CharField(label=_("操作人"), required=False, max_length=100)
    object = forms.CharField(label=_("对象"), required=False, max_length=100)


class ChangeFilterForm(TrailFilterForm):
    model = forms.ChoiceField(label=_("对象类型"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False,
                               choices=[("", _("全部"))] + [(str(k), v) for k, v in CHANGE_ACTIONS.items()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("全部"))] + [(key, key) for key in selectors.BROWSABLE]


class EventFilterForm(TrailFilterForm):
    kind = forms.ChoiceField(label=_("事件"), required=False, choices=[("", _("全部"))] + list(EventKind.choices))


def _filters(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


@login_required
def entry_list(request):
    form = ChangeFilterForm(request.GET or None)
    entries = selectors.entry_list(request.user, None, _filters(form))
    if request.GET.get("format") == "xlsx":
        return attachment(workbooks.changes_workbook(entries), "tongyun-audit-changes.xlsx")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [(entry, selectors.entry_changes(entry)) for entry in page]
    return render(request, "audit/entry_list.html", {"page": page, "rows": rows, "form": form,
                                                     "query": _query(request),
                                                     "people": can(request.user, "audit.people")})


@login_required
def event_list(request):
    form = EventFilterForm(request.GET or None)
    events = selectors.event_list(request.user, _filters(form))
    if request.GET.get("format") == "xlsx":
        return attachment(workbooks.events_workbook(events), "tongyun-audit-events.xlsx")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    verification = verify() if request.GET.get("verify") == "1" else None
    return render(request, "audit/event_list.html", {"page": page, "form": form, "query": _query(request),
                                                     "verification": verification})


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    query.pop("verify", None)
    return query.urlencode()


@login_required
def object_history(request, model, object_id):
    obj, entries = selectors.entries_for_object(request.user, model, object_id)
    rows = [(entry, selectors.entry_changes(entry)) for entry in entries]
    return render(request, "audit/object_history.html", {"object": obj, "rows": rows, "model": model})
