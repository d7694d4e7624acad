"""The API's spelled-out choices stay equal to the models' choices."""

from __future__ import annotations

from typing import get_args

from headway.planning import schemas
from headway.planning.models import (
    FeatureKind,
    FeatureStatus,
    Kano,
    MoSCoW,
    NoteKind,
    RiskStatus,
    StoryStatus,
)


def test_api_choices_are_the_model_choices() -> None:
    assert set(get_args(schemas.Kind)) == set(FeatureKind.values)
    assert set(get_args(schemas.Status)) == set(FeatureStatus.values)
    assert set(get_args(schemas.Moscow)) == {"", *MoSCoW.values}
    assert set(get_args(schemas.KanoCategory)) == {"", *Kano.values}
    assert set(get_args(schemas.Note)) == set(NoteKind.values)
    assert set(get_args(schemas.StoryState)) == set(StoryStatus.values)
    assert set(get_args(schemas.RiskState)) == set(RiskStatus.values)
