from django.urls import path

from . import action_views, calendar_views, meeting_views

urlpatterns = [
    path("calendar/", meeting_views.trust_calendar, name="calendar"),
    path("calendar/feed/<str:token>.ics", meeting_views.calendar_feed, name="calendar-feed"),
    path("calendar/address/reset/", calendar_views.reset_calendar_address, name="calendar-address-reset"),
    path("divisions/<str:code>/calendar/", meeting_views.division_calendar, name="division-calendar"),
    path("meetings/<int:pk>/", meeting_views.meeting, name="meeting"),
    path("meetings/<int:pk>/record/", meeting_views.record, name="meeting-record"),
    path("meetings/<int:pk>/pack/", meeting_views.pack, name="pack"),
    path("meetings/<int:pk>/pack.pdf", meeting_views.pack_pdf, name="pack-pdf"),
    path("meetings/<int:pk>/pack/build/", meeting_views.pack_build, name="pack-build"),
    path("meetings/<int:pk>/pack/edit/", meeting_views.pack_edit, name="pack-edit"),
    path("meetings/<int:pk>/pack/issue/", meeting_views.pack_issue, name="pack-issue"),
    path("meetings/<int:pk>/pack/circulate/", meeting_views.pack_circulate, name="pack-circulate"),
    path("actions/", action_views.action_log, name="actions"),
    path("actions/export.csv", action_views.action_export_csv, name="actions-csv"),
    path("actions/export.xlsx", action_views.action_export_xlsx, name="actions-xlsx"),
    path("actions/new/", action_views.action_create, name="action-create"),
    path("actions/<int:pk>/", action_views.action_detail, name="action"),
    path("actions/<int:pk>/update/", action_views.action_update, name="action-update"),
    path("fpec/<str:month>/", action_views.fpec, name="fpec"),
    path("fpec/<str:month>/pdf/", action_views.fpec_pdf, name="fpec-pdf"),
]
