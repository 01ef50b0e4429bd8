"""Browser tests: Playwright drives Debian's Chromium against a live server full of the real data.

Why one server and one data load per package rather than pytest-django's `live_server` per test:
`live_server` makes every test transactional, and a transactional test empties the database when
it ends, so the whole curated dataset (with its history revisions and search index) would be
loaded again for every test. Here `load_curated` runs once, commits, and a server built from
pytest-django's own `LiveServer` class serves it to every test in this package. When the package
is done the database is put back exactly as migrations left it (the way Django's
`serialized_rollback` does), so tests that run afterwards still start from an empty content set.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - requirements-dev.txt pins it
    sync_playwright = None
    # The test modules import Playwright too; without it they cannot even be collected.
    collect_ignore_glob = ["test_*.py"]


def pytest_collection_modifyitems(config, items):
    """Every test here is a browser test, and none can run without Debian's Chromium.

    The `django_db` mark is what makes pytest-django create the test database when only browser
    tests are selected; without it the server would read the development database.
    """
    here = Path(__file__).parent
    if sync_playwright is None:
        reason = "playwright is not installed: pip install -r requirements-dev.txt"
    elif not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk"
    else:
        reason = ""
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="package")
def site_url(django_db_setup, django_db_blocker):
    """Base URL of a live server whose database holds the curated dataset under `data/`."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
        assert in_memory or "test" in name, f"refusing to load data into {name}: not a test database"
        pristine = connection.creation.serialize_db_to_string()
        call_command("load_curated", data_dir=Path(settings.CURATED_DATA_DIR), stdout=io.StringIO())
        server = LiveServer("127.0.0.1")
        try:
            yield server.url
        finally:
            server.stop()
            # What TransactionTestCase does with serialized_rollback: empty every table without
            # resetting sequences or re-running post_migrate, then restore the migrated rows.
            call_command(
                "flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True,
                allow_cascade=connection.vendor == "postgresql",
            )
            connection.creation.deserialize_db_from_string(pristine)


@pytest.fixture(scope="package")
def browser(site_url):
    """Chromium, started after the data is loaded and stopped before it is removed.

    Playwright's sync API keeps an asyncio loop registered in this thread while it is open, and
    Django refuses database work from a thread with a running loop. The only database work in
    this thread meanwhile is pytest-django opening and rolling back each test's transaction, so
    the guard is lifted for exactly that span (the workaround Playwright and pytest-django
    document); the server thread answering the browser never had a loop.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
            # Code run inside sync_playwright sees its own context, hence its own database
            # connections (Django keeps them per context); close those or they outlive the run
            # and PostgreSQL refuses to drop the test database.
            connections.close_all()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _open_page(browser, site_url, viewport, **options):
    """A fresh context (no cookies carried over), recording every 5xx response it meets.

    `bypass_csp` lets the test inject axe-core; the site's own pages never need it.
    """
    context = browser.new_context(
        base_url=site_url, viewport=viewport, bypass_csp=True, device_scale_factor=1, **options
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.server_errors = []
    page.on("response", lambda response: response.status >= 500 and page.server_errors.append(
        f"{response.status} {response.url}"
    ))
    return context, page


@pytest.fixture
def page(browser, site_url):
    """A desktop-sized page (1280x800) whose visitor prefers English."""
    context, page = _open_page(browser, site_url, DESKTOP, locale="en-GB")
    yield page
    context.close()
    assert not page.server_errors, f"the site answered with a server error: {page.server_errors}"


@pytest.fixture
def phone_page(browser, site_url):
    """A phone-sized page (390x844, touch) whose visitor prefers English."""
    context, page = _open_page(browser, site_url, PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    yield page
    context.close()
    assert not page.server_errors, f"the site answered with a server error: {page.server_errors}"


@pytest.fixture
def chinese_page(browser, site_url):
    """A desktop-sized page whose visitor's browser asks for Simplified Chinese."""
    context, page = _open_page(browser, site_url, DESKTOP, locale="zh-CN")
    yield page
    context.close()
    assert not page.server_errors, f"the site answered with a server error: {page.server_errors}"
