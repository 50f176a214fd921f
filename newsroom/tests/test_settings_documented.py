"""Every variable settings.py reads from the environment is documented in .env.example."""

import re
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def test_every_environment_variable_is_in_env_example():
    source = (BASE / "newsroom" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', source))
    documented = (BASE / ".env.example").read_text()
    assert len(read) > 20
    assert not sorted(name for name in read if name not in documented)


def test_no_setting_is_read_with_a_getattr_default():
    code = "\n".join(p.read_text() for p in (BASE / "articles").rglob("*.py"))
    assert not re.findall(r"getattr\(settings,", code)
