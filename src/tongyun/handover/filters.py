"""The checklist list's filters (query string → selector params)."""


def params(request) -> dict:
    return {key: request.GET.get(key, "") for key in ("unit", "state")}
