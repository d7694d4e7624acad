"""`headway digests`: send the notification email digests that are due."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from headway.activity import digest


class Command(BaseCommand):
    help = "Send the notification email digests that are due (run it every few minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digest.send_due_digests()
        self.stdout.write(f"Sent {sent} digest{'s' if sent != 1 else ''}.")
