"""The message catalogue: every reason and finding code in Vietnamese and English.

The evaluator speaks data (`reason_code`, `reason_args`); this module is the only place that turns it
into words. Arguments hold ISO times, people's names, and vocabulary codes (contents, channels, event
kinds, facts), which are translated here; nothing internal reaches a sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "content": {
        "host": ("cơ quan chủ trì", "the host"),
        "participants": ("thành phần tham dự", "the participants"),
        "start": ("thời gian bắt đầu", "the start time"),
        "end": ("thời gian kết thúc", "the end time"),
        "test_run": ("thời gian vận hành thử", "the test-run time"),
        "scale": ("quy mô (số điểm cầu, số người)", "the scale (endpoints, attendees)"),
        "room": ("địa điểm, phòng họp", "the venue"),
        "requests": ("các yêu cầu kỹ thuật", "the technical requests"),
    },
    "channel": {
        "written": ("văn bản", "a written document"),
        "email": ("thư điện tử", "e-mail"),
        "phone": ("điện thoại", "telephone"),
        "none": ("không ghi kênh", "no channel recorded"),
    },
    "event": {
        "notice": ("thông báo", "notice"),
        "special_request_notice": ("thông tin yêu cầu kỹ thuật", "technical request"),
        "registration_confirmed": ("xác nhận đăng ký", "confirmation of the registration"),
        "power_notified": ("thông báo cho điện lực", "notice to the power company"),
        "invitation_issued": ("giấy mời họp", "invitation"),
        "test_run": ("vận hành thử", "test run"),
        "recording_delivered": ("giao bản ghi hình", "delivery of the recording"),
        "log_submitted": ("nộp nhật ký", "submission of the log"),
    },
    "fact": {
        "host.kind": ("loại cơ quan chủ trì", "the host's kind"),
        "emergency": ("họp đột xuất, khẩn cấp hay không", "whether it is an emergency"),
        "host.has_online_room": ("cơ quan chủ trì có phòng họp trực tuyến không",
                                 "whether the host has an online room"),
        "requests": ("các yêu cầu kỹ thuật", "the technical requests"),
        "attendees_over_seats": ("số đại biểu và số chỗ ngồi", "attendees and seats"),
        "endpoints[].attendees/seats": ("số đại biểu và số chỗ ngồi của các điểm cầu",
                                        "the endpoints' attendees and seats"),
        "endpoints": ("danh sách điểm cầu", "the list of endpoints"),
        "endpoint.level": ("cấp của điểm cầu", "the endpoint's level"),
        "end": ("giờ kết thúc cuộc họp", "the meeting's end time"),
    },
    "count": {
        "technicians": ("cán bộ kỹ thuật (danh sách của đơn vị)", "technicians (the unit's list)"),
        "leaders": ("lãnh đạo phụ trách", "leaders"),
        "technicians_on_duty": ("cán bộ kỹ thuật trực tại điểm cầu", "technicians on duty at the endpoint"),
    },
    "level": {
        "central": ("trung ương", "central"),
        "province": ("tỉnh", "provincial"),
        "district": ("huyện", "district"),
        "commune": ("xã", "commune"),
    },
}


def word(group: str, code: str, lang: str) -> str:
    vi, en = _WORDS[group].get(code, (code.replace("_", " "), code.replace("_", " ")))
    return en if lang == "en" else vi


def _time(value: object) -> str:
    """HH:MM DD/MM/YYYY of a time or of the ISO text a report holds (read as written, offset ignored)."""
    if isinstance(value, str):
        if len(value) >= 16 and value[4] == "-" and value[10] == "T" and value[:4] >= "1000":
            return f"{value[11:16]} {value[8:10]}/{value[5:7]}/{value[:4]}"  # strftime's text, faster
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.strftime("%H:%M %d/%m/%Y")


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    last = " và " if lang != "en" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


class _Args:
    """Formatted views of one message's arguments."""

    def __init__(self, args: Mapping[str, object], lang: str) -> None:
        self.a, self.lang = args, lang

    def t(self, key: str) -> str:
        return _time(self.a[key])

    def names(self, key: str) -> str:
        value = self.a.get(key) or []
        assert isinstance(value, list)
        return _join([str(v) for v in value], self.lang)

    def words(self, key: str, group: str) -> str:
        value = self.a.get(key) or []
        assert isinstance(value, list)
        return _join([word(group, str(v), self.lang) for v in value], self.lang)

    def ev(self) -> str:
        return word("event", str(self.a.get("event", "notice")), self.lang)

    def s(self, key: str) -> str:
        return str(self.a.get(key, ""))


