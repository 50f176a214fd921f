from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        # The desk's admin lives in articles/desk/, where the admin's autodiscovery does not look.
        from articles.desk import admin, background  # noqa: F401
