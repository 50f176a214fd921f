"""`manage.py check --deploy` is clean with the production variables `.env.example` documents."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def documented_production_env():
    """The uncommented assignments of .env.example, with a real key in place of the placeholder."""
    env = {}
    for line in (BASE_DIR / ".env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            env[name.strip()] = value.strip()
    alphabet = string.ascii_letters + string.digits + "-_"
    env["SECRET_KEY"] = "".join(secrets.choice(alphabet) for _ in range(50))
    return env


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_reports_nothing_with_documented_production_variables():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=documented_production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = documented_production_env()
    env["SECRET_KEY"] = ""
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
