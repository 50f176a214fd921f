"""The desk's dashboard on the admin's front page: what came in, what waits for an editor."""

from datetime import datetime, time

from django import template
from django.db.models import Count
from django.utils import timezone

from articles.models import Article, ImportJob, IngestSource

register = template.Library()

BAR_WIDTH = 240
SHOWN = 5


def start_of_today():
    """Midnight in the site's zone, as the desk counts a day."""
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today, time.min))


@register.inclusion_tag("admin/articles/_dashboard.html")
def desk_dashboard():
    today = list(
        Article.objects.filter(created_at__gte=start_of_today())
        .values("source_name")
        .annotate(count=Count("id"))
        .order_by("-count", "source_name")
    )
    most = max((row["count"] for row in today), default=0)
    for index, row in enumerate(today):
        row["width"] = max(2, BAR_WIDTH * row["count"] // most)
        row["y"] = index * 22
    scheduled = Article.objects.scheduled().order_by("published_at")
    return {
        "today": today,
        "today_total": sum(row["count"] for row in today),
        "chart_height": len(today) * 22,
        "bar_width": BAR_WIDTH,
        "conflicts": Article.objects.with_conflicts().count(),
        "scheduled_count": scheduled.count(),
        "scheduled": scheduled.only("id", "title", "published_at")[:SHOWN],
        "failing": IngestSource.objects.filter(failures__gt=0),
        "sources": IngestSource.objects.count(),
        "jobs": ImportJob.objects.filter(
            status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
        ).count(),
    }
