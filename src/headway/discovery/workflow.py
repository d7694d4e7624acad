"""The idea status workflow (pure: no Django).

    new → under_review → planned → in_progress → shipped
    any open status → declined;  declined → under_review (reconsidered)
    duplicate is reached only by merging (POST /ideas/{id}/merge), never set by hand.

A step back (planned → under_review, in_progress → planned, shipped → in_progress) is allowed,
because plans change; a jump (new → shipped) is not, so the history tells the real story.
"""

from __future__ import annotations

NEW = "new"
UNDER_REVIEW = "under_review"
PLANNED = "planned"
IN_PROGRESS = "in_progress"
SHIPPED = "shipped"
DECLINED = "declined"
DUPLICATE = "duplicate"

#: status → the statuses it may move to, in the order a person reads them.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    NEW: (UNDER_REVIEW, DECLINED),
    UNDER_REVIEW: (PLANNED, NEW, DECLINED),
    PLANNED: (IN_PROGRESS, UNDER_REVIEW, DECLINED),
    IN_PROGRESS: (SHIPPED, PLANNED, DECLINED),
    SHIPPED: (IN_PROGRESS,),
    DECLINED: (UNDER_REVIEW,),
    DUPLICATE: (),
}

#: Statuses an idea can still be worked on in (it can be merged, promoted, voted on).
OPEN = frozenset({NEW, UNDER_REVIEW, PLANNED, IN_PROGRESS})


class TransitionError(ValueError):
    """A status change the workflow does not allow; `allowed` lists the permitted next states."""

    def __init__(self, current: str, requested: str) -> None:
        self.current = current
        self.requested = requested
        self.allowed = TRANSITIONS.get(current, ())
        if not self.allowed:
            message = f"An idea that is {current} cannot change status."
        else:
            reason = (
                "an idea becomes a duplicate only by merging it into another (POST …/merge)"
                if requested == DUPLICATE
                else f"an idea cannot move from {current} to {requested}"
            )
            message = (
                f"{reason[0].upper()}{reason[1:]}; "
                f"from {current} it can move to {', '.join(self.allowed)}."
            )
        super().__init__(message)


def allowed_next(current: str) -> tuple[str, ...]:
    """The statuses an idea in `current` may move to."""
    return TRANSITIONS.get(current, ())


def check(current: str, requested: str) -> None:
    """Raise `TransitionError` unless `current → requested` is allowed (staying put is)."""
    if requested == current:
        return
    if requested not in TRANSITIONS.get(current, ()):
        raise TransitionError(current, requested)
