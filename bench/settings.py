"""Production settings plus the benchmark's floor views (never part of the real site)."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
