from django.urls import path

from .views import (
    applicants,
    attachments,
    circular,
    declarations,
    meetings,
    office,
    organisations,
    public,
    sections,
    steering,
)

app_name = "grants"
urlpatterns = [
    # Public: no sign-in
    path("foerderung/", public.public_funds, name="public_funds"),
    path("foerderung/<slug:slug>/", public.public_fund, name="public_fund"),
    path("seiten/<slug:kind>/", public.public_page, name="public_page"),
    # Applicants
    path("antraege/", applicants.application_list, name="applications"),
    path("antraege/neu/", applicants.application_create, name="application_create"),
    path("antraege/beginnen/", sections.application_begin, name="application_begin"),
    path("antraege/<int:pk>/abschnitt/<slug:section>/", sections.application_section, name="application_section"),
    path("antraege/<int:pk>/", applicants.application_detail, name="application"),
    path("antraege/<int:pk>/bearbeiten/", applicants.application_edit, name="application_edit"),
    path("antraege/<int:pk>/absenden/", applicants.application_submit, name="application_submit"),
    path("antraege/<int:pk>/zurueckziehen/", applicants.application_withdraw, name="application_withdraw"),
    path("antraege/<int:pk>/rechtsbehelfsverzicht/", applicants.appeal_waive, name="appeal_waive"),
    path("antraege/<int:pk>/verwendungsnachweis/", applicants.report_submit, name="report_submit"),
    path("dokumente/<int:pk>/", applicants.document_download, name="document"),
    path("antraege/<int:pk>/anlagen/", attachments.application_attachments, name="application_attachments"),
    path("anlagen/<int:pk>/", attachments.attachment_download, name="attachment"),
    path("anlagen/<int:pk>/entfernen/", attachments.attachment_remove, name="attachment_remove"),
    path("organisation/<int:pk>/", applicants.organisation_update, name="organisation_update"),
    path("organisation/neu/", organisations.organisation_create, name="organisation_create"),
    path("organisation/<int:pk>/mitglieder/", organisations.organisation_members, name="organisation_members"),
    path("organisation/<int:pk>/verlassen/", organisations.organisation_leave, name="organisation_leave"),
    path("einladung/<str:token>/", organisations.invitation_accept, name="invitation_accept"),
    # Office
    path("akten/<int:pk>/", office.staff_application_detail, name="staff_application"),
    path("dokumente/<int:pk>/korrigieren/", office.document_correct, name="document_correct"),
    path("geschaeftsstelle/bankverbindungen/", office.bank_changes, name="bank_changes"),
    path("geschaeftsstelle/bankverbindungen/<int:pk>/", office.bank_change_decide, name="bank_change_decide"),
    path("geschaeftsstelle/zustellung/", office.notifications_failed, name="notifications_failed"),
    path("geschaeftsstelle/zustellung/<int:pk>/", office.notification_retry, name="notification_retry"),
    path("geschaeftsstelle/statistik/", office.statistics, name="statistics"),
    # Steering group
    path("sitzungen/", steering.meeting_list, name="meetings"),
    path("sitzungen/<int:pk>/", steering.meeting_detail, name="meeting"),
    path("tagesordnung/<int:pk>/abstimmen/", steering.vote_cast, name="vote_cast"),
    path("tagesordnung/<int:pk>/befangenheit/", steering.conflict_declare, name="conflict_declare"),
    path("tagesordnung/<int:pk>/antrag/", steering.motion_put, name="motion_put"),
    path("tagesordnung/<int:pk>/abschliessen/", steering.vote_close, name="vote_close"),
    # A meeting in session and its papers
    path("sitzungen/<int:pk>/eroeffnen/", meetings.meeting_open, name="meeting_open"),
    path("sitzungen/<int:pk>/anwesenheit/", meetings.attendance_record, name="attendance_record"),
    path("sitzungen/<int:pk>/schliessen/", meetings.meeting_close, name="meeting_close"),
    path("sitzungen/<int:pk>/unterlagen/", meetings.agenda_pack, name="agenda_pack"),
    path("sitzungen/<int:pk>/protokoll/", meetings.minutes, name="minutes"),
    path("tagesordnung/<int:pk>/aufrufen/", meetings.item_open, name="item_open"),
    path("tagesordnung/<int:pk>/stimmen-erfassen/", meetings.votes_record, name="votes_record"),
    # The written procedure
    path("tagesordnung/<int:pk>/umlaufverfahren/", circular.circular_start, name="circular_start"),
    path("umlauf/", circular.circular_inbox, name="circular_inbox"),
    path("umlauf/<int:pk>/", circular.circular_ballot_cast, name="circular_ballot_cast"),
    # Standing declarations
    path("erklaerungen/", declarations.declarations, name="declarations"),
    path("erklaerungen/<int:pk>/zuruecknehmen/", declarations.tie_withdraw, name="tie_withdraw"),
    path("erklaerungen/hinweise/<int:pk>/", declarations.flag_decide, name="flag_decide"),
]
