"""Run a function over many items in worker processes, in order, with bounded memory.

`concurrent.futures` does the process management; what it lacks before Python 3.14 is a
bound: `Executor.map()` submits every item at once, so a writer slower than its parsers would
hold the whole run in memory. `ordered_map()` keeps a few chunks per worker in flight.
"""

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import islice


def ordered_map(function, items, jobs, chunk_size=16, ahead=256):
    """`function(item)` for each item, computed by `jobs` processes and yielded in order.

    At most `ahead` items (rounded up to whole chunks of `chunk_size`) are queued, computed
    or waiting ahead of the consumer: enough to keep the workers busy while the consumer
    works through a batch, few enough to bound memory. Workers are forked, so they share the
    caller's settings; they must not use the caller's database connections (parsing needs none).
    """
    items = iter(items)
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_started,
        initargs=(os.getpid(),),
    )
    pending = deque()
    try:
        while True:
            while len(pending) * chunk_size < ahead:
                chunk = list(islice(items, chunk_size))
                if not chunk:
                    break
                pending.append(pool.submit(_map_chunk, function, chunk))
            if not pending:
                return
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _map_chunk(function, chunk):
    return [function(item) for item in chunk]


def _worker_started(parent_pid):
    # Ctrl-C is the parent's to handle: it stops the pool. A parent killed outright (kill -9)
    # cannot, and a worker blocked on its queue would wait forever, so each worker watches.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()


def _exit_with_parent(parent_pid):
    while os.getppid() == parent_pid:
        time.sleep(1)
    os._exit(1)
