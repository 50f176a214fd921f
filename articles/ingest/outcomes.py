"""What an import reports: one Outcome per file, a Summary of them, and the options it ran with.

Plain data, shared by the worker processes that parse and the writer that stores.
"""

import json
from dataclasses import dataclass, field

CREATED, UPDATED, UNCHANGED, CONFLICT, STALE, FAILED = (
    "created",
    "updated",
    "unchanged",
    "conflict",
    "stale",
    "failed",
)
OUTCOMES = (CREATED, UPDATED, UNCHANGED, CONFLICT, STALE, FAILED)


@dataclass
class Outcome:
    path: str
    outcome: str
    article_id: int | None = None
    reason: str = ""
    line: int | None = None
    warnings: tuple[str, ...] = ()

    def as_dict(self):
        return {
            "path": self.path,
            "outcome": self.outcome,
            "article_id": self.article_id,
            "reason": self.reason,
            "line": self.line,
            "warnings": list(self.warnings),
        }

    def as_json(self):
        return json.dumps(self.as_dict(), ensure_ascii=False)


@dataclass
class ImportOptions:
    publish: bool = False
    encoding: str | None = None
    source_name: str | None = None
    language: str | None = None
    dry_run: bool = False
    origin: str = ""  # what brought the file (an upload, an ingest source), for the audit trail


@dataclass
class Summary:
    counts: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    def add(self, outcome):
        self.counts[outcome.outcome] += 1

    def __str__(self):
        c = self.counts
        text = (
            f"created {c[CREATED]}, updated {c[UPDATED]}, unchanged {c[UNCHANGED]}, "
            f"conflicts {c[CONFLICT]}, failed {c[FAILED]}"
        )
        return text + (f", stale {c[STALE]}" if c[STALE] else "")