def _defects(a: _Args) -> str:
    """Why the recorded events of the right kind did not count, in a parenthesis (or nothing)."""
    out: list[str] = []
    vi = a.lang != "en"
    defects = a.a.get("defects") or []
    assert isinstance(defects, list)
    for d in defects:
        assert isinstance(d, dict)
        at = _time(d["at"])
        if d["problem"] == "channel":
            got = word("channel", str(d.get("channel") or "none"), a.lang)
            allowed = _join([word("channel", str(c), a.lang) for c in d["allowed"]], a.lang)
            out.append(f"lúc {at} gửi bằng {got}, cần {allowed}" if vi else f"at {at} sent by {got}; needs {allowed}")
        elif d["problem"] == "performer":
            out.append(f"lúc {at} do bên khác thực hiện" if vi else f"at {at} made by another party")
        elif d["problem"] == "contents":
            miss = _join([word("content", str(c), a.lang) for c in d["missing"]], a.lang)
            out.append(f"lúc {at} thiếu {miss}" if vi else f"at {at} lacks {miss}")
    if not out:
        return ""
    return (" (đã ghi nhận: " if vi else " (recorded: ") + "; ".join(out) + ")"


_Template = Callable[[_Args], str]

# code -> (vi, en); each a function of the formatted arguments.
_REASONS: dict[str, tuple[_Template, _Template]] = {
    "done_on_time": (
        lambda a: f"đã thực hiện ({a.ev()}) lúc {a.t('at')}, trong hạn {a.t('due')}",
        lambda a: f"done ({a.ev()}) at {a.t('at')}, by the deadline {a.t('due')}",
    ),
    "scheduled": (
        lambda a: f"dự kiến {a.ev()} lúc {a.t('at')}, trong hạn {a.t('due')}",
        lambda a: f"{a.ev()} scheduled at {a.t('at')}, by the deadline {a.t('due')}",
    ),
    "done_late": (
        lambda a: f"{a.ev()} {'dự kiến ' if a.a.get('scheduled') else ''}lúc {a.t('at')}, sau hạn {a.t('due')}"
        + (f" (bên nhận muộn: {a.names('late')})" if a.a.get("late") else ""),
        lambda a: f"{a.ev()} {'scheduled for' if a.a.get('scheduled') else 'at'} {a.t('at')}, after the deadline "
        f"{a.t('due')}" + (f" (reached late: {a.names('late')})" if a.a.get("late") else ""),
    ),
    "too_early": (
        lambda a: f"{a.ev()} lúc {a.t('at')}, sớm hơn thời điểm bắt đầu {a.t('opens')}",
        lambda a: f"{a.ev()} at {a.t('at')}, before the window opens at {a.t('opens')}",
    ),
    "not_done": (
        lambda a: f"chưa có {a.ev()} hợp lệ trước hạn {a.t('due')}" + _defects(a),
        lambda a: f"no valid {a.ev()} by the deadline {a.t('due')}" + _defects(a),
    ),
    "recipients_missing": (
        lambda a: f"chưa có {a.ev()} hợp lệ gửi {a.names('missing')} trước hạn {a.t('due')}" + _defects(a),
        lambda a: f"no valid {a.ev()} to {a.names('missing')} by the deadline {a.t('due')}" + _defects(a),
    ),
    "contents_missing": (
        lambda a: f"{a.ev()} lúc {a.t('at')} thiếu nội dung: {a.words('missing', 'content')}",
        lambda a: f"the {a.ev()} of {a.t('at')} lacks {a.words('missing', 'content')}",
    ),
    "contents_not_recorded": (
        lambda a: f"{a.ev()} lúc {a.t('at')} trong hạn, nhưng kế hoạch không ghi nội dung; cần có: "
        f"{a.words('required', 'content')}",
        lambda a: f"{a.ev()} at {a.t('at')} on time, but the plan does not record its contents; it must state "
        f"{a.words('required', 'content')}",
    ),
    "channel_not_recorded": (
        lambda a: f"{a.ev()} lúc {a.t('at')} trong hạn, nhưng kế hoạch không ghi gửi bằng cách nào; cần: "
        f"{a.words('allowed', 'channel')}",
        lambda a: f"{a.ev()} at {a.t('at')} on time, but the plan does not record how it was sent; it must be "
        f"{a.words('allowed', 'channel')}",
    ),
    "not_yet_due": (
        lambda a: f"chưa đến hạn {a.t('due')}",
        lambda a: f"not yet due ({a.t('due')})",
    ),
    "no_events_recorded": (
        lambda a: f"đã qua hạn {a.t('due')}; kế hoạch không ghi các việc đã làm",
        lambda a: f"past the deadline {a.t('due')}; the plan records no events",
    ),
    "not_arisen": (
        lambda a: f"chưa phát sinh: chỉ tính hạn sau khi có {a.ev()}"
        + (f" (nếu đúng hạn: khoảng {a.t('estimated_due')})" if a.a.get("estimated_due") else ""),
        lambda a: f"has not arisen: counted only from the {a.ev()}"
        + (f" (if that is on time: about {a.t('estimated_due')})" if a.a.get("estimated_due") else ""),
    ),
    "not_recordable": (
        lambda a: (f"hạn {a.t('due')}; " if a.a.get("due") else "")
        + "việc này kế hoạch không ghi nhận được, quyche không kiểm tra",
        lambda a: (f"due {a.t('due')}; " if a.a.get("due") else "")
        + "a meeting plan cannot record this act; quyche does not check it",
    ),
    "standing": (
        lambda a: "nghĩa vụ thường xuyên, không gắn với cuộc họp này",
        lambda a: "a standing duty, not tied to this meeting",
    ),
    "contingent": (
        lambda a: "chỉ phát sinh khi: " + a.s("when_vi"),
        lambda a: "arises only when: " + a.s("when_en"),
    ),
    "quota_met": (
        lambda a: "đủ định mức: " + _quota(a),
        lambda a: "quota met: " + _quota(a),
    ),
    "quota_short": (
        lambda a: "thiếu: " + _quota(a),
        lambda a: "short: " + _quota(a),
    ),
    "count_unknown": (
        lambda a: "kế hoạch không ghi số " + a.words("counts", "count"),
        lambda a: "the plan does not give the number of " + a.words("counts", "count"),
    ),
    "quota_per_endpoint": (
        lambda a: "định mức tính cho từng điểm cầu",
        lambda a: "the quota applies per endpoint",
    ),
    "facts_missing": (
        lambda a: "kế hoạch thiếu dữ kiện: " + a.words("facts", "fact"),
        lambda a: "the plan lacks: " + a.words("facts", "fact"),
    ),
    "party_not_listed": (
        lambda a: "kế hoạch không nêu bên nào giữ vai trò này",
        lambda a: "the plan lists no party in this role",
    ),
    "condition_false": (
        lambda a: "không thuộc trường hợp áp dụng" + (f" ({a.s('note')})" if a.a.get("note") else ""),
        lambda a: "the case it covers does not arise" + (f" ({a.s('note')})" if a.a.get("note") else ""),
    ),
    "exception_applies": (
        lambda a: "thuộc trường hợp loại trừ" + (f" ({a.s('note')})" if a.a.get("note") else ""),
        lambda a: "an exception in the text applies" + (f" ({a.s('note')})" if a.a.get("note") else ""),
    ),
    "displaced": (
        lambda a: "được thay bằng quy định tại " + a.s("by"),
        lambda a: "displaced by " + a.s("by"),
    ),
    "outside_jurisdiction": (
        lambda a: f"cơ quan cấp {word('level', a.s('level'), 'vi')} không chịu sự điều chỉnh của quy chế này",
        lambda a: f"a {word('level', a.s('level'), 'en')} body is not bound by this regulation",
    ),
    "body_ceased": (
        lambda a: "cơ quan này không còn tồn tại vào ngày họp"
        + (f"; nay là {a.s('successor')}" if a.a.get("successor") else "; chưa rõ cơ quan kế thừa"),
        lambda a: "this body no longer existed on the meeting's day"
        + (f"; now {a.s('successor')}" if a.a.get("successor") else "; no successor is known"),
    ),
    "rule_not_in_force": (
        lambda a: "quy định chưa hoặc không còn áp dụng vào ngày họp",
        lambda a: "this provision was not in force on the meeting's day",
    ),
    "level_not_covered": (
        lambda a: "không áp dụng cho cấp của điểm cầu này",
        lambda a: "not for this endpoint's level",
    ),
    "done_no_deadline": (
        lambda a: f"đã thực hiện ({a.ev()}) lúc {a.t('at')}; văn bản không đặt thời hạn",
        lambda a: f"done ({a.ev()}) at {a.t('at')}; the text sets no deadline",
    ),
    "no_deadline_not_recorded": (
        lambda a: f"văn bản không đặt thời hạn; kế hoạch chưa ghi {a.ev()}",
        lambda a: f"the text sets no deadline; the plan records no {a.ev()} yet",
    ),
    "during_upcoming": (
        lambda a: f"phải có mặt từ {a.t('opens')} đến {a.t('due')}",
        lambda a: f"must be present from {a.t('opens')} to {a.t('due')}",
    ),
    "during_now": (
        lambda a: f"đang họp: phải có mặt đến {a.t('due')}",
        lambda a: f"the meeting is running: must be present until {a.t('due')}",
    ),
    "during_past": (
        lambda a: "cuộc họp đã kết thúc; kế hoạch không ghi nhận được việc có mặt",
        lambda a: "the meeting is over; a plan cannot record presence",
    ),
}


