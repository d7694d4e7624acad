"""Demo import history and a webhook with its delivery log, so the Import / export tab and the
webhook pages have something to show. The webhook is switched off: the demo sends nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from headway.interchange.models import (
    DeliveryStatus,
    ImportJob,
    ImportKind,
    ImportStatus,
    Webhook,
    WebhookDelivery,
)

if TYPE_CHECKING:
    from headway.web.demo import Demo


def populate(demo: Demo) -> None:
    noon = dt.datetime.combine(demo.today, dt.time(12), tzinfo=dt.UTC)
    maya = demo.users["maya"]
    ImportJob.objects.create(
        product=demo.product,
        kind=ImportKind.JIRA_CSV,
        status=ImportStatus.DONE,
        progress=100,
        file_name="acme-jira-export.csv",
        created_by=demo.users["tom"],
        created=noon - dt.timedelta(days=20),
        started=noon - dt.timedelta(days=20),
        finished=noon - dt.timedelta(days=20, seconds=-4),
        attempts=1,
        counts={
            "features": {"created": 12, "updated": 0, "unchanged": 0},
            "stories": {"created": 41, "updated": 0, "unchanged": 0},
            "releases": {"created": 2},
            "components": {"created": 4},
        },
        options={"timezone": "Europe/Berlin"},
    )
    ImportJob.objects.create(
        product=demo.product,
        kind=ImportKind.CSV,
        status=ImportStatus.FAILED,
        progress=0,
        file_name="trade-show-feedback.csv",
        created_by=maya,
        created=noon - dt.timedelta(days=3),
        finished=noon - dt.timedelta(days=3),
        attempts=1,
        mapping={
            "target": "feedback",
            "columns": {"text": "Comment", "customer_company": "Company", "received_at": "Date"},
        },
        options={"timezone": "UTC"},
        error_count=2,
        errors=[
            {
                "line": 14,
                "column": 3,
                "message": 'column "Date" (received_at): "next Tuesday" is not valid; expected a '
                "date and time like 30/Sep/21 17:20, 12/Jan/26 9:30 AM or 2021-09-30 17:20",
            },
            {"line": 27, "column": 1, "message": 'column "Comment" (text) needs a value'},
        ],
    )
    webhook = Webhook.objects.create(
        workspace=demo.workspace,
        url="https://hooks.example.com/headway/acme",
        events=["idea.created", "feature.status_changed", "release.released"],
        description="Team chat relay (switched off in the demo)",
        active=False,
        created_by=demo.users["demo"],
    )
    gave_up = "Gave up after 6 attempts: the receiver answered 502"
    for hours, event, status, code, error in (
        (30, "idea.created", DeliveryStatus.DELIVERED, 200, ""),
        (26, "feature.status_changed", DeliveryStatus.FAILED, 502, gave_up),
        (2, "webhook.test", DeliveryStatus.DELIVERED, 204, ""),
    ):
        at = noon - dt.timedelta(hours=hours)
        WebhookDelivery.objects.create(
            webhook=webhook,
            event=event,
            body=json.dumps({"event": event, "at": at.isoformat(), "data": {}}),
            status=status,
            attempts=1 if status == DeliveryStatus.DELIVERED else 6,
            response_code=code,
            error=error,
            duration_ms=84,
            created=at,
            last_attempt=at,
            delivered=at if status == DeliveryStatus.DELIVERED else None,
        )
