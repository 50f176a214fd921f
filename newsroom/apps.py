"""The project package as an app, so its signal receivers load in every process."""

from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"

    def ready(self):
        # The page cache's invalidation must run in the importer and shell too, not only in
        # processes that load the middleware.
        from newsroom import middleware  # noqa: F401
