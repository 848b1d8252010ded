import pytest
from django.core.management import call_command

from .factories import UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test's database starts over; so must anything cached from another test's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """The test client speaks plain HTTP; production settings redirect it to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SPP_PUBLIC_READ = False
    # No collectstatic in tests: serve static names as they are, not from the production manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def analyst(db):
    return UserFactory(perms=["agenda.view_irritant"])


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def seeded(db):
    """The real seed data, loaded as `make run` loads it."""
    call_command("load_seed", verbosity=0)


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """The real seed data, loaded once for a module of read-only tests, and flushed afterwards.

    Tests using it must also request ``db`` (each test still runs in its own transaction)."""
    with django_db_blocker.unblock():
        call_command("load_seed", verbosity=0)
    yield
    with django_db_blocker.unblock():
        clear_record()


def clear_record():
    """Delete the record but keep the reference rows (countries, agendas) and auth data."""
    from agenda import models as agenda
    from summits import models as summits

    for model in (
        agenda.NaccRecommendation, agenda.NaccTopic, agenda.Irritant, agenda.WorkingGroup,
        agenda.SignatureInitiative, summits.Report, summits.Summit, summits.Source,
    ):  # fmt: skip
        model.objects.all().delete()
    for model in (agenda.Irritant, agenda.Deadline, agenda.StatusReport, agenda.Lineage):
        model.history.all().delete()
