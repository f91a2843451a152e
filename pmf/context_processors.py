from django.conf import settings
from django.http import HttpRequest

from .navigation import menu_for
from .permissions import request_access


def product(request: HttpRequest) -> dict[str, object]:
    access = request_access(request) if hasattr(request, "user") else None
    return {
        "product_name": "PMF",
        "product_long_name": "Performance Management Framework",
        "main_menu": menu_for(access) if access and access.is_authenticated else [],
        "sso_enabled": settings.PMF_SSO_ENABLED,
        "password_reset_offered": bool(settings.EMAIL_HOST),
    }
