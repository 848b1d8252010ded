"""``{% shared_page %}``: the main content of a page rendered once per state of the record, and shared
by every reader (issue 11). base.html wraps ``{% block content %}`` in it.

It caches only when all of these hold, else it just renders:

- a cache every worker shares (``SPP_SHARED_CACHE``: Redis through ``REDIS_URL``);
- a GET of a page named in ``SPP_SHARED_PAGES`` (URL names): pages whose content is the same for
  every reader allowed to see it (no form posting back, nothing of the reader's own);
- the view put the record's version token in the context as ``record_version``
  (``RecordVersion.current()``, which every write to the record replaces, in the writer's transaction).

The key holds that token, the page's name and full address (path and query string), the language and
today's date (the overdue flags), so what is shown is exactly what a fresh render would show. The
header (the reader's name, the language switcher with its CSRF token) and the messages stay outside,
rendered for each reader. On a hit the content's lazy querysets are never evaluated."""

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

register = template.Library()
TIMEOUT = 3600


@register.tag
def shared_page(parser, token):
    nodelist = parser.parse(("endshared_page",))
    parser.delete_first_token()
    return SharedPageNode(nodelist)


class SharedPageNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        key = page_key(context)
        if key is None:
            return self.nodelist.render(context)
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, TIMEOUT)
        return html


def page_key(context):
    """The cache key of this render, or None when it must not be shared (see the module's docstring)."""
    request = context.get("request")
    version = context.get("record_version")
    if not getattr(settings, "SPP_SHARED_CACHE", False) or request is None or version is None:
        return None
    match = getattr(request, "resolver_match", None)
    if request.method != "GET" or match is None or match.view_name not in settings.SPP_SHARED_PAGES:
        return None
    parts = (match.view_name, request.get_full_path(), str(version), translation.get_language() or "")
    digest = hashlib.sha256("\n".join((*parts, timezone.localdate().isoformat())).encode()).hexdigest()
    return f"page:{digest}"