def _quota(a: _Args) -> str:
    parts = []
    counts = a.a.get("counts") or []
    assert isinstance(counts, list)
    for q in counts:
        assert isinstance(q, dict)
        what = word("count", str(q["count"]), a.lang)
        if a.lang == "en":
            parts.append(f"{what}: {q['have']}, at least {q['min']} required")
        else:
            parts.append(f"{what}: có {q['have']}, cần ít nhất {q['min']}")
    return "; ".join(parts)


_FINDINGS: dict[str, tuple[_Template, _Template]] = {
    "capped_at_start": (
        lambda a: f"Theo thời hạn riêng, bước này có thể làm đến {a.t('own_due')}, sau giờ khai mạc; vì nó để chuẩn "
        f"bị cuộc họp, quyche lấy hạn là giờ khai mạc {a.t('start')}.",
        lambda a: f"By its own period this step could wait until {a.t('own_due')}, after the opening; as it "
        f"prepares the meeting, quyche takes the opening {a.t('start')} as its deadline.",
    ),
    "reference_only": (
        lambda a: "Chỉ để tham khảo: " + _force_text(a, "vi"),
        lambda a: "For reference only: " + _force_text(a, "en"),
    ),
    "provisional_calendar": (
        lambda a: "Có hạn rơi vào năm chưa công bố lịch nghỉ chính thức; hạn đó là tạm tính.",
        lambda a: "Some deadlines fall in a year whose days off are not yet announced; they are provisional.",
    ),
    "unknown_party_reference": (
        lambda a: f"Sự kiện thứ {a.s('event')} gửi hoặc do một bên quy chế không biết: {a.names('refs')}",
        lambda a: f"Event {a.s('event')} names a party the rulebook does not know: {a.names('refs')}",
    ),
    "event_far_from_meeting": (
        lambda a: f"Sự kiện thứ {a.s('event')} ({a.t('at')}) cách ngày họp hơn một năm; kiểm tra lại ngày.",
        lambda a: f"Event {a.s('event')} ({a.t('at')}) is over a year from the meeting; check the date.",
    ),
    "event_unused": (
        lambda a: f"Sự kiện thứ {a.s('event')} ({word('event', a.s('kind'), 'vi')}): quy chế không có nghĩa vụ "
        "nào dùng loại sự kiện này.",
        lambda a: f"Event {a.s('event')} ({word('event', a.s('kind'), 'en')}): no duty of this rulebook uses this "
        "kind of event.",
    ),
    "contents_not_recorded": (
        lambda a: f"{a.s('party')}: {a.ev()} lúc {a.t('at')} không ghi nội dung; quy chế yêu cầu "
        f"{a.words('required', 'content')}, chưa thể kết luận.",
        lambda a: f"{a.s('party')}: the {a.ev()} at {a.t('at')} records no contents; the rulebook asks for "
        f"{a.words('required', 'content')}, so it cannot be judged.",
    ),
    "issuer_changed": (
        lambda a: "Cơ quan ban hành: " + _change_text(a, "vi"),
        lambda a: "Issuer: " + _change_text(a, "en"),
    ),
    "body_changed": (
        lambda a: _change_text(a, "vi"),
        lambda a: _change_text(a, "en"),
    ),
    "level_ended": (
        lambda a: f"Chính quyền cấp huyện kết thúc hoạt động sau ngày {a.s('last_day')} ({a.s('document')}); "
        f"kế hoạch vẫn có: {a.names('places')}",
        lambda a: f"District-level government ended after {a.s('last_day')} ({a.s('document')}); the plan "
        f"still has: {a.names('places')}",
    ),
}


