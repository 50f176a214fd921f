"""An article as one reader sees it: in its own script, or converted to the other Chinese one.

A zh-Hans article read under /zh-hant/ (and the reverse) is shown in the reader's script at its
own URL, with its own `lang`, its canonical link pointing to the original. Every other article
is shown as written, under its own language's prefix.
"""

from dataclasses import dataclass

from articles import languages
from articles.scripts import convert_text, converted_fields


@dataclass
class Version:
    article: object
    title: str
    dateline: str
    summary: str
    language: str
    url: str
    script: str | None = None  # the site language it was converted to, or None: the original
    body: str = ""

    @property
    def direction(self):
        return languages.direction(self.language)


def script_for(article, reader_language):
    """The script to convert `article` to for a reader of `reader_language`, or None."""
    other = languages.other_script(article.language)
    return reader_language if other and other == reader_language else None


def shown_as(article, reader_language, *, page=False):
    """One article for a reader. An article page (`page`) has its body, and when converted,
    its title and body come from the conversion cache; a card's short texts are converted here.
    """
    script = script_for(article, reader_language)
    if script is None:
        return Version(
            article, article.title, article.dateline, article.summary, article.language,
            article.get_absolute_url(), body=article.body if page else "",
        )  # fmt: skip
    if page:
        converted = converted_fields([article], script, ("title", "body"))
        title, body = converted[article.pk, "title"], converted[article.pk, "body"]
    else:
        title, body = convert_text(article.title, script), ""
    return Version(
        article,
        title,
        convert_text(article.dateline, script),
        convert_text(article.summary, script),
        languages.tag(script),
        article.get_script_url(script),
        script,
        body,
    )


def cards_for(articles, reader_language):
    return [shown_as(article, reader_language) for article in articles]
