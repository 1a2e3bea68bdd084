from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors


@login_required
def entry_list(request):
    entries = selectors.entry_list(request.user, request.GET.get("model") or None)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [(entry, selectors.entry_changes(entry)) for entry in page]
    return render(request, "audit/entry_list.html", {"page": page, "rows": rows,
                                                     "models": selectors.BROWSABLE})


@login_required
def object_history(request, model, object_id):
    obj, entries = selectors.entries_for_object(request.user, model, object_id)
    rows = [(entry, selectors.entry_changes(entry)) for entry in entries]
    return render(request, "audit/object_history.html", {"object": obj, "rows": rows, "model": model})
