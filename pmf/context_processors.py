from django.conf import settings
from django.http import HttpRequest

from .permissions import request_access


def product(request: HttpRequest) -> dict[str, object]:
    access = request_access(request) if hasattr(request, "user") else None
    return {
        "product_name": "PMF",
        "product_long_name": "Performance Management Framework",
        "can_view_audit": bool(access and access.can_view_audit),
        "sso_enabled": settings.PMF_SSO_ENABLED,
    }
