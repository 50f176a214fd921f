"""What the Content API shows of an article: reader-visible fields only, never the desk's."""

from django.core.files.storage import default_storage
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles import languages
from articles.models import Article, Image


class Rendition(serializers.Serializer):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="The stored picture once fetched, else the original."
    )
    renditions = serializers.SerializerMethodField(
        help_text="Resized copies by format (`jpeg`, `webp`), smallest first; empty until fetched."
    )

    class Meta:
        model = Image
        fields = ["role", "url", "width", "height", "caption", "credit", "alt_text", "renditions"]

    def get_url(self, image) -> str:
        return default_storage.url(image.file.name) if image.file else image.original_url

    @extend_schema_field(serializers.DictField(child=Rendition(many=True)))
    def get_renditions(self, image):
        return {
            kind: [
                {"url": default_storage.url(r["name"]), "width": r["width"], "height": r["height"]}
                for r in items
            ]
            for kind, items in (image.renditions or {}).items()
        }


class ArticleSerializer(serializers.ModelSerializer):
    """An article in a list; `fields=` (a comma-separated list) keeps only the named ones."""

    url = serializers.SerializerMethodField(help_text="The article's canonical page.")
    direction = serializers.SerializerMethodField(help_text="`ltr` or `rtl`, from the language.")
    source = serializers.CharField(source="source_name", read_only=True, help_text="The publisher.")
    # Article.lead_image reads the prefetched images; one nested serializer built once per list.
    lead_image = ImageSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = [
            "slug", "title", "dateline", "byline", "summary", "published_at", "updated_at",
            "language", "direction", "source", "source_url", "url", "lead_image",
        ]  # fmt: skip
        read_only_fields = fields

    def __init__(self, *args, fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fields:
            for name in set(self.fields) - set(fields):
                self.fields.pop(name)

    def get_url(self, article) -> str:
        request = self.context.get("request")
        path = article.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def get_direction(self, article) -> str:
        return languages.direction(article.language)


class ArticleDetailSerializer(ArticleSerializer):
    """One article: its sanitized body, every picture and the provenance readers may see."""

    images = ImageSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField(
        help_text="`published`, or for a staff token `draft`, `review` or `scheduled`."
    )

    class Meta(ArticleSerializer.Meta):
        fields = [
            *ArticleSerializer.Meta.fields,
            "body",
            "images",
            "source_id",
            "captured_at",
            "status",
        ]

    def get_status(self, article) -> str:
        if article.is_public:
            return "published"
        if article.status == Article.Status.PUBLISHED:
            return "scheduled"
        return article.status


def field_names(serializer_class):
    return list(serializer_class().fields)


class SourceSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Published articles.")


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    direction = serializers.CharField()
    count = serializers.IntegerField(help_text="Published articles.")
