"""JSON as UTF-8 with its charset declared, so CJK text travels as itself, not `\\u` escapes."""

from rest_framework.renderers import JSONRenderer


class UTF8JSONRenderer(JSONRenderer):
    charset = "utf-8"
