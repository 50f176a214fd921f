"""ordered_map(): worker processes that keep the order and hold a bounded amount ahead."""

import os
import time

import pytest

from articles.ingest.workers import ordered_map


def slow_for_small_numbers(n):
    time.sleep(0.002 * (n % 5))  # later items often finish first
    return n, os.getpid()


def fail_on_seven(n):
    if n == 7:
        raise ValueError("seven")
    return n


def test_results_come_in_input_order_from_several_processes():
    results = list(ordered_map(slow_for_small_numbers, range(200), jobs=2, chunk_size=3))
    assert [n for n, _ in results] == list(range(200))
    assert len({pid for _, pid in results}) == 2
    assert os.getpid() not in {pid for _, pid in results}


def test_only_a_few_chunks_are_taken_ahead_of_the_consumer():
    taken = []

    def items():
        for n in range(1000):
            taken.append(n)
            yield n

    results = ordered_map(abs, items(), jobs=2, chunk_size=10, ahead=60)
    for consumed in range(1, 301):
        next(results)
        # the chunks ahead plus the one being consumed
        assert len(taken) - consumed <= 60 + 10
    results.close()
    assert len(taken) < 400


def test_an_error_in_a_worker_reaches_the_caller_after_the_results_before_it():
    results = ordered_map(fail_on_seven, range(20), jobs=2, chunk_size=1)
    assert [next(results) for _ in range(7)] == list(range(7))
    with pytest.raises(ValueError, match="seven"):
        next(results)
