"""Each public page costs a fixed, small number of queries, however many articles it shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.tests.test_reader_pages import make_article

MAX_QUERIES = 3


@pytest.fixture
def many_articles(db):
    now = timezone.now()
    return [
        make_article(
            title=f"DeepSeek story {i}",
            published_at=now - timedelta(hours=i),
            source_name="VOA Chinese",
            language="zh-Hans",
        )
        for i in range(30)
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/?page=2",
        "/en/sources/VOA Chinese/",
        "/zh-hans/languages/zh-Hans/",
        "/en/search/?q=DeepSeek",
    ],
)
def test_list_pages_stay_within_the_query_budget(
    client, many_articles, django_assert_max_num_queries, url
):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card-thumb"') >= 10


def test_detail_page_stays_within_the_query_budget(
    client, many_articles, django_assert_max_num_queries
):
    middle = many_articles[10]
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(middle.get_absolute_url())
    body = response.content.decode()
    assert "lead-figure" in body
    assert many_articles[9].get_absolute_url() in body
    assert many_articles[11].get_absolute_url() in body
