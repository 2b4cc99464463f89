"""A meeting in session: opened by the chair, attendance, deputies, items called one by one, the
office recording the room's votes, the meeting closed; its papers, invitation and minutes."""

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from icalendar import Calendar
from pypdf import PdfReader

from grants import roles, services
from grants.models import Decision, Document, Meeting, Vote
from notifications.models import Notification
from tests import journey
from tests.factories import ApplicationFactory, FundRoleFactory
from tests.steps import in_session, on_agenda, vote


@pytest.fixture
def item(application, people):
    return on_agenda(application, people["office"], amount=Decimal("2400"))


def pdf_text(document) -> str:
    with document.file.open("rb") as pdf:
        return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read())).pages).split())


def test_no_vote_before_the_meeting_is_open_nor_before_the_item_is_called(item, people):
    member = people["members"][1]
    with pytest.raises(ValidationError, match="während der Sitzung"):
        services.vote_cast(agenda_item=item, member=member, choice=Vote.YES)
    services.meeting_open(meeting=item.meeting, actor=people["chair"])
    services.attendance_record(meeting=item.meeting, actor=people["chair"], present=people["members"][:5])
    with pytest.raises(ValidationError, match="noch nicht aufgerufen"):
        services.vote_cast(agenda_item=item, member=member, choice=Vote.YES)
    response = journey.login(member).post(f"/tagesordnung/{item.pk}/abstimmen/", {"choice": "yes"})  # crafted
    assert response.status_code == 302 and not Vote.objects.exists()
    services.item_open(agenda_item=item, actor=people["chair"])
    services.vote_cast(agenda_item=item, member=member, choice=Vote.YES)
    assert Vote.objects.count() == 1


def test_no_vote_on_a_decided_item(item, people):
    vote(item, people["members"][:4], Vote.YES)
    services.vote_close(agenda_item=item, actor=people["chair"])
    with pytest.raises(ValidationError, match="bereits entschieden"):
        services.vote_cast(agenda_item=item, member=people["members"][4], choice=Vote.NO)


def test_a_member_absent_from_the_attendance_cannot_vote(item, people):
    in_session(item, people["members"][:4])
    with pytest.raises(ValidationError, match="anwesende Mitglieder"):
        services.vote_cast(agenda_item=item, member=people["members"][4], choice=Vote.YES)


def test_the_quorum_counts_the_members_present_not_the_votes_cast(item, people):
    in_session(item, people["members"][:4])  # four present, the quorum
    vote(item, people["members"][:3], Vote.YES)  # one of them does not vote
    decision = services.vote_close(agenda_item=item, actor=people["chair"]).decision
    assert decision.kind == Decision.APPROVE


def test_a_deputy_votes_only_when_the_member_is_absent(fund, item, people):
    principal = fund.roles.get(user=people["members"][1], role=roles.MEMBER)
    deputy = FundRoleFactory(fund=fund, role=roles.MEMBER, has_vote=False, substitute_for=principal).user
    in_session(item, [*people["members"][:4], deputy])
    with pytest.raises(ValidationError, match="kein Stimmrecht"):  # the member is there: the deputy has no vote
        services.vote_cast(agenda_item=item, member=deputy, choice=Vote.YES)
    services.attendance_record(meeting=item.meeting, actor=people["chair"],
                               present=[people["members"][0], *people["members"][2:4], deputy])  # fmt: skip
    services.vote_cast(agenda_item=item, member=deputy, choice=Vote.YES)
    page = journey.login(people["chair"]).get(f"/sitzungen/{item.meeting_id}/anwesenheit/").content.decode()
    assert f"Vertretung für {people['members'][1]}" in page


def test_the_office_records_the_votes_of_the_room(item, people):
    in_session(item, people["members"][:4])
    office = journey.login(people["office"])
    url = f"/tagesordnung/{item.pk}/stimmen-erfassen/"
    page = office.get(url).content.decode()
    assert str(people["members"][3]) in page
    form = {f"member_{member.pk}": "yes" for member in people["members"][:3]}
    assert office.post(url, {**form, f"member_{people['members'][3].pk}": "no"}).status_code == 302
    assert list(Vote.objects.values_list("choice", flat=True).order_by("choice")) == ["no", "yes", "yes", "yes"]
    assert Vote.objects.filter(recorded_by=people["office"]).count() == 4
    assert journey.login(people["members"][1]).get(url).status_code == 404  # members vote themselves


