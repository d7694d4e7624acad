"""`headway ingest-mail FILE… --product ID`: feedback from `.eml` files and mbox mailboxes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.discovery import mail, services
from headway.discovery.models import Feedback, Source
from headway.products.models import Product


class Command(BaseCommand):
    help = (
        "Add feedback from email files (.eml, mbox, or folders of them): the sender becomes the "
        "customer, subject and plain-text body the text. Messages already ingested (same "
        "Message-ID) are skipped; unreadable files are reported by name and the rest go on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help=".eml files, mbox files or folders")
        parser.add_argument("--product", type=int, required=True, help="The product's id.")

    def handle(self, *args: Any, **options: Any) -> None:
        product = Product.objects.filter(pk=options["product"]).first()
        if product is None:
            raise CommandError(f"There is no product with id {options['product']}.")
        added = skipped = problems = 0
        for outcome in mail.iter_mail(options["files"]):
            if isinstance(outcome, mail.MailProblem):
                problems += 1
                self.stderr.write(f"skipped {outcome}")
                continue
            if Feedback.objects.filter(product=product, message_id=outcome.message_id).exists():
                skipped += 1
                continue
            services.create_feedback(
                None,
                product,
                text=outcome.text,
                source=Source.EMAIL,
                customer=services.CustomerData(
                    name=outcome.sender_name or "",
                    email=outcome.sender_email,
                    company=outcome.company or "",
                ),
                message_id=outcome.message_id,
                created=outcome.received_at,
            )
            added += 1
        self.stdout.write(
            f"{added} message{'s' if added != 1 else ''} ingested into {product.name}, "
            f"{skipped} already there, {problems} unreadable."
        )
        if problems:
            raise CommandError(
                f"{problems} file{'s' if problems != 1 else ''} or message"
                f"{'s' if problems != 1 else ''} could not be read (listed above); "
                "everything else was ingested.",
                returncode=1,
            )
