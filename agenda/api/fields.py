"""Serializer fields: related rows as links, and stored "no value" as null.

A page of 50 items holds several hundred links; each field resolves its URL pattern once per
request and fills in the identifier (``reverse()`` per link was most of a page's time)."""

from urllib.parse import quote, urlencode

from rest_framework import serializers
from rest_framework.reverse import reverse

PLACEHOLDER = "9081726354453627189"  # matches every lookup pattern, slugs and numbers alike
SAFE = "!$&'()*+,;=/~:@"  # what reverse() leaves unquoted in a path argument


class URLTemplate:
    """``reverse(view_name, kwargs={lookup: key})`` for many keys: one reverse, then a string fill."""

    def __init__(self, view_name, lookup_field):
        self.view_name, self.lookup_field = view_name, lookup_field
        self._cache = (None, None)

    def url(self, key, request):
        cached_request, template = self._cache
        if template is None or cached_request is not request:
            kwargs = {self.lookup_field: PLACEHOLDER}
            template = reverse(self.view_name, kwargs=kwargs, request=request)
            self._cache = (request, template)
        return template.replace(PLACEHOLDER, quote(str(key), safe=SAFE), 1)


class LinkField(serializers.RelatedField):
    """A related row as ``{"id": <its identifier>, "url": <its API address>}``: a link, not a copy.

    ``id`` is the identifier the API's URLs and filters take (a slug, a ref, a country code, a UUID;
    a number for sources). ``many=True`` gives a list of links (prefetch the relation)."""

    def __init__(self, view_name, lookup_field="slug", **kwargs):
        self.view_name, self.lookup_field = view_name, lookup_field
        self.template = URLTemplate(view_name, lookup_field)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def use_pk_only_optimization(self):
        return self.lookup_field == "pk"

    def to_representation(self, value):
        key = getattr(value, self.lookup_field)
        if not isinstance(key, int | str):
            key = str(key)  # UUIDs
        return {"id": key, "url": self.template.url(key, self.context.get("request"))}


class KeyLinkField(LinkField):
    """A link made from the identifier alone: rows computed in SQL (agenda.changes) carry their
    related rows' keys, not the rows. ``url_kwarg`` is the identifier the detail URL takes."""

    def to_representation(self, value):
        return {"id": value, "url": self.template.url(value, self.context.get("request"))}


class SelfLinkField(serializers.Field):
    """The row's own API address."""

    def __init__(self, view_name, lookup_field="slug", **kwargs):
        self.lookup_field = lookup_field
        self.template = URLTemplate(view_name, lookup_field)
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return self.template.url(getattr(value, self.lookup_field), self.context.get("request"))


class ListLinkField(serializers.Field):
    """The API address of a filtered list, e.g. an item's status reports: ``?irritant=<ref>``."""

    def __init__(self, view_name, parameter, lookup_field="slug", **kwargs):
        self.view_name, self.parameter, self.lookup_field = view_name, parameter, lookup_field
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        if getattr(self, "_request", None) is not request:
            self._request, self._url = request, reverse(self.view_name, request=request)
        return f"{self._url}?{urlencode({self.parameter: getattr(value, self.lookup_field)})}"


class PageLinkField(serializers.Field):
    """The address of the row's page on the site (``get_absolute_url``, or the ``path`` given: a
    function of the row giving the page's path, for rows that are not model instances)."""

    def __init__(self, path=None, **kwargs):
        self.path = path or (lambda row: row.get_absolute_url())
        kwargs["read_only"] = True
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        path = self.path(value)
        return request.build_absolute_uri(path) if request is not None else path


class NullableChoiceField(serializers.ChoiceField):
    """A choice column where the empty string stands for "none" (no status reported, unclassified):
    the API says null."""

    def __init__(self, choices, **kwargs):
        kwargs.update(read_only=True, allow_null=True)
        super().__init__([(value, label) for value, label in choices if value], **kwargs)

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)