def test_closing_the_meeting_sends_the_undecided_items_to_the_next_one(fund, item, people, club):
    other = on_agenda(ApplicationFactory(fund=fund, organisation=club[0], created_by=club[1]), people["office"])
    vote(item, people["members"][:4], Vote.YES)
    services.vote_close(agenda_item=item, actor=people["chair"])
    chair = journey.login(people["chair"])
    assert other.application.reference in chair.get(f"/sitzungen/{item.meeting_id}/schliessen/").content.decode()
    assert chair.post(f"/sitzungen/{item.meeting_id}/schliessen/").status_code == 302
    meeting = Meeting.objects.get(pk=item.meeting_id)
    assert meeting.status == Meeting.Status.CLOSED
    deferred = Decision.objects.get(agenda_item=other)
    assert deferred.kind == Decision.DEFER and "bevor der Punkt behandelt wurde" in deferred.reasons
    assert other.application.agenda_items.get(closed_at=None).meeting.date > meeting.date
    assert Notification.objects.filter(template="decision_deferred", application=other.application).exists()
    with pytest.raises(ValidationError):
        services.meeting_open(meeting=meeting, actor=people["chair"])


@pytest.fixture
def decided_meeting(fund, item, people, club):
    """A meeting with one approval (a member recused) and one rejection, closed."""
    services.conflict_declare(agenda_item=item, member=people["members"][4], reason="Vorstand des Vereins")
    vote(item, people["members"][:4], Vote.YES)
    services.vote_close(agenda_item=item, actor=people["chair"])
    second = on_agenda(ApplicationFactory(fund=fund, organisation=club[0], created_by=club[1], title="Lichtkunst"),
                       people["office"])  # fmt: skip
    vote(second, people["members"][:1], Vote.YES)
    vote(second, people["members"][1:4], Vote.NO)
    services.vote_close(agenda_item=second, actor=people["chair"], reasons="Kein Bezug zu den Zielen.")
    services.meeting_close(meeting=item.meeting, actor=people["chair"])
    return Meeting.objects.get(pk=item.meeting_id)


def test_the_minutes_record_attendance_votes_recusals_by_name_and_outcomes(decided_meeting, people):
    chair = journey.login(people["chair"])
    url = f"/sitzungen/{decided_meeting.pk}/protokoll/"
    assert "noch nicht genehmigt" in chair.get(url).content.decode()
    assert chair.post(url, {"reason": ""}).status_code == 302
    minutes = Document.objects.get(meeting=decided_meeting, kind=Document.MINUTES)
    text = pdf_text(minutes)
    for member in people["members"][:4]:
        assert str(member) in text  # attendance
    assert f"{people['members'][4]} (Vorstand des Vereins)" in text  # the recusal, by name
    assert "4 Ja, 0 Nein, 0 Enthaltungen, 1 befangen" in text and "1 Ja, 3 Nein" in text
    assert "Beschluss: Bewilligt – 2.400,00 EUR" in text and "Beschluss: Abgelehnt" in text
    assert "Kein Bezug zu den Zielen." in text

    # Fixed: approving again is a correction, with its reason, as a new version.
    assert chair.post(url, {"reason": ""}).status_code == 200
    assert chair.post(url, {"reason": "Uhrzeit berichtigt"}).status_code == 302
    correction = Document.objects.get(meeting=decided_meeting, kind=Document.MINUTES, supersedes=minutes)
    assert "Uhrzeit berichtigt" in pdf_text(correction) and minutes.file.storage.exists(minutes.file.name)


def test_only_the_chair_approves_the_minutes_and_with_a_fresh_second_factor(decided_meeting, people):
    url = f"/sitzungen/{decided_meeting.pk}/protokoll/"
    assert journey.login(people["members"][1]).post(url).status_code == 403
    stale = journey.login(people["chair"])
    session = stale.session
    session["account_authentication_methods"][0]["at"] -= 60 * 60
    session.save()
    response = stale.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/konto/2fa/reauthenticate/")
    assert not Document.objects.filter(meeting=decided_meeting, kind=Document.MINUTES).exists()


