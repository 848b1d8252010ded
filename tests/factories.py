"""Factories: valid, boring, unique rows. Tests set explicitly every value they assert on."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from agenda.choices import AgendaSlug, Confidence, IrritantStatus, LineageKind
from agenda.models import (
    Agenda,
    Deadline,
    Irritant,
    LeadDepartment,
    Lineage,
    NaccRecommendation,
    SignatureInitiative,
    StatusReport,
    WorkingGroup,
)
from summits.choices import CountryCode, ReportKind, SourceKind, SummitKind
from summits.models import Country, Report, Source, Summit


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = CountryCode.CANADA


class AgendaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agenda
        django_get_or_create = ["slug"]

    slug = AgendaSlug.PROSPERITY


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://www.commerce.gov/release-{n}.html")
    kind = SourceKind.OFFICIAL


class SummitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Summit

    slug = factory.Sequence(lambda n: f"summit-{n}")
    name = factory.Sequence(lambda n: f"Summit {n}")
    kind = SummitKind.LEADERS_SUMMIT
    country = factory.SubFactory(CountryFactory, code=CountryCode.UNITED_STATES)
    start_date = datetime.date(2005, 3, 23)
    end_date = datetime.date(2005, 3, 23)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    slug = factory.Sequence(lambda n: f"report-{n}")
    title = factory.Sequence(lambda n: f"Report {n}")
    kind = ReportKind.REPORT_TO_LEADERS
    is_official = True
    released_on = datetime.date(2005, 6, 27)


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Working group {n}")
    agenda = factory.SubFactory(AgendaFactory)


class LeadDepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadDepartment

    working_group = factory.SubFactory(WorkingGroupFactory)
    country = factory.SubFactory(CountryFactory)
    department = "Industry Canada"
    level = "group"


class SignatureInitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignatureInitiative

    slug = factory.Sequence(lambda n: f"signature-{n}")
    name = factory.Sequence(lambda n: f"Signature initiative {n}")
    agenda = factory.SubFactory(AgendaFactory)


class IrritantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Irritant
        skip_postgeneration_save = True

    ref = factory.Sequence(lambda n: f"P-T-{n:04d}")
    title = factory.Sequence(lambda n: f"Irritant {n}")
    working_group = factory.SubFactory(WorkingGroupFactory)
    agenda = factory.SelfAttribute("working_group.agenda")
    confidence = Confidence.VERBATIM

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        """IrritantFactory(countries=["CA", "US"]) links those countries."""
        if create and extracted:
            self.countries.set([CountryFactory(code=code) for code in extracted])


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    irritant = factory.SubFactory(IrritantFactory)
    set_on = datetime.date(2005, 6, 27)
    target_text = "by June 2006"
    due_on = datetime.date(2006, 6, 30)


class StatusReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusReport

    irritant = factory.SubFactory(IrritantFactory)
    as_of = datetime.date(2006, 6, 15)
    status = IrritantStatus.INITIATED


class NaccRecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NaccRecommendation

    ref = factory.Sequence(lambda n: f"NACC-T-{n:02d}")
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Recommendation {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")

    @factory.post_generation
    def perms(self, create, extracted, **kwargs):
        """UserFactory(perms=["agenda.view_irritant"]) grants those permissions."""
        if create and extracted:
            for name in extracted:
                app_label, codename = name.split(".")
                self.user_permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )


class LineageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lineage

    irritant = factory.SubFactory(IrritantFactory)
    continues = factory.SubFactory(IrritantFactory)
    kind = LineageKind.CARRIED_FORWARD
