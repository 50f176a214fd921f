"""The committed .mo files are compiled from the committed .po files, and every entry is translated.

The site and the tests read only the .mo files (no gettext needed to run them); this catches a
catalog edited without `make compilemessages`.
"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
ENTRY = re.compile(
    r'^msgid "(.*)"\n((?:".*"\n)*)(?:msgid_plural "(.*)"\n(?:".*"\n)*)?'
    r'(?:msgstr(?:\[0\])? "(.*)"\n((?:".*"\n)*))',
    re.M,
)


def _unquote(first, rest):
    text = first + "".join(re.findall(r'"(.*)"', rest or ""))
    return text.encode().decode("unicode_escape").encode("latin-1").decode()


def entries(po):
    for match in ENTRY.finditer(po.read_text()):
        msgid = _unquote(match.group(1), match.group(2))
        if msgid:
            yield msgid, match.group(3), _unquote(match.group(4), match.group(5))


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant", "fa"])
def test_compiled_catalog_matches_its_source_and_is_complete(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    with open(po.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    found = list(entries(po))
    assert len(found) > 100
    assert "#, fuzzy" not in po.read_text()
    for msgid, plural, msgstr in found:
        assert msgstr, f"{po}: untranslated: {msgid}"
        shown = compiled.ngettext(msgid, plural, 1) if plural else compiled.gettext(msgid)
        assert shown == msgstr, f"{po}: {msgid!r} compiled as {shown!r}: make compilemessages"
