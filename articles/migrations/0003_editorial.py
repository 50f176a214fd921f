# The editorial desk (issue 4): the audit trail and the "Editor" group.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

EDITOR_GROUP = "Editor"
# Exactly what the daily desk needs: write articles and their images (no deleting articles:
# unpublishing is the editorial tool), read revisions and the audit trail. Nothing on users or groups.
EDITOR_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "add_image"),
    ("articles", "change_image"),
    ("articles", "delete_image"),
    ("articles", "view_image"),
    ("articles", "view_historicalarticle"),
    ("articles", "view_historicalimage"),
    ("articles", "view_auditentry"),
]


def create_editor_group(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; create them now so a fresh
    # database gets a complete group.
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_label in ("auth", "contenttypes", "articles"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_contenttypes(app_config, apps=apps, verbosity=0)
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    wanted = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in EDITOR_PERMISSIONS
    ]
    group.permissions.set(wanted)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "article_title",
                    models.CharField(
                        blank=True,
                        help_text="The title at the time, kept if the article goes.",
                        max_length=500,
                    ),
                ),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("import_created", "Imported (new)"),
                            ("import_updated", "Re-imported (updated)"),
                            ("import_conflict", "Import conflict"),
                            ("import_accepted", "Incoming version accepted"),
                            ("import_dismissed", "Incoming version dismissed"),
                            ("created", "Created"),
                            ("edited", "Edited"),
                            ("published", "Published"),
                            ("unpublished", "Unpublished"),
                            ("restored", "Revision restored"),
                        ],
                        db_index=True,
                        max_length=20,
                    ),
                ),
                ("detail", models.CharField(blank=True, max_length=1000)),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
                (
                    "article",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="audit_entries",
                        to="articles.article",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty for the importer.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit trail",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["article", "-created_at"], name="audit_article_idx")
                ],
            },
        ),
        migrations.RunPython(create_editor_group, remove_editor_group),
    ]
