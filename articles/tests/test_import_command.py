"""`manage.py import_articles`: summary, errors, exit codes, report, and crash safety."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article

DATA = Path(__file__).parent / "data"
SEED = Path(settings.BASE_DIR) / "seeds" / "000_eea83d68b8caacf9.txt"


def run_command(*args):
    """Call the command in-process; returns (exit code, stdout, stderr)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_default_path_imports_seeds_and_prints_the_summary():
    code, out, _ = run_command()
    assert code == 0
    assert out.strip().splitlines()[-1] == (
        "created 1, updated 0, unchanged 0, conflicts 0, failed 0"
    )
    code, out, _ = run_command()
    assert out.strip().splitlines()[-1] == (
        "created 0, updated 0, unchanged 1, conflicts 0, failed 0"
    )


@pytest.mark.django_db
def test_bad_files_get_one_line_each_and_exit_status_one(tmp_path):
    report = tmp_path / "report.jsonl"
    code, out, err = run_command(str(DATA), "--report", str(report))
    assert code == 1
    lines = err.strip().splitlines()
    assert f"{DATA / 'gbk.txt'}:2: not valid utf-8: byte 0xb9 at offset 22" in err
    assert f"{DATA / 'javascript_url.txt'}:2: source URL must be http or https" in err
    assert all(line.startswith(str(DATA)) for line in lines)
    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len([path for path in DATA.rglob("*") if path.is_file()])
    failed = [r for r in rows if r["outcome"] == "failed"]
    assert len(failed) == len(lines)
    assert {"path", "outcome", "article_id", "reason"} <= set(rows[0])
    created = [r for r in rows if r["outcome"] == "created"]
    assert Article.objects.count() == len(created)
    assert out.strip().splitlines()[-1].endswith(f"failed {len(failed)}")


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing():
    code, out, _ = run_command(str(SEED), "--dry-run")
    assert code == 0
    assert "dry run, nothing written: created 1" in out
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_encoding_option_imports_a_legacy_file():
    code, _, _ = run_command(str(DATA / "gbk.txt"), "--encoding", "gbk")
    assert code == 0
    assert Article.objects.get().title == "国标编码文件"


@pytest.mark.django_db
def test_missing_path_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file or directory: /nonexistent"):
        call_command("import_articles", "/nonexistent")


@pytest.mark.django_db
def test_verbose_output_names_each_file_and_warnings():
    _, out, _ = run_command(str(DATA / "local_time.txt"), "-v", "2")
    assert "local_time.txt: created" in out
    assert "warning: publish date '2025-02-09 16:47:40' has no time of day or zone" in out


# --- real processes: concurrent runs and kill -9 ---------------------------------------------


def make_files(folder, count):
    """`count` distinct articles of the seed's shape (distinct URLs)."""
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for n in range(count):
        (folder / f"{n:05}.txt").write_text(
            text.replace("/7968583.html", f"/{9000000 + n}.html"), encoding="utf-8"
        )
    return folder


def process_env(tmp_path):
    """Environment for a child process that shares this test's database."""
    env = {**os.environ, "DEBUG": "True"}
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
    else:
        s = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
            f"{s['PORT'] or 5432}/{s['NAME']}"
        )
    return env


def manage(env, *args, **kwargs):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def count_rows(env):
    """Counts read by a separate process, so they reflect what is committed."""
    code = (
        "from articles.models import Article, Image;"
        "print(Article.objects.count(), Image.objects.count(),"
        " Article.objects.filter(images__isnull=True).count(),"
        " len(set(Article.objects.values_list('source_url', flat=True))))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return tuple(int(x) for x in result.stdout.split())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_two_runs_at_once_make_no_duplicates(tmp_path, jobs):
    env = process_env(tmp_path)
    folder = make_files(tmp_path / "files", 60)
    runs = [
        manage(env, "import_articles", str(folder), "--batch-size", "10", "--jobs", jobs)
        for _ in range(2)
    ]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert count_rows(env) == (60, 60, 0, 60)
    summaries = [out.strip().splitlines()[-1] for out, _ in results]
    created = sum(int(s.split(",")[0].split()[-1]) for s in summaries)
    assert created == 60, summaries


@pytest.mark.django_db(transaction=True)
def test_importers_sharing_a_folder_by_shard_take_every_file_once(tmp_path):
    env = process_env(tmp_path)
    folder = make_files(tmp_path / "files", 60)
    runs = [
        manage(env, "import_articles", str(folder), "--shard", f"{part}/3", "--batch-size", "10")
        for part in (1, 2, 3)
    ]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], results
    created = [int(out.strip().splitlines()[-1].split(",")[0].split()[-1]) for out, _ in results]
    assert sum(created) == 60 and all(created), created
    assert count_rows(env) == (60, 60, 0, 60)


@pytest.mark.parametrize(
    ("value", "reason"), [("3/2", "K must be between 1 and N"), ("half", "is not K/N")]
)
def test_a_malformed_shard_is_refused_with_the_reason(value, reason):
    with pytest.raises(CommandError, match=reason):
        call_command("import_articles", "--shard", value)


def child_processes(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_kill_9_mid_run_leaves_a_consistent_database_and_a_rerun_finishes(tmp_path, jobs):
    env = process_env(tmp_path)
    folder = make_files(tmp_path / "files", 400)
    args = ["import_articles", str(folder), "--batch-size", "20", "--jobs", jobs, "-v", "2"]
    run = manage(env, *args)
    deadline = time.monotonic() + 120
    seen = 0
    while seen < 30 and time.monotonic() < deadline:  # let it commit a batch or more
        line = run.stdout.readline()
        seen += "created" in line
    workers = child_processes(run.pid)
    assert len(workers) == (0 if jobs == "1" else 2)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    articles, images, without_images, urls = count_rows(env)
    assert articles == images == urls  # every committed article is whole
    assert without_images == 0
    assert articles < 400
    deadline = time.monotonic() + 10  # parsing workers notice and exit
    while any(map(running, workers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(map(running, workers))
    rerun = manage(env, "import_articles", str(folder), "--jobs", jobs)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert count_rows(env) == (400, 400, 0, 400)
    assert f"created {400 - articles}, updated 0, unchanged {articles}" in out
