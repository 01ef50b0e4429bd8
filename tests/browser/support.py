"""Constants and helpers shared by the browser tests (kept out of conftest so tests can import them)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS_DIR = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
LANGUAGES = ("en", "zh-hans")


def url_path_is(path: str) -> re.Pattern:
    """A pattern for `expect(page).to_have_url` matching `path` on any host, with any query."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def serious_axe_violations(page) -> list[str]:
    """Run axe-core on the current page; one line per serious or critical violation.

    Minor and moderate findings are axe's judgement calls (best practices); serious and
    critical ones are WCAG failures a reader would hit: missing labels, contrast, landmarks.
    """
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    lines = []
    for violation in result["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['impact']} {violation['id']}: {violation['help']} -> {targets}")
    return lines


def save_screenshot(page, name: str) -> Path:
    """Write the visible viewport as `<name>.png` and the whole page as `<name>-full.png`."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=str(path))
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}-full.png"), full_page=True)
    return path
