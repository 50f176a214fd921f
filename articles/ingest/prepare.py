"""Turn one file into what the writer stores, without the database.

Reading, parsing, cleaning and sanitizing are the import's CPU work, so with `--jobs` they run
in worker processes and the result is pickled back to the one process that writes.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from articles.ingest.outcomes import FAILED, ImportOptions, Outcome
from articles.ingest.parser import ImportFormatError, ParsedArticle, parse_article, source_for_host
from articles.models import Article
from articles.sanitize import clean_text


@dataclass
class Prepared:
    """A parsed file, the article it would create, and the editorial fields it would set."""

    parsed: ParsedArticle
    article: Article  # unsaved; content cleaned and sanitized, derived fields computed
    incoming: dict  # in the shape of `services.current_values()`

    @property
    def name(self):
        return self.parsed.file_name


def prepare_file(path, options=None, data=None):
    """A `Prepared`, or a failed `Outcome` naming the file, line and reason; never raises."""
    options = options or ImportOptions()
    name = str(path)
    try:
        if data is None:
            data = Path(path).read_bytes()
        parsed = parse_article(data, name, encoding=options.encoding)
    except ImportFormatError as exc:
        return Outcome(name, FAILED, reason=exc.reason, line=exc.line)
    except OSError as exc:
        return Outcome(name, FAILED, reason=f"cannot read file: {exc.strerror or exc}", line=0)
    return prepare_parsed(parsed, options)


def prepare_parsed(parsed, options):
    source_name, language = source_for_host(
        parsed.host, settings.NEWSROOM_SOURCES, settings.NEWSROOM_DEFAULT_LANGUAGE
    )
    article = Article(
        source_url=parsed.source_url,
        source_id=parsed.source_id,
        title=clean_text(parsed.title)[:500],
        dateline=clean_text(parsed.dateline)[:200],
        byline=clean_text(parsed.byline)[:300],
        body=parsed.body,
        published_at=parsed.published_at,
        language=options.language or language,
        source_name=options.source_name or source_name,
    )
    article.derive_fields()  # the body's one pass through the sanitizer
    incoming = {
        "title": article.title,
        "dateline": article.dateline,
        "byline": article.byline,
        "body": article.body,
        "published_at": parsed.published_at.isoformat() if parsed.published_at else None,
        "language": article.language,
        "source_name": article.source_name,
        "images": [
            {
                "role": image.role,
                "original_url": image.url,
                "caption": clean_text(image.caption),
                "credit": clean_text(image.credit)[:300],
                "alt_text": "",
            }
            for image in parsed.images
        ],
    }
    return Prepared(parsed, article, incoming)