def _force_text(a: _Args, lang: str) -> str:
    force = a.s("force")
    vi = lang == "vi"
    if force == "draft":
        return "quy chế là dự thảo, chưa ban hành." if vi else "the regulation is a draft, never issued."
    if force == "not_yet_in_force":
        return (f"cuộc họp trước ngày quy chế có hiệu lực ({a.s('effective')})." if vi
                else f"the meeting is before the regulation took effect ({a.s('effective')}).")
    if force == "no_longer_in_force":
        return (f"quy chế hết hiệu lực sau ngày {a.s('until')}." if vi
                else f"the regulation ceased to be in force after {a.s('until')}.")
    return ("không xác định được quy chế có hiệu lực vào ngày họp (ngày hiệu lực bỏ trống hoặc mâu thuẫn)." if vi
            else "whether the regulation was in force on the meeting's day is unknown (its date is blank or "
            "contradictory).")


def _change_text(a: _Args, lang: str) -> str:
    vi = lang == "vi"
    doc = f" ({a.s('document')})" if a.a.get("document") else ""
    if not a.a.get("after"):
        return (f"{a.s('before')} chấm dứt hoạt động sau ngày {a.s('until')}{doc}; chưa rõ cơ quan kế thừa." if vi
                else f"{a.s('before')} ceased to exist after {a.s('until')}{doc}; no successor is known.")
    if a.s("after").split(" (")[0] == a.s("before"):  # reorganised, name kept: not "X → X"
        return (f"{a.s('before')} được sắp xếp lại từ {a.s('from')}{doc}, giữ tên." if vi
                else f"{a.s('before')} was reorganised from {a.s('from')}{doc}, keeping its name.")
    return (f"{a.s('before')} → {a.s('after')} từ {a.s('from')}{doc}." if vi
            else f"{a.s('before')} → {a.s('after')} from {a.s('from')}{doc}.")


