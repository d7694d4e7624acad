"""The idea status workflow (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from headway.discovery import workflow
from headway.discovery.models import IdeaStatus

STATUSES = st.sampled_from(list(workflow.TRANSITIONS))


def test_the_workflow_knows_every_status_of_the_model() -> None:
    assert set(workflow.TRANSITIONS) == set(IdeaStatus.values)


def test_the_happy_path_is_one_step_at_a_time() -> None:
    path = ["new", "under_review", "planned", "in_progress", "shipped"]
    for current, following in zip(path, path[1:], strict=False):
        workflow.check(current, following)


@given(STATUSES, STATUSES)
def test_a_transition_is_allowed_exactly_when_listed(current: str, requested: str) -> None:
    allowed = requested == current or requested in workflow.allowed_next(current)
    if allowed:
        workflow.check(current, requested)
    else:
        with pytest.raises(workflow.TransitionError) as refused:
            workflow.check(current, requested)
        for name in workflow.allowed_next(current):
            assert name in str(refused.value)


@given(STATUSES)
def test_nothing_moves_into_duplicate_by_hand(current: str) -> None:
    assert workflow.DUPLICATE not in workflow.allowed_next(current)


def test_a_duplicate_stays_a_duplicate() -> None:
    with pytest.raises(workflow.TransitionError, match="cannot change status"):
        workflow.check("duplicate", "new")
