"""The permission sets kept in the shared cache (spp_tracker/auth_backends.py): no permission query on
a logged-in request, and every change to who may do what is seen by the very next check."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spp_tracker.auth_backends import SharedCachePermissionsBackend
from tests.factories import UserFactory

PERMS = ["agenda.view_irritant", "agenda.change_irritant", "agenda.add_statusreport"]


def permission(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def fresh(user):
    """The user as the next request loads it: no permission set remembered on the instance."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def shared(settings):
    settings.SPP_SHARED_CACHE = True


def test_a_second_request_reads_the_permissions_from_the_cache(db, shared, django_assert_num_queries):
    user = UserFactory(perms=["agenda.view_irritant"])
    assert fresh(user).has_perm("agenda.view_irritant")
    again = fresh(user)

    with django_assert_num_queries(0):
        assert again.has_perm("agenda.view_irritant")
        assert not again.has_perm("agenda.change_irritant")


def test_without_a_shared_cache_every_request_asks_the_database(db, settings, django_assert_num_queries):
    settings.SPP_SHARED_CACHE = False  # a per-process cache would miss other workers' changes
    user = UserFactory(perms=["agenda.view_irritant"])
    assert fresh(user).has_perm("agenda.view_irritant")
    again = fresh(user)

    with django_assert_num_queries(2):  # the user's own and its groups' permissions, as ModelBackend
        assert again.has_perm("agenda.view_irritant")


def test_inactive_and_anonymous_users_have_no_permission(db, shared):
    from django.contrib.auth.models import AnonymousUser

    user = UserFactory(perms=["agenda.view_irritant"], is_active=False)

    assert SharedCachePermissionsBackend().get_all_permissions(user) == set()
    assert SharedCachePermissionsBackend().get_all_permissions(AnonymousUser()) == set()


def test_a_demoted_superuser_loses_the_permissions_at_the_next_check(db, shared):
    user = UserFactory(is_superuser=True)
    assert "agenda.delete_irritant" in SharedCachePermissionsBackend().get_all_permissions(fresh(user))
    user.is_superuser = False
    user.save()

    assert not fresh(user).has_perm("agenda.delete_irritant")


# A step changes who may do what: (what, user index, group index, permission index)
STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["join", "leave", "grant_user", "revoke_user", "grant_group", "revoke_group", "delete_group"]
        ),
        st.integers(0, 1),
        st.integers(0, 1),
        st.integers(0, len(PERMS) - 1),
    ),
    max_size=12,
)


def apply(step, users, groups):
    what, u, g, p = step
    user, group, perm = users[u], groups[g], permission(PERMS[p])
    if what == "delete_group":
        name = group.name
        group.delete()  # the membership and the group's permissions go with it (no m2m signal)
        groups[g] = Group.objects.create(name=name)
        return
    {
        "join": lambda: user.groups.add(group),
        "leave": lambda: group.user_set.remove(user),  # from the other side of the relation
        "grant_user": lambda: user.user_permissions.add(perm),
        "revoke_user": lambda: user.user_permissions.remove(perm),
        "grant_group": lambda: group.permissions.add(perm),
        "revoke_group": lambda: perm.group_set.remove(group),
    }[what]()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_the_next_check_after_any_change_sees_it(db, shared, steps):
    from django.core.cache import cache

    cache.clear()
    Group.objects.filter(name__startswith="perm-test-").delete()
    users = [UserFactory(), UserFactory()]
    groups = [Group.objects.create(name=f"perm-test-{i}") for i in range(2)]
    for step in steps:
        for user in users:
            fresh(user).has_perm(PERMS[0])  # warm the cache before the change
        apply(step, users, groups)
        for user in users:
            assert SharedCachePermissionsBackend().get_all_permissions(fresh(user)) == (
                ModelBackend().get_all_permissions(fresh(user))
            ), step