def test_the_invitation_goes_out_once_with_the_papers_and_a_calendar_entry(
    fund, item, people, smtp_sink, celery_eager, django_capture_on_commit_callbacks
):
    from grants.tasks import meeting_invitations

    fund.meeting_place = "Rathaus Harburg, Raum 102"
    fund.save(update_fields=["meeting_place"])
    meeting = item.meeting
    with time_machine.travel(dt.datetime.combine(meeting.date - dt.timedelta(days=8), dt.time(9)), tick=False):
        assert meeting_invitations() == []
    with time_machine.travel(dt.datetime.combine(meeting.date - dt.timedelta(days=7), dt.time(9)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert meeting_invitations() == [meeting.pk]
            assert meeting_invitations() == []  # once
    mails = smtp_sink.wait_for(len(people["members"]))
    invitation = next(mail for mail in mails if mail["To"] == people["members"][1].email)
    [ics] = [part for part in invitation.iter_attachments() if part.get_content_type() == "text/calendar"]
    [letter, pack] = [part for part in invitation.iter_attachments() if part.get_content_type() == "application/pdf"]
    event = next(component for component in Calendar.from_ical(ics.get_content()).walk("VEVENT"))
    assert event.decoded("dtstart").date() == meeting.date and event.decoded("dtstart").hour == 17
    assert str(event.get("location")) == "Rathaus Harburg, Raum 102"
    assert item.application.reference in str(event.get("description"))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.get_content())).pages)
    assert item.application.title in text and "Votum der Geschäftsstelle" in text
    # The invitation is a letter of its own, filed with the meeting: day, time, place and agenda.
    filed = Document.objects.get(meeting=meeting, kind=Document.INVITATION)
    assert hashlib.sha256(letter.get_content()).hexdigest() == filed.sha256
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.get_content())).pages).split())
    for part in ("Einladung zur Sitzung", "Mittwoch, " + meeting.date.strftime("%d.%m.%Y") + ", 17:00 Uhr",
                 "Rathaus Harburg, Raum 102", f"TOP 1: Antrag {item.application.reference}", item.application.title,
                 "Befangenheit", fund.signatory_name):  # fmt: skip
        assert part in text, part


def test_an_invitation_without_a_place_is_refused_naming_the_part_and_tried_again(
    fund, item, people, smtp_sink, celery_eager, django_capture_on_commit_callbacks
):
    from grants.services.deadlines import office_emails
    from grants.tasks import meeting_invitations

    fund.meeting_place = ""
    fund.save(update_fields=["meeting_place"])
    meeting = item.meeting
    with time_machine.travel(dt.datetime.combine(meeting.date - dt.timedelta(days=7), dt.time(9)), tick=False):
        with pytest.raises(ValidationError, match="„place“"):
            services.meeting_invite(meeting=meeting)
        with django_capture_on_commit_callbacks(execute=True):
            assert meeting_invitations() == []
            assert meeting_invitations() == []  # tried again each hour; the office is told once
        assert not Document.objects.filter(meeting=meeting).exists()
        office = set(office_emails(fund))
        notices = smtp_sink.wait_for(len(office))
        assert {mail["To"] for mail in notices} == office and len(notices) == len(office)
        assert all("kann nicht verschickt werden" in mail["Subject"] for mail in notices)
        assert "„place“" in notices[0].get_body(("plain",)).get_content()
        smtp_sink.messages.clear()
        meeting.place = "Jugendzentrum Heimfeld"
        meeting.save(update_fields=["place"])
        with django_capture_on_commit_callbacks(execute=True):
            assert meeting_invitations() == [meeting.pk]
    assert {mail["To"] for mail in smtp_sink.wait_for(len(people["members"]))} == {m.email for m in people["members"]}


def test_the_meeting_papers_hold_no_bank_data_nor_contact_details(item, people):
    response = journey.login(people["members"][1]).get(f"/sitzungen/{item.meeting_id}/unterlagen/")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    organisation = item.application.organisation
    assert item.application.title in text and "3.000,00 EUR" in text and "Noch verfügbar" in text
    for private in (organisation.iban, organisation.email, organisation.street, organisation.contact_name):
        assert private not in text


def test_a_standing_declaration_flags_matching_items_for_the_member_to_confirm(fund, item, people, club):
    member = journey.login(people["members"][2])
    response = member.post("/erklaerungen/", {"organisation": club[0].pk, "note": "Mitglied im Vorstand",
                                               "fund": fund.pk})  # fmt: skip
    assert response.status_code == 302
    flag = item.conflict_flags.get()
    assert flag.member == people["members"][2] and flag.status == "open"
    later = on_agenda(ApplicationFactory(fund=fund, organisation=club[0], created_by=club[1]), people["office"])
    assert later.conflict_flags.get().member == people["members"][2]  # new items are flagged when put on the agenda
    chair_page = journey.login(people["chair"]).get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert "Hinweise aus dauerhaften Erklärungen" in chair_page and "zu bestätigen" in chair_page
    member.post(f"/erklaerungen/hinweise/{flag.pk}/", {"decision": "confirm"})
    assert item.conflicts.filter(member=people["members"][2]).exists()
    member.post(f"/erklaerungen/hinweise/{later.conflict_flags.get().pk}/", {"decision": "dismiss"})
    assert later.conflict_flags.get().status == "dismissed" and not later.conflicts.exists()


def test_a_document_missing_a_mandatory_part_is_refused(item, people):
    vote(item, people["members"][:4], Vote.NO)
    decision = services.vote_close(agenda_item=item, actor=people["chair"], reasons="Kein Bezug.").decision
    Decision.objects.filter(pk=decision.pk).update(reasons="   ")
    with pytest.raises(ValidationError, match="Pflichtbestandteil „reasons“ fehlt"):
        services.decision_letter_issue(decision=decision)
    assert not Document.objects.exists()
