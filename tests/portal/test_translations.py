"""The Chinese interface catalogue: every string translated, and the committed .mo compiled
from the committed .po (Django reads only the .mo, so a stale one hides new translations)."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries(path: Path) -> dict[tuple[str | None, str], tuple[bool, list[str]]]:
    """(context, msgid) -> (is a plural, msgstr forms), read from a .po file. A fuzzy entry
    has no forms: msgfmt leaves it out. The header and obsolete entries are skipped."""
    entries, entry, key = {}, {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = ""
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        elif line:
            key, _space, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
        else:
            if entry.get("msgid"):
                forms = [value for name, value in sorted(entry.items()) if name.startswith("msgstr")]
                entries[(entry.get("msgctxt"), entry["msgid"])] = (
                    "msgid_plural" in entry, [] if "fuzzy" in entry else forms)
            entry, key = {}, None
    return entries


def test_every_interface_string_has_a_chinese_translation():
    untranslated = [msgid for (_context, msgid), (_plural, forms) in po_entries(CATALOGUE / "django.po").items()
                    if not forms or not all(forms)]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source():
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    for (context, msgid), (plural, forms) in po_entries(CATALOGUE / "django.po").items():
        key = f"{context}\x04{msgid}" if context else msgid
        compiled = [catalogue.get((key, n)) for n in range(len(forms) or 1)] if plural else [catalogue.get(key)]
        assert compiled == (forms or [None]), msgid  # a fuzzy entry is left out
