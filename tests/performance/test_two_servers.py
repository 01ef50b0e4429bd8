"""Two app servers, one PostgreSQL, one Redis: an edit published through one server is
visible through the other on the very next request (no stale shared cache).

Runs only when the suite runs on PostgreSQL and Redis answers on 127.0.0.1:6379; it
creates its own database, so it does not touch the test database of the rest of the suite.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
REDIS = ("127.0.0.1", 6379)


def _reachable(address) -> bool:
    try:
        socket.create_connection(address, timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" or not _reachable(REDIS),
    reason="needs PostgreSQL (DATABASE_URL) and Redis on 127.0.0.1:6379",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def stack():
    import psycopg2

    db = settings.DATABASES["default"]
    name = f"two_servers_{uuid.uuid4().hex[:8]}"
    admin_db = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"],
                                dbname="postgres")
    admin_db.autocommit = True
    admin_db.cursor().execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    env = {
        **os.environ, "DATABASE_URL": url, "REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/14",
        "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "two-servers-test-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0",
        "GUNICORN_WORKERS": "1", "GUNICORN_LOG_LEVEL": "warning", "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    # Production settings serve hashed static files from the manifest collectstatic writes.
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run([*manage, "shell", "-c", SETUP], cwd=BASE_DIR, env=env, check=True)
    servers, bases = [], []
    for _ in range(2):
        port = _free_port()
        servers.append(subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "portal.wsgi:application"],
            cwd=BASE_DIR, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, start_new_session=True,
        ))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base in bases:
            _wait_for(base + "/healthz")
        yield bases
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
        admin_db.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_db.close()


SETUP = """
from django.contrib.auth.models import Group
from django.core.cache import cache
from tests.factories import TherapyCategoryFactory, UserFactory
cache.clear()
TherapyCategoryFactory(slug="immune-cell-therapy", name_en="Immune cell therapy")
TherapyCategoryFactory(slug="islet-cell-sheets", name_en="Islet cell sheets", status="in_review")
UserFactory(username="pub", is_staff=True, groups=["Publisher"])
"""


def _wait_for(url: str) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


def _get(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode(), response.headers.get("X-Cache", "")


def _publish_through_admin(base: str, slug: str) -> None:
    """Log in as a publisher and run the admin's publish action, as a person would."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page = opener.open(base + "/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": "pub", "password": "correct horse battery staple",
            "next": "/admin/"}
    opener.open(urllib.request.Request(base + "/admin/login/", urllib.parse.urlencode(form).encode(),
                                       headers={"Referer": base + "/admin/login/"}))
    changelist = base + "/admin/therapies/therapycategory/"
    page = opener.open(changelist + "?" + urllib.parse.urlencode({"q": slug})).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    pk = re.search(r'name="_selected_action" value="(\d+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "action": "publish", "_selected_action": pk, "index": "0"}
    opener.open(urllib.request.Request(changelist, urllib.parse.urlencode(form).encode(),
                                       headers={"Referer": changelist}))


def test_a_publication_on_one_server_is_seen_on_the_other_at_once(stack):
    first, second = stack
    listing = second + "/en/categories/"
    _get(listing)
    page, cache_state = _get(listing)
    assert cache_state == "hit" and "Islet cell sheets" not in page

    _publish_through_admin(first, "islet-cell-sheets")

    page, cache_state = _get(listing)
    assert "Islet cell sheets" in page
    assert cache_state == "miss"
