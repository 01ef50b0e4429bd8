"""`manage.py ensure_local_admin`: a login for `make run`, created only when no superuser exists."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a local superuser with a random password if none exists, and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username="admin", **options):
        if not settings.DEBUG:
            raise CommandError("ensure_local_admin is for local development only (DJANGO_DEBUG=1).")
        users = get_user_model()
        if users.objects.filter(is_superuser=True).exists():
            self.stdout.write(f"A superuser already exists; log in at /{settings.ADMIN_URL} with it "
                              "(reset a password with: .venv/bin/python manage.py changepassword <name>).")
            return
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(
            f"Created a local admin. Log in at http://127.0.0.1:8000/{settings.ADMIN_URL} "
            f"as {username!r} with password {password!r}."
        ))
