from __future__ import annotations

from typing import Any

from django import template
from django.conf.locale import LANG_INFO
from django.http import QueryDict
from django.utils.safestring import SafeString

from netweave.lib.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def language_name(code: str) -> str:
    info = LANG_INFO.get(code)
    return str(info.get("name_local") or info.get("name")) if info else code


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination and filters)."""
    request = context["request"]
    params: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def can(access: Any, capability: str) -> bool:
    return bool(access and access.can(capability))
