"""Import archived article files: the entry points for the command, the admin, tasks and tests.

`import_file()` imports one file; `import_paths()` imports files and folders in batches, each
batch one transaction (`store.store_batch`), with parsing optionally spread over worker
processes (`jobs`). Outcomes come back in file order either way. What a file means is
`prepare.prepare_file`; how it is stored without losing an editor's work is `store.store`.
"""

import os
import zlib
from collections.abc import Iterable, Iterator
from functools import partial
from itertools import islice
from pathlib import Path

from django.db import transaction

from articles.ingest.outcomes import (  # noqa: F401 (the names callers import from here)
    CONFLICT,
    CREATED,
    FAILED,
    OUTCOMES,
    STALE,
    UNCHANGED,
    UPDATED,
    ImportOptions,
    Outcome,
    Summary,
)
from articles.ingest.prepare import Prepared, prepare_file
from articles.ingest.store import store, store_batch
from articles.ingest.workers import ordered_map


def default_jobs():
    """One parsing process per core this process may use."""
    return len(os.sched_getaffinity(0))


def iter_article_files(paths: Iterable[str | Path], shard=None) -> Iterator[Path]:
    """Files named directly, and every file below a directory (sorted; hidden files skipped).

    `shard` (k, n) keeps the files whose stable hash of the path below the named directory
    falls in part k of n (1 ≤ k ≤ n): n importers given the same folder, on one machine or
    several, take each file exactly once between them.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if (
                    child.is_file()
                    and not any(p.startswith(".") for p in relative.parts)
                    and _in_shard(relative, shard)
                ):
                    yield child
        elif _in_shard(Path(path.name), shard):
            yield path


def _in_shard(relative, shard):
    if shard is None:
        return True
    part, parts = shard
    return zlib.crc32(relative.as_posix().encode()) % parts == part - 1


def import_paths(paths, options=None, batch_size=200, jobs=1, shard=None):
    """Import many files, yielding one Outcome per file in file order.

    With `jobs` > 1, that many worker processes read, parse and sanitize while this process
    writes; a batch of `batch_size` files is one transaction, and each file in it is whole.
    """
    options = options or ImportOptions()
    files = iter_article_files(paths, shard)
    prepare = partial(prepare_file, options=options)
    if jobs > 1:  # the workers parse the next batch while this process writes one
        prepared = ordered_map(prepare, files, jobs, ahead=2 * batch_size)
    else:
        prepared = map(prepare, files)
    while batch := list(islice(prepared, batch_size)):
        with transaction.atomic():
            outcomes = store_batch(batch, options)
            if options.dry_run:
                transaction.set_rollback(True)
        yield from outcomes


def import_file(path, options=None, *, data=None):
    """Parse and store one file atomically; never raises for a bad file."""
    options = options or ImportOptions()
    item = prepare_file(path, options, data)
    if not isinstance(item, Prepared):
        return item
    return store(item, options)
