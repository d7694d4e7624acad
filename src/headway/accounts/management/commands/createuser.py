"""`headway createuser NAME --email E --password-stdin`."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.accounts.models import User


class Command(BaseCommand):
    help = "Create a user; the password is read from standard input, never from the command line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input.",
        )
        parser.add_argument("--superuser", action="store_true", help="Also a Django admin.")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called {username!r} already exists.")
        if not options["password_stdin"]:
            raise CommandError("Pass --password-stdin and pipe the password in.")
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CommandError("The password on standard input is empty.")
        user = User(username=username, email=options["email"])
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        user.is_staff = user.is_superuser = options["superuser"]
        user.save()
        self.stdout.write(f"Created user {username}.")
