import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from communication import queries
from communication.factories import ActivityFactory, CostItemFactory
from communication.models import Activity

pytestmark = pytest.mark.django_db


def test_budget_adds_known_amounts_and_counts_the_unpriced():
    priced = ActivityFactory(status="planlagt")
    CostItemFactory(activity=priced, amount=Decimal("1000"))
    CostItemFactory(activity=priced, amount=Decimal("250.50"))
    partly = ActivityFactory(status="forslag")
    CostItemFactory(activity=partly, amount=Decimal("500"))
    CostItemFactory(activity=partly, amount=None)
    empty = ActivityFactory(status="forslag")

    budget = queries.budget(activities=[priced, partly, empty])

    assert budget.by_activity[priced.pk].known == Decimal("1250.50")
    assert budget.by_activity[priced.pk].is_complete
    assert budget.by_activity[partly.pk].known == Decimal("500")
    assert budget.by_activity[partly.pk].unpriced == 1
    assert not budget.by_activity[partly.pk].is_complete
    assert budget.by_activity[empty.pk].activities_without_items == 1
    assert not budget.by_activity[empty.pk].has_known
    assert budget.by_status["forslag"].known == Decimal("500")
    assert budget.by_status["forslag"].unpriced == 1
    assert budget.total.known == Decimal("1750.50")
    assert not budget.total.is_complete


def test_a_unit_price_counts_only_with_its_quantity():
    talk = ActivityFactory()
    item = CostItemFactory(activity=talk, amount=Decimal("1500"), unit="foredrag")
    assert item.total is None
    item.quantity = 3
    assert item.total == Decimal("4500")


def test_an_amount_without_a_unit_counts_once_unless_its_quantity_is_zero():
    item = CostItemFactory(activity=ActivityFactory(), amount=Decimal("10000"))
    assert item.total == Decimal("10000")
    item.quantity = 0
    assert item.total == Decimal("0")


def test_seed_budget_flags_every_unpriced_activity():
    budget = queries.budget(activities=queries.published_activities())
    # Only the standard talk has an amount, and it is a unit price with no count: nothing is known.
    assert budget.total.known == Decimal("0")
    assert not budget.total.has_known
    assert budget.total.unpriced == 16
    assert budget.total.activities_without_items == 2


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"starts_on": dt.date(2022, 3, 2), "ends_on": dt.date(2022, 3, 1)}, "ends_on", "Sluttdatoen"),
        ({"status": "gjennomfort"}, "starts_on", "gjennomført aktivitet må ha datoen"),
        ({"status": "planlagt", "reached": 40}, "reached", "først når aktiviteten er gjennomført"),
    ],
)
def test_rules_are_field_errors_in_norwegian(values, field, message):
    activity = Activity(title="Test", slug="test", kind="foredrag", **values)
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_activities_are_listed_by_month_across_their_period():
    gathering = ActivityFactory(starts_on=dt.date(2022, 1, 30), ends_on=dt.date(2022, 3, 1))
    months = dict(queries.activities_by_month(activities=[gathering]))
    assert list(months) == [dt.date(2022, 1, 1), dt.date(2022, 2, 1), dt.date(2022, 3, 1)]
