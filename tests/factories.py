"""factory_boy factories for the core nouns."""

from datetime import date

import factory

from divisions.models import Level, OrgUnit
from kpis.models import Domain, Kpi
from pmf.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("a-long-test-password")


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"Trust {n}")
    level = Level.TRUST
    parent = None
    active_from = date(2016, 4, 1)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    level = Level.DIVISION
    parent = factory.SubFactory(TrustFactory)
    active_from = date(2016, 4, 1)


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("code",)

    code = "operational"
    name = "Operational"


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpi

    code = factory.Sequence(lambda n: f"kpi-{n}")
    name = factory.Sequence(lambda n: f"KPI {n}")
    domain = factory.SubFactory(DomainFactory)
    unit = Kpi.Unit.PERCENT
    direction = "higher_is_better"
    aggregation = Kpi.Aggregation.RATIO
