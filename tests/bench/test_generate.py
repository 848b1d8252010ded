"""The generator's SQL re-statement of the derived-field rules is checked against the app's own
refresh on a sample; a difference stops the generation (rolled back) with the items and fields."""

import pytest

from agenda.models import Irritant
from bench import generate

SCALE = 120


@pytest.fixture
def no_vacuum(monkeypatch):
    # VACUUM cannot run inside the test's transaction; it only refreshes planner statistics.
    monkeypatch.setattr(generate.Generator, "vacuum", lambda self: None)


@pytest.mark.django_db
def test_generated_derived_columns_agree_with_the_app(no_vacuum):
    result = generate.generate(SCALE, out=lambda text: None)

    assert result["counts"]["irritant"] == SCALE
    assert Irritant.objects.count() == SCALE


@pytest.mark.django_db
def test_a_difference_from_the_app_stops_the_generation(no_vacuum, monkeypatch):
    derived = generate.Generator.derived

    def wrong_rule(self):  # a rule restated wrongly: every even item's category swapped
        derived(self)
        self.execute(
            "UPDATE bench_derived SET category = CASE category WHEN 'long-term' THEN 'big-impact' "
            "ELSE 'long-term' END WHERE id % 2 = 0"
        )

    monkeypatch.setattr(generate.Generator, "derived", wrong_rule)

    with pytest.raises(generate.DerivedMismatch) as failure:
        generate.generate(SCALE, out=lambda text: None)

    message = str(failure.value)
    assert not Irritant.objects.exists()  # nothing was kept: the generation is one transaction
    assert "category" in message and "current_status" not in message
    assert "P-" in message  # the first differing items are named by ref
    assert "of 120 sampled items" in message
