"""`headway demo`: the demo workspace, product "Acme Analytics" and user demo / headway-demo."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from headway.web import demo


class Command(BaseCommand):
    help = "Load the demo workspace (once; run again to just print the login)."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo.exists():
            self.stdout.write("The demo is already loaded.")
        else:
            demo.load()
            self.stdout.write(f"Loaded the demo product {demo.DEMO_PRODUCT!r}.")
        self.stdout.write(f"Sign in as {demo.DEMO_USERNAME} with password {demo.DEMO_PASSWORD}")
