#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that only compare models with migration files: they sign nothing and serve nothing,
# so they may run in a bare shell (editors' hooks, CI linters) without a production secret.
SECRETLESS_COMMANDS = {"makemigrations", "showmigrations"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if len(sys.argv) > 1 and sys.argv[1] in SECRETLESS_COMMANDS:
        os.environ.setdefault("DJANGO_SECRET_KEY", "unused-by-" + sys.argv[1] + "-" + "x" * 40)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
