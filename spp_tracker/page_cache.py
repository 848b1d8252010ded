"""Pages rendered once per state of the record and shared by every reader allowed to see them
(issue 11).

A view that mixes in ``SharedPageMixin`` (after its access check) is shared when the cache is one
every worker shares (``SPP_SHARED_CACHE``: Redis through ``REDIS_URL``) and the request is a GET.
base.html wraps its ``title``, ``head`` and ``content`` blocks in ``{% shared_page "<name>" %}``:
those parts are what is shared. The site's header (the reader's name, the language switcher with its
CSRF token, the staff's admin link) and the messages are outside them, rendered for each reader.

The key holds the record's version token (``RecordVersion.current()``, which every write replaces in
the writer's transaction), the view, the path and query string, the language and today's date (the
overdue flags), so a shared page is exactly what a fresh render would show. On a hit the view does
no work at all: no filter form, no count, no rows, only the version read and one cache read. Only
answers with status 200 are stored.

The reader's own data cannot leak into a shared part: while a part renders for sharing, ``user``,
``perms``, ``csrf_token``, ``messages`` and the request's user, session and cookies stand behind a
tripwire; a part that touches any of them is rendered again for that reader and the page is never
stored (and a warning is logged: the page should not be shared).

``shared_fragments`` shares smaller pieces the same way (a filter form's fields)."""

import hashlib
import logging

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

register = template.Library()
logger = logging.getLogger(__name__)
TIMEOUT = 3600
# The context's and the request's names for what belongs to one reader.
READER_NAMES = ("user", "perms", "csrf_token", "messages")
READER_ATTRIBUTES = frozenset({"user", "auth", "session", "COOKIES", "_messages"})


def record_version():
    from agenda.models import RecordVersion

    return RecordVersion.current()


def digest(*parts):
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class SharedPage:
    """One request's page: its key, the parts read from the cache (``parts``, None on a miss) or
    rendered here (``rendered``), and whether a part touched the reader's own data (``private``)."""

    def __init__(self, key, version, parts):
        self.key, self.version, self.parts = key, version, parts
        self.rendered = {}
        self.private = False

    @classmethod
    def of(cls, request, view_name):
        """The request's shared page (read from the cache), or None when it is not shared."""
        if not settings.SPP_SHARED_CACHE or request.method != "GET":
            return None
        version = record_version()
        key = "page:" + digest(
            view_name,
            request.path,
            request.GET.urlencode(),  # without ?lang= (spp_tracker.middleware), like what the page links
            str(version),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
        )
        return cls(key, version, cache.get(key))

    def render_part(self, name, nodelist, context):
        request = context.get("request")
        guards = {name: Tripwire(self) for name in READER_NAMES}
        if request is not None:
            guards["request"] = RequestGuard(request, self)
        with context.push(guards):
            html = nodelist.render(context)
        if self.private:  # rendered again, for this reader only
            html = nodelist.render(context)
        self.rendered[name] = html
        return html

    def store(self, response):
        """Post-render callback: keep what was rendered, if it is an ordinary page for anyone."""
        if self.private:
            logger.warning("Shared page %s reads the reader's own data: not shared.", response)
        elif response.status_code == 200 and self.rendered:
            cache.set(self.key, self.rendered, TIMEOUT)


class Tripwire:
    """Stands for the reader's own data while a shared part renders: any use of it makes the page
    private. It renders as nothing and is false."""

    def __init__(self, page):
        self._page = page

    def _trip(self):
        self._page.private = True

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        self._trip()
        return self

    def __getitem__(self, key):
        self._trip()
        return self

    def __bool__(self):
        self._trip()
        return False

    def __str__(self):
        self._trip()
        return ""

    __html__ = __str__

    def __iter__(self):
        self._trip()
        return iter(())

    def __contains__(self, item):
        self._trip()
        return False

    def __eq__(self, other):
        self._trip()
        return False

    __hash__ = object.__hash__


class RequestGuard:
    """The request as a shared part sees it: its user, session and cookies are the reader's own."""

    def __init__(self, request, page):
        self._request, self._page = request, page

    def __getattr__(self, name):
        if name in READER_ATTRIBUTES:
            self._page.private = True
        return getattr(self._request, name)


class SharedPageMixin:
    """For a view whose page is the same for every reader allowed to see it (its access check comes
    first in the bases). It names its ``template_name``; it renders through ``render_to_response``."""

    def dispatch(self, request, *args, **kwargs):
        match = request.resolver_match
        self.shared_page = SharedPage.of(request, match.view_name if match else type(self).__name__)
        if self.shared_page is not None and self.shared_page.parts is not None:
            return TemplateResponse(request, [self.template_name], {"shared_page": self.shared_page})
        return super().dispatch(request, *args, **kwargs)

    def render_to_response(self, context, **kwargs):
        page = getattr(self, "shared_page", None)
        if page is None:
            return super().render_to_response(context, **kwargs)
        response = super().render_to_response({**context, "shared_page": page}, **kwargs)
        response.add_post_render_callback(page.store)
        return response

    def shared_version(self):
        """The record's version token this request reads (once)."""
        page = getattr(self, "shared_page", None)
        return page.version if page is not None else record_version()


def shared_fragments(pieces, *, render, version):
    """[HTML] of each piece, shared per record state and language: ``pieces`` are (vary, item)
    pairs, where ``vary`` is everything the piece's HTML depends on besides the record and the
    language; ``render(item)`` renders one that no one has rendered yet. One cache read for all."""
    language = translation.get_language() or ""
    keys = ["fragment:" + digest(*vary, str(version), language) for vary, _item in pieces]
    found = cache.get_many(keys)
    rendered = {}
    out = []
    for key, (_vary, item) in zip(keys, pieces, strict=True):
        html = found.get(key)
        if html is None:
            html = rendered[key] = str(render(item))
        out.append(mark_safe(html))  # noqa: S308 - rendered by a template, escaped there
    if rendered:
        cache.set_many(rendered, TIMEOUT)
    return out


@register.tag
def shared_page(parser, token):
    """``{% shared_page "content" %}...{% endshared_page %}``: a part of a shared page (base.html)."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('Use {% shared_page "<part name>" %}.')
    nodelist = parser.parse(("endshared_page",))
    parser.delete_first_token()
    return SharedPageNode(bits[1][1:-1], nodelist)


class SharedPageNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        page = context.get("shared_page")
        if not isinstance(page, SharedPage):
            return self.nodelist.render(context)
        if page.parts is not None:
            return page.parts.get(self.name, "")
        return page.render_part(self.name, self.nodelist, context)
