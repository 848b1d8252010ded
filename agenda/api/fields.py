"""Serializer fields: related rows as links, and stored "no value" as null."""

from urllib.parse import urlencode

from rest_framework import serializers
from rest_framework.reverse import reverse


class LinkField(serializers.RelatedField):
    """A related row as ``{"id": <its identifier>, "url": <its API address>}``: a link, not a copy.

    ``id`` is the identifier the API's URLs and filters take (a slug, a ref, a country code, a UUID;
    a number for sources). ``many=True`` gives a list of links (prefetch the relation)."""

    def __init__(self, view_name, lookup_field="slug", **kwargs):
        self.view_name, self.lookup_field = view_name, lookup_field
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def use_pk_only_optimization(self):
        return self.lookup_field == "pk"

    def to_representation(self, value):
        key = getattr(value, self.lookup_field)
        if not isinstance(key, int | str):
            key = str(key)  # UUIDs
        url = reverse(self.view_name, kwargs={self.lookup_field: key}, request=self.context.get("request"))
        return {"id": key, "url": url}


class ListLinkField(serializers.Field):
    """The API address of a filtered list, e.g. an item's status reports: ``?irritant=<ref>``."""

    def __init__(self, view_name, parameter, lookup_field="slug", **kwargs):
        self.view_name, self.parameter, self.lookup_field = view_name, parameter, lookup_field
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value):
        url = reverse(self.view_name, request=self.context.get("request"))
        return f"{url}?{urlencode({self.parameter: getattr(value, self.lookup_field)})}"


class PageLinkField(serializers.Field):
    """The address of the row's page on the site (``get_absolute_url``)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        path = value.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class NullableChoiceField(serializers.ChoiceField):
    """A choice column where the empty string stands for "none" (no status reported, unclassified):
    the API says null."""

    def __init__(self, choices, **kwargs):
        kwargs.update(read_only=True, allow_null=True)
        super().__init__([(value, label) for value, label in choices if value], **kwargs)

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)
