"""The read-only JSON API (Django REST Framework) under /api/.

It lives in ``agenda`` because ``agenda`` is the app that may read both apps (dependencies run
agenda -> summits) and the API's core is agenda's IrritantFilterSet; ``spp_tracker`` stays settings
and wiring.

Adding a list endpoint (as lineage links did) takes three short steps:

1. ``serializers.py``: a ``RecordSerializer`` subclass; related rows as ``link("<basename>", "<lookup>")``.
2. ``views.py``: a ``RecordViewSet`` subclass with a ``queryset`` that selects/prefetches what the
   serializer shows, the ``serializer_class``, its ``lookup_field`` and (optionally) a ``filterset_class``.
   Its model ordering (or the queryset's ``order_by``) is the keyset order; end it in a unique field.
   Put ``@endpoint("<kebab-plural>", "<kebab-singular>")`` on it: the URL prefix and the basename
   (urls.py registers every endpoint, in the order views.py declares them).
3. Tests: add the basename to ``ENDPOINTS`` in tests/api/test_pagination.py (query counts, detail
   URLs); the schemathesis test then checks it too.

An answer that is one computed object rather than rows (``/api/changes/``, agenda.changes) is a
``ReadOnlyMixin`` + ``viewsets.ViewSet`` whose ``list`` checks the page's own form (same parameters,
same messages as a 400), with ``extend_schema(parameters=..., responses=...)`` and a plain
``serializers.Serializer`` marked ``extend_schema_serializer(many=False)`` (change_serializers.py).
"""
