"""Django's ModelBackend, with each user's permission set kept in the shared cache (issue 11).

Every logged-in request checks a permission (the analyst pages: ``agenda.view_irritant``), which
costs ModelBackend two queries (the user's and its groups' permissions) and ~2.5 ms of CPU. With a
cache every worker shares (``SPP_SHARED_CACHE``: Redis through ``REDIS_URL``) the set is read from it
in one round trip, next to a version token; any change to who may do what (group membership, a
user's or a group's permissions, a group, permission or content type saved or deleted) replaces the
token, so the next check in any worker reads the database again. The token is replaced when the
change is made and again when its transaction commits: a check that read the old rows while the
change was pending cannot leave them in the cache under the new token.

Without a shared cache (tests, a single process with its own memory) this is ModelBackend exactly:
a per-process cache would keep a revoked permission alive in the other workers."""

import uuid

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "auth:permissions-version"
TIMEOUT = 3600


def _user_key(user):
    """The set depends on the user's own superuser flag too (ModelBackend gives a superuser every
    permission), so a promotion or demotion reads the database again without any token change."""
    return f"auth:permissions:{user.pk}:{int(user.is_superuser)}"


class SharedCachePermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not getattr(settings, "SPP_SHARED_CACHE", False):
            return super().get_all_permissions(user_obj, obj)
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = self._shared(user_obj)
        return user_obj._perm_cache

    def _shared(self, user_obj):
        """The set from the cache when stored under the current token, else from the database."""
        found = cache.get_many([VERSION_KEY, _user_key(user_obj)])
        version = found.get(VERSION_KEY)
        stored = found.get(_user_key(user_obj))
        if version is not None and stored is not None and stored[0] == version:
            return set(stored[1])
        if version is None:  # first use, or evicted: a new token (whoever adds first wins)
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            version = cache.get(VERSION_KEY)
        permissions = super().get_all_permissions(user_obj)  # read after the token: see the docstring
        cache.set(_user_key(user_obj), (version, sorted(permissions)), TIMEOUT)
        return permissions


def permissions_changed(**kwargs):
    """A new token now and after the transaction commits (see the module's docstring)."""
    _new_token()
    transaction.on_commit(_new_token)


def _new_token():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def connect():
    """Every write that can change a permission set (called from AgendaConfig.ready)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user = get_user_model()
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            _m2m_changed, sender=through, dispatch_uid=f"auth_backends.m2m.{through._meta.label}"
        )
    for model in (Group, Permission, ContentType):
        for signal in (post_save, post_delete):
            signal.connect(
                _row_changed, sender=model, dispatch_uid=f"auth_backends.{model._meta.label}.{id(signal)}"
            )


def _m2m_changed(action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        permissions_changed()


def _row_changed(**kwargs):
    permissions_changed()
