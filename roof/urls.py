from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pmf import views_audit

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", views.health, name="health"),
    path("audit/", views_audit.audit_log, name="audit"),
    path("audit/export.csv", views_audit.audit_export, name="audit-export"),
    path("admin/", admin.site.urls),
    path("", include("kpis.urls")),
    path("", include("reviews.urls")),
    path("", include("dashboards.urls")),
    path("", include("escalation.urls")),
    path("", include("pipeline.urls")),
    path("", include("national.urls")),
    path("", include("strategy.urls")),
    path("", include("scorecards.urls")),
    path("", include("trust_setup.urls")),
    path("", include("trust_setup.organisation_urls")),
]
if settings.PMF_SSO_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

admin.site.site_header = "PMF administration"
admin.site.site_title = "PMF"
