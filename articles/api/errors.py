"""Every API error as RFC 9457 problem details: one stable shape for 400, 401, 404, 429."""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

PROBLEM_TYPE = "application/problem+json; charset=utf-8"


class Problem(serializers.Serializer):
    """The body of every error response (RFC 9457)."""

    type = serializers.CharField(help_text="Always `about:blank`: the status says what happened.")
    title = serializers.CharField(help_text="The status's phrase, e.g. `Not Found`.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong with this request.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For 400: the query parameters at fault and why.",
    )


def problem_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    body = {
        "type": "about:blank",
        "title": HTTPStatus(response.status_code).phrase,
        "status": response.status_code,
    }
    if isinstance(response.data, dict) and set(response.data) == {"detail"}:
        body["detail"] = str(response.data["detail"])
    else:
        body["detail"] = "Invalid query parameters."
        data = response.data if isinstance(response.data, dict) else {"query": response.data}
        body["errors"] = {
            field: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for field, msgs in data.items()
        }
    response.data = body
    response.content_type = PROBLEM_TYPE
    return response


def not_found(request, exception):
    """The site's 404: problem details under /api/ (an address no route matches), else the page."""
    if request.path.startswith("/api/"):
        body = {
            "type": "about:blank",
            "title": "Not Found",
            "status": 404,
            "detail": "No such API address.",
        }
        response = JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
        response["Content-Type"] = PROBLEM_TYPE
        return response
    return page_not_found(request, exception)
