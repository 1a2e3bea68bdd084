"""Links other domains add to a page of one domain, without that domain importing them.

A domain registers a provider in its AppConfig.ready(); the page's view asks every provider of the page
for the user's links to that object and the template lists them (`core/_page_links.html`). A provider
must be cheap and decide access itself (capability and scope) — it is asked on every view of the page.

    panels.register("incidents.detail", replacement_link)   # (user, incident) -> list[Link]

Pages in use: "incidents.detail" (the incident's detail page; spares links its replacement form).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    note: str = ""  # a short explanation next to the link
    testid: str = ""  # for the browser tests


Provider = Callable[[object, object], list[Link]]
_providers: dict[str, dict[str, Provider]] = defaultdict(dict)


def register(page: str, name: str, provider: Provider) -> None:
    """One provider per (page, name); registering again replaces it (ready() may run twice in tests)."""
    _providers[page][name] = provider


def links_for(page: str, user, obj) -> list[Link]:
    links: list[Link] = []
    for provider in _providers[page].values():
        links.extend(provider(user, obj))
    return links
