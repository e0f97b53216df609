"""Calendars (RFC 5545) written with `icalendar`, parsed back with it: the events of a report's dated
steps and of recurring duties, their times in Vietnam, titles, descriptions and reminders."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

from quyche import MeetingPlan, default_calendar, evaluate, load_rulebook
from quyche.errors import InputError
from quyche.plan import TZ, load_plan, to_local
from quyche.render import messages
from quyche.render.ics import DEFAULT_REMIND, Reminder, parse_remind, report_ics, step_title
from quyche.report import Obligation, Report
from quyche.vocabulary import ROLES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
# C0 and C1 controls, DEL, line/paragraph separators and bidi controls: none may sit inside a line.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def quyche(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quyche", *args], capture_output=True, text=True, cwd=ROOT)


def _plan(start: datetime) -> MeetingPlan:
    return MeetingPlan.model_validate({
        "host": {"name": "Sở Nội vụ", "kind": "department", "has_online_room": True},
        "start": start, "end": start + timedelta(hours=3),
        "endpoints": [{"name": "Sở Nội vụ", "role": "main"}, {"name": "UBND quận Ninh Kiều", "role": "branch"}],
    })


def _can_tho(start: datetime, lang: str = "vi") -> tuple[Report, Any]:
    book = load_rulebook("can_tho")
    return evaluate(book, _plan(start), as_of=datetime(2026, 11, 1, tzinfo=TZ), lang=lang), book


def _events(text: str) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def _dated(report: Report) -> list[Obligation]:
    return [o for o in report.obligations if o.due is not None and o.status != "not_applicable"]


def _aware(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time(0), tzinfo=TZ)


def alarms(e: icalendar.Event) -> list[datetime]:
    """When each VALARM of `e` goes off, from its relative trigger and the edge it is related to."""
    out = []
    for a in e.walk("VALARM"):
        trigger = a.get("TRIGGER")
        edge = "DTEND" if trigger.params.get("RELATED") == "END" else "DTSTART"
        out.append(to_local(_aware(e.get(edge).dt) + trigger.dt))
    return out


def _by_title(events: list[icalendar.Event], title: str) -> icalendar.Event:
    found = [e for e in events if str(e.get("SUMMARY")) == title]
    assert len(found) == 1, [str(e.get("SUMMARY")) for e in events]
    return found[0]


# --- the report's events ---------------------------------------------------------------------------


def test_same_events_and_times_as_the_reports_dated_obligations() -> None:
    report, book = _can_tho(datetime(2026, 11, 26, 8, tzinfo=TZ))
    text = report_ics(report, book)
    events, dated = _events(text), _dated(report)
    assert len(events) == len(dated) > 5
    for e, o in zip(events, dated, strict=True):
        assert o.due is not None
        due = to_local(o.due)
        assert e.get("X-QUYCHE-DUE").dt == due and str(e.get("X-QUYCHE-RULE")) == o.rule
        start = e.get("DTSTART").dt
        if due.time() == time(23, 59, 59):  # a day-counted deadline: whole days, the last the due day
            assert type(start) is date and e.get("DTEND").dt == due.date() + timedelta(days=1)
        elif o.kind == "during":  # the meeting itself: a timed, busy slot
            assert o.not_before is not None
            assert (start, e.get("DTEND").dt) == (to_local(o.not_before), due)
            assert str(e.get("TRANSP")) == "OPAQUE"
        else:
            assert start == due or (e.get("DTEND").dt == due and o.not_before is not None)
        if isinstance(start, datetime):
            assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=7)
    # DTSTAMP is the report's as_of (00:00 01/11/2026 in Vietnam = 17:00 31/10 UTC), never the clock.
    assert {e.get("DTSTAMP").dt for e in events} == {datetime(2026, 10, 31, 17, tzinfo=UTC)}
    assert text == report_ics(report, book) and text.endswith("\r\n")
    assert len({str(e.get("UID")) for e in events}) == len(events)
    tz = next(iter(icalendar.Calendar.from_ical(text).walk("VTIMEZONE")))
    assert str(tz.get("TZID")) == "Asia/Ho_Chi_Minh"
    assert "TZOFFSETTO:+0700" in text


def test_cần_thơ_notice_due_friday_reminds_thursday_0800() -> None:
    # Meeting Thu 26/11/2026, notice 3 working days before: 25/11 (1), 24/11 off (Ngày Văn hóa Việt
    # Nam), 23/11 (2), 20/11 Fri (3) -> due 20/11 23:59:59; the working day before 20/11 is Thu 19/11.
    report, book = _can_tho(datetime(2026, 11, 26, 8, tzinfo=TZ))
    notice = _by_title(_events(report_ics(report, book)), "Hạn gửi thông báo họp — Điều 7 khoản 1")
    assert notice.get("DTSTART").dt == date(2026, 11, 20) and notice.get("DTEND").dt == date(2026, 11, 21)
    assert alarms(notice) == [datetime(2026, 11, 19, 8, tzinfo=TZ)]
    description = str(notice.get("DESCRIPTION"))
    assert "Bên thực hiện: Sở Nội vụ" in description and "Hạn: 23:59 20/11/2026" in description
    assert "Căn cứ: Điều 7 khoản 1" in description and "ít nhất 03 (ba) ngày làm việc" in description
    assert "Tình trạng: chờ" in description


def test_a_due_date_on_monday_reminds_the_friday_before() -> None:
    # Meeting Thu 03/12/2026: 02/12 (1), 01/12 (2), Mon 30/11 (3) -> due Mon 30/11; reminder Fri 27/11 08:00.
    report, book = _can_tho(datetime(2026, 12, 3, 8, tzinfo=TZ))
    notice = _by_title(_events(report_ics(report, book)), "Hạn gửi thông báo họp — Điều 7 khoản 1")
    assert notice.get("DTSTART").dt == date(2026, 11, 30)
    assert alarms(notice) == [datetime(2026, 11, 27, 8, tzinfo=TZ)]


def test_a_due_date_after_a_holiday_reminds_the_working_day_before_it() -> None:
    # Meeting Mon 30/11/2026: 27/11 (1), 26/11 (2), Wed 25/11 (3) -> due 25/11; Tue 24/11 is Ngày Văn hóa
    # Việt Nam, so the working day before is Mon 23/11.
    report, book = _can_tho(datetime(2026, 11, 30, 8, tzinfo=TZ))
    notice = _by_title(_events(report_ics(report, book)), "Hạn gửi thông báo họp — Điều 7 khoản 1")
    assert notice.get("DTSTART").dt == date(2026, 11, 25)
    assert alarms(notice) == [datetime(2026, 11, 23, 8, tzinfo=TZ)]


def test_a_window_of_whole_days_reminds_before_its_end() -> None:
    # Cần Thơ Điều 8 khoản 2: the test run from 00:00 23/11 to 23:59:59 25/11 (meeting 26/11): all-day
    # 23–25/11; the reminder counts from the end: the working day before 25/11 is Mon 23/11 (24/11 off).
    report, book = _can_tho(datetime(2026, 11, 26, 8, tzinfo=TZ))
    runs = [e for e in _events(report_ics(report, book)) if str(e.get("SUMMARY")).startswith("Hạn vận hành thử")]
    assert len(runs) == 2  # the two endpoints: the title names each
    assert {str(e.get("SUMMARY")) for e in runs} == {
        "Hạn vận hành thử — Điều 8 khoản 2 (Sở Nội vụ)", "Hạn vận hành thử — Điều 8 khoản 2 (UBND quận Ninh Kiều)"}
    for e in runs:
        assert (e.get("DTSTART").dt, e.get("DTEND").dt) == (date(2026, 11, 23), date(2026, 11, 26))
        assert alarms(e) == [datetime(2026, 11, 23, 8, tzinfo=TZ)]


def test_hours_before_and_several_reminders() -> None:
    # Bắc Kạn Điều 7 khoản 1 điểm b: test runs from 10:00 to 13:00 on Wed 19/02/2025 (meeting 14:00).
    # "2h,1d@17:30": 11:00 that day, and 17:30 on Tue 18/02/2025, the working day before.
    plan = load_plan(ROOT / "examples" / "bac_kan.yaml")
    book = load_rulebook("bac_kan")
    report = evaluate(book, plan, as_of=datetime(2025, 2, 1, tzinfo=TZ))
    events = _events(report_ics(report, book, remind=parse_remind("2h,1d@17:30")))
    slot = [e for e in events if e.get("X-QUYCHE-DUE").dt == datetime(2025, 2, 19, 13, tzinfo=TZ)
            and e.get("DTSTART").dt == datetime(2025, 2, 19, 10, tzinfo=TZ)]
    assert slot
    for e in slot:
        assert alarms(e) == [datetime(2025, 2, 19, 11, tzinfo=TZ), datetime(2025, 2, 18, 17, 30, tzinfo=TZ)]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_alarm_is_the_working_day_before_at_0800(path: Path) -> None:
    plan = load_plan(path)
    book = load_rulebook(plan.rulebook or "")
    report = evaluate(book, plan, as_of=to_local(plan.start) - timedelta(days=20))
    cal = default_calendar()
    events = _events(report_ics(report, book))
    assert len(events) == len(_dated(report))
    for e in events:
        due = e.get("X-QUYCHE-DUE").dt
        assert alarms(e) == [datetime.combine(cal.add_working_days(due.date(), -1), time(8), tzinfo=TZ)]
    assert not any(e.walk("VALARM") for e in _events(report_ics(report, book, remind=parse_remind("none"))))


def test_gia_lai_registration_title_in_both_languages() -> None:
    plan = load_plan(ROOT / "examples" / "gia_lai.yaml")
    book = load_rulebook("gia_lai")
    for lang, title in (("vi", "Hạn đăng ký lịch họp — Điều 8 khoản 1"),
                        ("en", "Deadline: register the meeting — Điều 8 khoản 1")):
        report = evaluate(book, plan, as_of=datetime(2026, 11, 1, tzinfo=TZ), lang=lang)
        events = _events(report_ics(report, book))
        e = _by_title(events, title)
        assert alarms(e) and str(e.walk("VALARM")[0].get("DESCRIPTION")) == title
        # Điều 9 khoản 2 is discharged only by notifying the power company: named after that act.
        assert any(str(x.get("SUMMARY")).startswith(("Hạn thông báo cho điện lực", "Deadline: notify the power"))
                   for x in events)
        if lang == "en":
            assert "Who: " in str(e.get("DESCRIPTION")) and "Status: " in str(e.get("DESCRIPTION"))


def _ids_in(text: str, book: Any) -> list[str]:
    """Internal ids a person would see: rule ids, role and topic ids (snake_case), party ids, reprs."""
    found = [r.id for r in book.rules if r.id in text]
    found += [w for w in re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", text)]
    found += re.findall(r"endpoint:\d|\['|'\]|\bNone\b|\bTrue\b|\bFalse\b", text)
    found += [b.id for b in book.parties if re.search(rf"\b{re.escape(b.id)}\b", text)]
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_internal_id_or_status_bracket_in_what_a_calendar_shows(path: Path, lang: str) -> None:
    plan = load_plan(path)
    book = load_rulebook(plan.rulebook or "")
    for as_of in (to_local(plan.start) - timedelta(days=20), to_local(plan.start) + timedelta(days=1)):
        report = evaluate(book, plan, as_of=as_of, lang=lang)
        cal = icalendar.Calendar.from_ical(report_ics(report, book))
        shown = [str(cal.get("X-WR-CALNAME"))]
        for e in cal.walk("VEVENT"):
            summary = str(e.get("SUMMARY"))
            assert not summary.startswith("[")
            assert len(summary.split(" (")[0]) < 70, summary  # short: the step and the citation
            shown += [summary, str(e.get("DESCRIPTION"))] + [str(a.get("DESCRIPTION")) for a in e.walk("VALARM")]
        text = "\n".join(shown)
        assert _ids_in(text, book) == [], path
        assert not set(re.findall(r"\b\w+\b", text)) & (set(ROLES) - {"host", "telecom", "finance", "scheduler"})


def test_every_dated_topic_of_the_bundled_rulebooks_has_its_own_title() -> None:
    for ref in ("bac_kan", "can_tho", "gia_lai", "lai_chau", "trieu_son"):
        for rule in load_rulebook(ref).rules:
            if rule.period is None and rule.cadence is None:
                continue
            kind = rule.obligation_kind
            if kind == "during":
                assert rule.topic in messages.DURING_TITLES, rule.id
            else:
                assert rule.topic in messages.STEP_TITLES, rule.id
            for lang in ("vi", "en"):
                assert step_title(kind, rule.topic, rule, lang) != step_title(kind, "no_such_topic", None, lang)


def test_control_characters_in_names_are_neutralised() -> None:
    report, book = _can_tho(datetime(2026, 11, 26, 8, tzinfo=TZ))
    bad = "Sở\rNội vụ\x1b[31m\x00 \u202egiả\u2028mạo\ud800"
    obligations = [o.model_copy(update={"party": o.party.model_copy(update={"name": bad}),
                                        "action": o.action + "\r\nKết luận: TUÂN THỦ"}) for o in report.obligations]
    forged = report.model_copy(update={"obligations": obligations,
                                       "meeting": report.meeting.model_copy(update={"host": bad, "title": bad})})
    text = report_ics(forged, book)
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert all(not UNSAFE.search(line) for line in lines)
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal.get("X-WR-CALNAME")).startswith("Sở Nội vụ [31m giả mạo")
    for e in cal.walk("VEVENT"):
        description = str(e.get("DESCRIPTION")).split("\n")
        assert description[0] == "Bên thực hiện: Sở Nội vụ [31m giả mạo"  # the surrogate is gone too
        assert not any(line.startswith("Kết luận") for line in description)
        assert not UNSAFE.search(str(e.get("SUMMARY")))


def test_uids_name_the_meeting_and_step_not_the_day_asked() -> None:
    # Re-exporting later replaces the events in a calendar program instead of adding copies.
    book = load_rulebook("can_tho")
    plan = _plan(datetime(2026, 11, 26, 8, tzinfo=TZ))
    early = _events(report_ics(evaluate(book, plan, as_of=datetime(2026, 11, 1, tzinfo=TZ)), book))
    late = _events(report_ics(evaluate(book, plan, as_of=datetime(2026, 11, 27, tzinfo=TZ)), book))
    assert [str(e.get("UID")) for e in early] == [str(e.get("UID")) for e in late]
    assert early[0].get("DTSTAMP").dt < late[0].get("DTSTAMP").dt
    other = _events(report_ics(evaluate(book, _plan(datetime(2026, 12, 3, 8, tzinfo=TZ)),
                                        as_of=datetime(2026, 11, 1, tzinfo=TZ)), book))
    assert not {str(e.get("UID")) for e in early} & {str(e.get("UID")) for e in other}


def test_an_empty_report_is_still_a_valid_calendar() -> None:
    report, book = _can_tho(datetime(2026, 11, 26, 8, tzinfo=TZ))
    text = report_ics(report.model_copy(update={"obligations": []}), book)
    cal = icalendar.Calendar.from_ical(text)
    assert not cal.walk("VEVENT") and cal.walk("VTIMEZONE")  # RFC 5545: at least one component


# --- --remind --------------------------------------------------------------------------------------


def test_remind_grammar() -> None:
    assert parse_remind("none") == () and parse_remind(" NONE ") == ()
    assert parse_remind("1d@08:00") == DEFAULT_REMIND == (Reminder(1, time(8)),)
    assert parse_remind("2d") == (Reminder(2, time(8)),)
    assert parse_remind("0d@17:00") == (Reminder(0, time(17)),)
    assert parse_remind("2h, 30m,2H") == (Reminder(before=timedelta(hours=2)), Reminder(before=timedelta(minutes=30)))
    deadline = datetime(2026, 11, 30, 23, 59, 59, tzinfo=TZ)  # a Monday
    cal = default_calendar()
    assert Reminder(1, time(8)).when(deadline, cal) == datetime(2026, 11, 27, 8, tzinfo=TZ)  # Friday
    assert Reminder(0, time(8)).when(deadline, cal) == datetime(2026, 11, 30, 8, tzinfo=TZ)
    assert Reminder(before=timedelta(hours=2)).when(deadline, cal) == datetime(2026, 11, 30, 21, 59, 59, tzinfo=TZ)


@pytest.mark.parametrize("text", ["", "1x", "1d@25:00", "1d@08:60", "1d@8", "none,1d", "0h", "61d", "721h",
                                  "1d,,2h", "d@08:00", "-1d", "1.5h", "1d@08:00\x1b"])
def test_bad_remind_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError) as e:
        parse_remind(text)
    assert e.value.code == "bad_remind" and e.value.place == "--remind"
    assert "want none, Nd@HH:MM" in str(e.value) and "\x1b" not in str(e.value)


def test_bad_remind_exits_2_through_the_cli() -> None:
    p = quyche("duties", "gia_lai", "--year", "2027", "--format", "ics", "--remind", "1d@25:00")
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.count("\n") == 1 and "--remind" in p.stderr and "Traceback" not in p.stderr


# --- quyche duties --format ics ----------------------------------------------------------------------


def test_duties_ics_one_event_per_due_date_with_reminders() -> None:
    p = quyche("duties", "gia_lai", "--year", "2027", "--format", "ics")
    assert p.returncode == 0, p.stderr
    events = _events(p.stdout)
    assert not any(e.get("RRULE") or e.get("RDATE") for e in events)
    report = [e for e in events if str(e.get("X-QUYCHE-RULE")) == "gia_lai.d16.k2.d"]
    # "trước ngày 30 tháng 12": due 29/12 each year 2027–2032; 29/12/2029 is a Saturday -> Fri 28/12.
    assert [e.get("X-QUYCHE-DUE").dt for e in report] == [date(y, 12, 29) for y in range(2027, 2033)]
    by_due = {e.get("X-QUYCHE-DUE").dt: e for e in report}
    assert by_due[date(2029, 12, 29)].get("DTSTART").dt == date(2029, 12, 28)
    # Reminders: the working day before the event's day, 08:00: Tue 28/12/2027 (29/12 is a Wednesday),
    # Thu 27/12/2029 (the event is on Friday 28/12).
    assert alarms(by_due[date(2027, 12, 29)]) == [datetime(2027, 12, 28, 8, tzinfo=TZ)]
    assert alarms(by_due[date(2029, 12, 29)]) == [datetime(2029, 12, 27, 8, tzinfo=TZ)]
    e = by_due[date(2027, 12, 29)]
    assert str(e.get("SUMMARY")) == "Hạn gửi báo cáo — Điều 16 khoản 2 điểm d"
    description = str(e.get("DESCRIPTION"))
    assert "Hạn theo văn bản: hết ngày 29/12/2027" in description
    assert "Bên thực hiện: Trung tâm Chuyển đổi số" in description
    assert "gửi đến: Sở Khoa học và Công nghệ" in description
    book = load_rulebook("gia_lai")
    shown = "\n".join(str(x.get(k)) for x in events for k in ("SUMMARY", "DESCRIPTION"))
    assert _ids_in(shown, book) == []
    none = quyche("duties", "gia_lai", "--year", "2027", "--format", "ics", "--remind", "none")
    assert none.returncode == 0 and "BEGIN:VALARM" not in none.stdout
    assert [str(x.get("UID")) for x in _events(none.stdout)] == [str(x.get("UID")) for x in events]


def test_duties_text_names_bodies_not_ids() -> None:
    p = quyche("duties", "gia_lai", "--year", "2027")
    assert p.returncode == 0, p.stderr
    assert _ids_in(p.stdout, load_rulebook("gia_lai")) == []
    assert "Trung tâm Chuyển đổi số" in p.stdout


@pytest.mark.parametrize("args", [("--year", "0"), ("--year", "-5"), ("--year", "99999999999999999999"),
                                  ("--year", "2100"), ("--year", "1900"), ("--year", "2027", "--years", "0"),
                                  ("--year", "2027", "--years", "-1"), ("--year", "2027", "--years", "1000000")])
def test_years_outside_the_calendar_exit_2_with_one_line(args: tuple[str, ...]) -> None:
    for fmt in ("text", "ics"):
        p = quyche("duties", "gia_lai", *args, "--format", fmt)
        assert p.returncode == 2 and p.stdout == "", (args, p.stdout)
        assert p.stderr.count("\n") == 1 and "Traceback" not in p.stderr, p.stderr
        assert "1901–2099" in p.stderr or "cần ít nhất 1 năm" in p.stderr


def test_duties_ics_near_the_end_of_the_calendar() -> None:
    # 2097 + the default 6 years would pass 2099: the default span stops at the calendar's last year.
    p = quyche("duties", "gia_lai", "--year", "2097", "--format", "ics")
    assert p.returncode == 0, p.stderr
    assert {e.get("X-QUYCHE-DUE").dt.year for e in _events(p.stdout)} == {2097, 2098, 2099}


def test_plan_cli_ics_of_one_party() -> None:
    # `--party` filters the report before the calendar is made (cli/check.py); every event is the host's.
    p = quyche("plan", "can_tho", "2026-11-26T08:00", "--as-of", "2026-11-01", "--format", "ics", "--party", "host")
    assert p.returncode == 0, p.stderr
    events = _events(p.stdout)
    assert events and all(str(e.get("DESCRIPTION")).startswith("Bên thực hiện: Cơ quan chủ trì\n") for e in events)
    assert all(e.walk("VALARM") for e in events)


def test_an_as_of_in_year_one_still_gives_a_calendar() -> None:
    # Red team D07: 0001-01-01 local time lies before year 1 in UTC; the stamp is clamped, not a crash.
    from quyche import evaluate, load_plan, load_rulebook

    report = evaluate("gia_lai", load_plan(ROOT / "examples" / "gia_lai.yaml"), as_of=datetime(1, 1, 1))
    cal = icalendar.Calendar.from_ical(report_ics(report, load_rulebook("gia_lai")))
    assert len(cal.walk("VEVENT")) == sum(o.due is not None and o.status != "not_applicable"
                                          for o in report.obligations)