def _render(table: dict[str, tuple[_Template, _Template]], code: str, args: Mapping[str, object], lang: str) -> str:
    vi, en = table[code]
    return (en if lang == "en" else vi)(_Args(args, lang))


def reason_text(code: str, args: Mapping[str, object], lang: str) -> str:
    return _render(_REASONS, code, args, lang)


def finding_text(code: str, args: Mapping[str, object], lang: str) -> str:
    if code in _FINDINGS:
        return _render(_FINDINGS, code, args, lang)
    return _render(_REASONS, code, args, lang)  # a violation finding says what its obligation says


REASON_CODES = frozenset(_REASONS)
FINDING_CODES = frozenset(_FINDINGS) | REASON_CODES


# --- Calendars (render/ics.py): short event titles and the words of an event's description --------
# Data only; render/ics.py builds "Hạn đăng ký lịch họp — Điều 8 khoản 1" from these.

# The step a dated duty of each topic asks for, as the object of "Hạn …" / "Deadline: …".
STEP_TITLES: dict[str, tuple[str, str]] = {
    "notice": ("gửi thông báo họp", "send the meeting notice"),
    "emergency_notice": ("báo họp đột xuất, khẩn cấp", "give notice of the emergency meeting"),
    "special_request_notice": ("gửi yêu cầu kỹ thuật", "send the technical requests"),
    "registration_confirmation": ("xác nhận đăng ký", "confirm the registration"),
    "coordination": ("phối hợp chuẩn bị", "coordinate the preparations"),
    "test_run": ("vận hành thử", "test the system"),
    "on_duty": ("cử cán bộ trực", "put technical staff on duty"),
    "operation": ("chuẩn bị kỹ thuật", "set up the system"),
    "staffing": ("bố trí cán bộ", "assign the staff"),
    "venue": ("bố trí phòng họp", "arrange the room"),
    "shutdown": ("kiểm tra, tắt hệ thống", "check and switch off the system"),
    "post_meeting": ("việc sau cuộc họp", "follow up the meeting"),
    "logbook": ("ghi sổ theo dõi", "fill in the logbook"),
    "reporting": ("gửi báo cáo", "send the report"),
    "budget": ("lập dự toán kinh phí", "draw up the budget"),
    "security": ("bảo đảm an toàn thông tin", "secure the system"),
    "conduct": ("thực hiện đúng quy định sử dụng", "follow the rules of use"),
    "preparation": ("chuẩn bị cuộc họp", "prepare the meeting"),
    "maintenance": ("bảo trì, bảo dưỡng thiết bị", "maintain the equipment"),
    "planning": ("lập kế hoạch", "draw up the plan"),
    "internal_rules": ("ban hành nội quy", "issue the house rules"),
    "backup": ("chuẩn bị phương án dự phòng", "prepare the backup"),
}
# A notice the text itself calls a registration ("đăng ký lịch họp", Gia Lai Điều 8 khoản 1).
REGISTRATION_TITLE: tuple[str, str] = ("đăng ký lịch họp", "register the meeting")
# A step only one kind of plan event discharges is named after that act.
EVENT_STEP_TITLES: dict[str, tuple[str, str]] = {
    "registration_confirmed": ("xác nhận đăng ký", "confirm the registration"),
    "power_notified": ("thông báo cho điện lực", "notify the power company"),
    "invitation_issued": ("phát hành giấy mời họp", "issue the invitations"),
    "test_run": ("vận hành thử", "test the system"),
    "recording_delivered": ("giao bản ghi hình", "deliver the recording"),
    "log_submitted": ("nộp nhật ký", "submit the log"),
}
# Any other step.
STEP_TITLE_OTHER: tuple[str, str] = ("thực hiện", "act")
# "Hạn gửi báo cáo" / "Deadline: send the report".
DEADLINE_TITLE: tuple[str, str] = ("Hạn {step}", "Deadline: {step}")
# What must go on while the meeting runs (kind `during`), a whole title.
DURING_TITLES: dict[str, tuple[str, str]] = {
    "on_duty": ("Trực kỹ thuật suốt cuộc họp", "On duty during the meeting"),
    "operation": ("Vận hành hệ thống suốt cuộc họp", "Operate the system during the meeting"),
    "venue": ("Bảo đảm phòng họp suốt cuộc họp", "Keep the room ready during the meeting"),
}
DURING_TITLE_OTHER: tuple[str, str] = ("Trong suốt cuộc họp", "During the meeting")

# The lines of an event's description.
ICS_LABELS: dict[str, tuple[str, str]] = {
    "party": ("Bên thực hiện", "Who"),
    "action": ("Việc cần làm", "What"),
    "due": ("Hạn", "Due"),
    "window": ("Thời gian", "When"),
    "status": ("Tình trạng", "Status"),
    "counting": ("Cách tính", "How it is counted"),
    "citation": ("Căn cứ", "Source"),
    "provisional": ("tạm tính: lịch nghỉ năm này chưa công bố", "provisional: the days off of that year are "
                    "not announced yet"),
    "estimated": ("ước tính", "estimated"),
    "to": ("đến", "to"),
    "recipients": ("Gửi đến", "To"),
    "duties": ("Nghĩa vụ định kỳ", "Recurring duties"),
}
