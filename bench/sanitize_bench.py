"""Sanitizer speed on the 40 real VOA bodies, read in place from shared/corpus/voa.

    .venv/bin/python bench/sanitize_bench.py [ROUNDS]

Prints one JSON line: bodies, rounds, best seconds per round and bodies per second. The best
of several rounds is the figure least disturbed by other work on the machine. To compare with
another version, run this same file from a checkout of it in the same session, e.g.
`git archive main | tar -x -C /tmp/main && cp bench/sanitize_bench.py /tmp/main/bench/`.
"""

import json
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

from articles.sanitize import sanitize_html  # noqa: E402

CORPUS = next(
    (p for p in (BASE.parent / "shared/corpus/voa", Path("/work/shared/corpus/voa")) if p.is_dir()),
    None,
)


def bodies():
    """The article HTML of each corpus file: everything after its 4 header lines."""
    return [p.read_text(encoding="utf-8").split("\n", 4)[4] for p in sorted(CORPUS.glob("*.md"))]


def main(rounds):
    html = bodies()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for body in html:
            sanitize_html(body)
        times.append(time.perf_counter() - start)
    best = min(times)
    print(
        json.dumps(
            {
                "bodies": len(html),
                "rounds": rounds,
                "best_s": round(best, 4),
                "bodies_per_s": round(len(html) / best, 1),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
