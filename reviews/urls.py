from django.urls import include, path

from .views import actions, calendar, meetings, packs, ratings

urlpatterns = [
    path("ratings/", ratings.ratings_overview, name="ratings"),
    path("divisions/<str:code>/", ratings.division, name="division"),
    path("divisions/<str:code>/review/", ratings.accountability_review, name="accountability-review"),
    path("", include("reviews.ipr.urls")),
    path("calendar/", meetings.trust_calendar, name="calendar"),
    path("calendar/feed/<str:token>.ics", meetings.calendar_feed, name="calendar-feed"),
    path("calendar/address/reset/", calendar.reset_calendar_address, name="calendar-address-reset"),
    path("divisions/<str:code>/calendar/", meetings.division_calendar, name="division-calendar"),
    path("meetings/<int:pk>/", meetings.meeting, name="meeting"),
    path("meetings/<int:pk>/record/", meetings.record, name="meeting-record"),
    path("meetings/<int:pk>/pack/", packs.pack, name="pack"),
    path("meetings/<int:pk>/pack.pdf", packs.pack_pdf, name="pack-pdf"),
    path("meetings/<int:pk>/pack/print/", packs.pack_print, name="pack-print"),
    path("meetings/<int:pk>/pack/build/", meetings.pack_build, name="pack-build"),
    path("meetings/<int:pk>/pack/edit/", meetings.pack_edit, name="pack-edit"),
    path("meetings/<int:pk>/pack/issue/", meetings.pack_issue, name="pack-issue"),
    path("meetings/<int:pk>/pack/circulate/", meetings.pack_circulate, name="pack-circulate"),
    path("actions/", actions.action_log, name="actions"),
    path("actions/export.csv", actions.action_export_csv, name="actions-csv"),
    path("actions/export.xlsx", actions.action_export_xlsx, name="actions-xlsx"),
    path("actions/new/", actions.action_create, name="action-create"),
    path("actions/<int:pk>/", actions.action_detail, name="action"),
    path("actions/<int:pk>/update/", actions.action_update, name="action-update"),
    path("fpec/<str:month>/", actions.fpec, name="fpec"),
    path("fpec/<str:month>/pdf/", actions.fpec_pdf, name="fpec-pdf"),
]
