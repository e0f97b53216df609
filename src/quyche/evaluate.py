"""evaluate(rulebook, plan, as_of=...) -> Report: every party's obligations, deadlines and statuses.

Pure: no I/O, no clock. Statuses follow the README's "How statuses are decided"; every status carries
the fact it rests on (`reason`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from pydantic import BaseModel

from .calendar import Deadline, Reading, WorkingCalendar, default_calendar
from .conditions import Tri, holds
from .errors import CalendarRangeError
from .institutions import Registry, bundled_registry
from .parties import Cast, Party, event_name
from .plan import Event, MeetingPlan, to_local
from .report import Finding, Obligation, PartyRef, Report
from .rulebook import Citation, Period, Rule, Rulebook
from .vocabulary import ENDPOINT_ROLES, Severity, Status


def _fmt(value: datetime) -> str:
    return value.strftime("%H:%M %d/%m/%Y")


@dataclass(frozen=True)
class _Window:
    not_before: datetime | None
    due: datetime | None
    provisional: bool
    explanation: str | None
    estimated: bool
    missing: str | None  # why no deadline could be computed


@dataclass
class _Context:
    book: Rulebook
    plan: MeetingPlan
    as_of: datetime
    cal: WorkingCalendar
    reading: Reading
    lang: str
    cast: Cast
    explain: bool
    registry: Registry
    refs: dict[str, PartyRef] = field(default_factory=dict)
    statuses: dict[tuple[str, str], tuple[Status, str]] = field(default_factory=dict)

    def t(self, vi: str, en: str) -> str:
        return en if self.lang == "en" else vi


def evaluate(
    rulebook: Rulebook,
    plan: MeetingPlan,
    *,
    as_of: datetime,
    calendar: WorkingCalendar | None = None,
    reading: Reading = "default",
    lang: str = "vi",
    explain: bool = False,
    registry: Registry | None = None,
) -> Report:
    """Check `plan` against `rulebook` as things stand at `as_of` (a naive time is Vietnam time).

    `registry` says who the rulebook's bodies are on the meeting's date (default: the bundled one).
    """
    as_of = to_local(as_of)
    registry = registry or bundled_registry()
    cast = Cast(rulebook, plan, lang, registry)
    ctx = _Context(rulebook, plan, as_of, calendar or default_calendar(), reading, lang, cast, explain, registry)
    _check_years(ctx)
    applies = {rule.id: _rule_applies(ctx, rule) for rule in rulebook.rules}
    displaced: dict[str, str] = {}
    for rule in rulebook.rules:
        if applies[rule.id][0] is True:
            for target in rule.overrides:
                displaced.setdefault(target, rule.id)
    windows: dict[str, _Window] = {}
    obligations: list[Obligation] = []
    findings: list[Finding] = []
    expanded: dict[str, list[Party]] = {}
    for rule in rulebook.rules:
        seen: set[str] = set()
        for ref in rule.binds:
            if ref not in expanded:
                expanded[ref] = ctx.cast.expand(ref)
            for party in expanded[ref]:
                if party.id in seen:
                    continue
                seen.add(party.id)
                obligations.append(_obligation(ctx, rule, party, applies, displaced, windows))
    for ob in obligations:
        if ob.status == "violated":
            findings.append(
                Finding(
                    rule=ob.rule,
                    topic=ob.topic,
                    severity="violation",
                    message=f"{ob.party.name}: {ob.reason}",
                    citation=ob.citation,
                )
            )
    findings.extend(_plan_findings(ctx, obligations))
    findings.extend(_currency_findings(ctx))
    return _trusted(
        Report,
        rulebook=rulebook.id,
        as_of=as_of,
        reading=reading,
        lang=lang,
        compliant=not any(f.severity == "violation" for f in findings),
        findings=findings,
        obligations=obligations,
    )


def _check_years(ctx: _Context) -> None:
    """Name the field of a plan time the calendar cannot count from, before anything else fails on it."""
    plan, cal = ctx.plan, ctx.cal
    times = [("start", plan.start), ("end", plan.end)]
    times += [(f"events[{i}].at", e.at) for i, e in enumerate(plan.events or [])]
    for where, value in times:
        if value is not None and not cal.first_year <= value.year <= cal.last_year:
            raise CalendarRangeError(
                f"{where}: {value:%d/%m/%Y} is outside the supported years {cal.first_year}–{cal.last_year} "
                "(the lunar calendar that places Tết and Giỗ Tổ is known for these years only)"
            )


def _rule_applies(ctx: _Context, rule: Rule) -> tuple[Tri, str]:
    """Rule-level applicability (endpoint-level facts are checked per party later)."""
    day = ctx.plan.start.date()
    if (rule.valid_from is not None and day < rule.valid_from) or (
        rule.valid_until is not None and day > rule.valid_until
    ):
        since = f"{rule.valid_from:%d/%m/%Y}" if rule.valid_from else "…"
        until = f"{rule.valid_until:%d/%m/%Y}" if rule.valid_until else "…"
        return False, ctx.t(f"quy định chỉ áp dụng từ {since} đến {until}", f"in force only {since} – {until}")
    if rule.applies_when is not None:
        value, unknown = holds(rule.applies_when, ctx.plan)
        if value is False:
            return False, ctx.t("điều kiện áp dụng không thỏa", "its condition does not hold") + _note(
                rule.applies_when.note
            )
        if value is None:
            return None, ctx.t("thiếu dữ kiện: ", "facts missing: ") + ", ".join(unknown)
    for cond in rule.unless:
        value, unknown = holds(cond, ctx.plan)
        if value is True:
            return False, ctx.t("thuộc trường hợp loại trừ", "an exception applies") + _note(cond.note)
        if value is None:
            return None, ctx.t("chưa rõ có thuộc trường hợp loại trừ: ", "exception unclear: ") + ", ".join(
                unknown
            )
    return True, ""


_M = TypeVar("_M", bound=BaseModel)


def _trusted(model: type[_M], **values: object) -> _M:
    """An instance from values the evaluator built itself, every field given: what model_construct does,
    without its per-field default handling, which was most of evaluate's time (bench/evaluate.py)."""
    obj = model.__new__(model)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def _note(note: str | None) -> str:
    return f" ({note})" if note else ""


def _obligation(
    ctx: _Context,
    rule: Rule,
    party: Party,
    applies: dict[str, tuple[Tri, str]],
    displaced: dict[str, str],
    windows: dict[str, _Window],
) -> Obligation:
    window = windows.get(rule.id) or _window(ctx, rule, windows, set())
    # The status depends on the party only through placeholders, endpoint levels and quotas:
    # other parties of one rule share it, so it is worked out once per rule.
    if party.placeholder:
        key = (rule.id, "placeholder")
    elif party.endpoint is not None and (
        rule.requires or (rule.applies_when is not None and rule.applies_when.endpoint_level is not None)
    ):
        key = (rule.id, party.id)
    else:
        key = (rule.id, "")
    found = ctx.statuses.get(key)
    if found is None:
        found = ctx.statuses[key] = _status(ctx, rule, party, applies, displaced, window)
    status, reason = found
    if status == "not_applicable":
        # A duty that does not arise has no deadline; systems would otherwise put it in calendars.
        window = _Window(None, None, False, None, False, None)
    ref = ctx.refs.get(party.id)
    if ref is None:
        ref = ctx.refs[party.id] = _trusted(PartyRef, id=party.id, name=party.name, roles=list(party.roles))
    return _trusted(
        Obligation,
        rule=rule.id,
        topic=rule.topic,
        party=ref,
        action=rule.summary.get(ctx.lang),
        period=rule.period,
        not_before=window.not_before,
        due=window.due,
        status=status,
        provisional=window.provisional,
        citation=rule.citation,
        reason=reason,
        explanation=window.explanation,
        estimated=window.estimated,
    )


def _status(
    ctx: _Context,
    rule: Rule,
    party: Party,
    applies: dict[str, tuple[Tri, str]],
    displaced: dict[str, str],
    window: _Window,
) -> tuple[Status, str]:
    value, why = applies[rule.id]
    if value is False:
        return "not_applicable", why
    if rule.id in displaced:
        return "not_applicable", ctx.t("được thay bằng ", "displaced by ") + displaced[rule.id]
    if (
        party.endpoint is not None
        and rule.applies_when is not None
        and rule.applies_when.endpoint_level is not None
    ):
        level_value, unknown = holds(rule.applies_when, ctx.plan, party)
        if level_value is False:
            return "not_applicable", ctx.t("không áp dụng cho cấp của điểm cầu này", "not for this endpoint's level")
        if level_value is None:
            return "unknown", ctx.t("thiếu dữ kiện: ", "facts missing: ") + ", ".join(unknown)
    if value is None:
        return "unknown", why
    if party.placeholder:
        return "unknown", ctx.t(
            "kế hoạch không nêu bên nào giữ vai trò này", "the plan lists no party in this role"
        )
    if rule.requires:
        return _quota_status(ctx, rule, party)
    if rule.contingency is not None and rule.period is None:
        text = rule.contingency.get(ctx.lang)
        prefix = ctx.t("chỉ phát sinh khi: ", "arises only when: ")
        return "unknown", text if text.lower().startswith(prefix[:12]) else prefix + text
    if rule.period is None and rule.satisfied_by is not None:
        return _undated_event_status(ctx, rule)
    if rule.period is None and rule.topic == "scope":
        return "unknown", ctx.t(
            "quy định về phạm vi, hiệu lực; nêu để đủ, không có việc để kiểm tra",
            "a provision on scope or force; listed for completeness, nothing to check",
        )
    if rule.period is None:
        return "unknown", ctx.t(
            "nghĩa vụ thường xuyên; kế hoạch không ghi nhận việc thực hiện",
            "standing duty; the plan records nothing on it",
        )
    if window.due is None:
        return "unknown", window.missing or ""
    if rule.satisfied_by is None:
        if ctx.as_of <= window.due:
            return "pending", ctx.t(f"chưa đến hạn {_fmt(window.due)}", f"not yet due ({_fmt(window.due)})")
        return "unknown", ctx.t(
            "đã qua hạn; kế hoạch không ghi nhận việc thực hiện", "past due; the plan records nothing on it"
        )
    return _event_status(ctx, rule, window)


def _quota_status(ctx: _Context, rule: Rule, party: Party) -> tuple[Status, str]:
    if party.endpoint is None:
        return "unknown", ctx.t("định mức áp dụng cho từng điểm cầu", "the quota applies per endpoint")
    short: list[str] = []
    unknown: list[str] = []
    for quota in rule.requires:
        have = getattr(party.endpoint, quota.count)
        if have is None:
            unknown.append(quota.count)
        elif have < quota.min:
            short.append(f"{quota.count} {have} < {quota.min}")
    if short:
        return "violated", ctx.t("thiếu cán bộ: ", "short of staff: ") + ", ".join(short)
    if unknown:
        return "unknown", ctx.t("chưa rõ số lượng: ", "count unknown: ") + ", ".join(unknown)
    counts = ", ".join(f"{q.count} {getattr(party.endpoint, q.count)} ≥ {q.min}" for q in rule.requires)
    return "met", ctx.t("đủ định mức: ", "quota met: ") + counts


def _qualifies(rule: Rule, event: Event) -> str | None:
    """None when the event can discharge the rule, else what is wrong with it."""
    check = rule.satisfied_by
    assert check is not None
    if check.channels is not None and event.channel not in check.channels:
        return f"channel {event.channel or '?'} ∉ {check.channels}"
    if check.contents is not None:
        missing = sorted(set(check.contents) - set(event.contents or []))
        if missing:
            return f"contents missing {missing}"
    return None


def _undated_event_status(ctx: _Context, rule: Rule) -> tuple[Status, str]:
    """A duty with no deadline is met by a qualifying event already done; it can never be late."""
    check = rule.satisfied_by
    assert check is not None
    ev = event_name(check.event, ctx.lang)
    done = [
        e
        for e in ctx.plan.events or []
        if e.kind == check.event
        and e.at <= ctx.as_of
        and _qualifies(rule, e) is None
        and all(ctx.cast.covers(e.to, r) for r in rule.recipients)
    ]
    if done:
        return "met", ctx.t(f"{ev} lúc {_fmt(done[0].at)}", f"{ev} at {_fmt(done[0].at)}")
    return "unknown", ctx.t(
        f"văn bản không đặt thời hạn; kế hoạch chưa ghi {ev}",
        f"the text sets no deadline; the plan records no {ev} yet",
    )


def _event_status(ctx: _Context, rule: Rule, window: _Window) -> tuple[Status, str]:
    check = rule.satisfied_by
    assert check is not None and window.due is not None
    ev = event_name(check.event, ctx.lang)
    due, opens = window.due, window.not_before
    if ctx.plan.events is None:
        if ctx.as_of <= due:
            return "pending", ctx.t(f"chưa đến hạn {_fmt(due)}", f"not yet due ({_fmt(due)})")
        return "unknown", ctx.t("kế hoạch không ghi sự kiện nào", "the plan records no events")
    of_kind = [e for e in ctx.plan.events if e.kind == check.event]
    defects = [d for e in of_kind if (d := _qualifies(rule, e)) is not None]
    good = sorted((e for e in of_kind if _qualifies(rule, e) is None), key=lambda e: e.at)

    def in_window(e: Event) -> bool:
        return e.at <= due and (opens is None or e.at >= opens)

    # An endpoint role the plan's (listed) endpoints do not hold has nobody to receive anything.
    listed = ctx.plan.endpoints is not None
    recipients = [
        r for r in rule.recipients if not (listed and r in ENDPOINT_ROLES and not ctx.cast.expand(r)[0].endpoint)
    ] or [""]
    chosen: list[Event] = []
    missing: list[str] = []
    for r in recipients:
        reaching = [e for e in good if not r or ctx.cast.covers(e.to, r)]
        if not reaching:
            missing.append(r)
            continue
        chosen.append(next((e for e in reaching if in_window(e)), reaching[0]))
    detail = f" ({'; '.join(defects)})" if defects else ""
    if missing:
        names = ", ".join(m for m in missing if m) or ev
        if ctx.as_of > due:
            return "violated", ctx.t(
                f"không có {ev} hợp lệ gửi {names} trước hạn {_fmt(due)}{detail}",
                f"no valid {ev} to {names} by {_fmt(due)}{detail}",
            )
        return "pending", ctx.t(f"chưa thực hiện; hạn {_fmt(due)}{detail}", f"not done yet; due {_fmt(due)}{detail}")
    late = [e for e in chosen if e.at > due]
    early = [e for e in chosen if opens is not None and e.at < opens]
    if late:
        e = max(late, key=lambda x: x.at)
        verb = ctx.t("dự kiến", "scheduled for") if e.at > ctx.as_of else ctx.t("thực hiện", "made at")
        return "violated", ctx.t(
            f"{ev} {verb} lúc {_fmt(e.at)}, sau hạn {_fmt(due)}",
            f"{ev} {verb} {_fmt(e.at)}, after the deadline {_fmt(due)}",
        )
    if early:
        assert opens is not None
        e = min(early, key=lambda x: x.at)
        return "violated", ctx.t(
            f"{ev} lúc {_fmt(e.at)}, sớm hơn khung từ {_fmt(opens)}",
            f"{ev} at {_fmt(e.at)}, before the window opens {_fmt(opens)}",
        )
    last = max(chosen, key=lambda x: x.at)
    if all(e.at <= ctx.as_of for e in chosen):
        return "met", ctx.t(
            f"{ev} lúc {_fmt(last.at)}, trong hạn {_fmt(due)}",
            f"{ev} at {_fmt(last.at)}, within the deadline {_fmt(due)}",
        )
    return "pending", ctx.t(
        f"{ev} dự kiến lúc {_fmt(last.at)}, trong hạn {_fmt(due)}",
        f"{ev} scheduled at {_fmt(last.at)}, within the deadline {_fmt(due)}",
    )


def _window(ctx: _Context, rule: Rule, memo: dict[str, _Window], visiting: set[str]) -> _Window:
    if rule.id in memo:
        return memo[rule.id]
    if rule.period is None:
        result = _Window(None, None, False, None, False, None)
    else:
        visiting.add(rule.id)
        result = _compute_window(ctx, rule, rule.period, memo, visiting)
        visiting.discard(rule.id)
    memo[rule.id] = result
    return result


def _compute_window(
    ctx: _Context, rule: Rule, period: Period, memo: dict[str, _Window], visiting: set[str]
) -> _Window:
    anchor, estimated, missing = _anchor_time(ctx, period, memo, visiting)
    if anchor is None:
        return _Window(None, None, False, None, False, missing)
    reading: Reading = ctx.reading if period.relation == "before" else "default"
    if rule.opens is not None and period.relation == "before":
        start, close = ctx.cal.window_before(
            anchor, period.amount, rule.opens.amount, period.unit, reading=reading
        )
        text = _explain(ctx, close, start) if ctx.explain else None
        return _Window(start.at, close.at, start.provisional or close.provisional, text, estimated, None)
    deadline = ctx.cal.deadline(anchor, period.amount, period.unit, period.relation, reading=reading)
    # "Within N after X" cannot be done before X; a zero period ("until the meeting ends") has no window.
    not_before = anchor if period.relation == "after" and period.amount > 0 else None
    text = _explain(ctx, deadline) if ctx.explain else None
    return _Window(not_before, deadline.at, deadline.provisional, text, estimated, None)


def _explain(ctx: _Context, deadline: Deadline, opening: Deadline | None = None) -> str:
    text = deadline.explain(ctx.lang)
    if opening is not None:
        text = ctx.t("mở: ", "opens: ") + opening.explain(ctx.lang) + "; " + ctx.t("đóng: ", "closes: ") + text
    return text


def _anchor_time(
    ctx: _Context, period: Period, memo: dict[str, _Window], visiting: set[str]
) -> tuple[datetime | None, bool, str | None]:
    plan = ctx.plan
    if period.anchor == "meeting_start":
        return plan.start, False, None
    if period.anchor == "meeting_end":
        if plan.end is not None:
            return plan.end, False, None
        if period.unit in ("hours", "minutes"):
            return None, False, ctx.t("kế hoạch không nêu giờ kết thúc", "the plan gives no end time")
        # Day-counted periods only need the day; a meeting without an end is taken to end that day.
        return plan.start, True, None
    kind = period.anchor_event
    events = sorted((e for e in plan.events or [] if e.kind == kind), key=lambda e: e.at)
    if events:
        return events[0].at, False, None
    for producer in ctx.book.rules:
        if (
            producer.satisfied_by is not None
            and producer.satisfied_by.event == kind
            and producer.id not in visiting
            and producer.period is not None
        ):
            w = _window(ctx, producer, memo, visiting)
            if w.due is not None:
                return w.due, True, None
    return None, False, ctx.t(f"kế hoạch không có sự kiện {kind}", f"the plan has no {kind} event")


def _plan_findings(ctx: _Context, obligations: list[Obligation]) -> list[Finding]:
    book, out = ctx.book, []
    first = book.rules[0]
    decision = Citation(part="decision", article=1)
    if book.metadata.status == "draft":
        out.append(
            Finding(
                rule=f"{book.id}.metadata",
                topic="scope",
                severity="warning",
                message=ctx.t(
                    "Quy chế này là dự thảo, chưa có hiệu lực; kết quả chỉ để tham khảo.",
                    "This regulation is a draft, not in force; the result is for reference only.",
                ),
                citation=decision,
            )
        )
    if any(o.provisional for o in obligations):
        out.append(
            Finding(
                rule=f"{book.id}.calendar",
                topic="scope",
                severity="info",
                message=ctx.t(
                    "Có hạn rơi vào năm chưa công bố lịch nghỉ chính thức; hạn đó là tạm tính.",
                    "Some deadlines fall in a year whose days off are not yet announced; they are provisional.",
                ),
                citation=first.citation,
            )
        )
    used = {r.satisfied_by.event for r in book.rules if r.satisfied_by} | {
        p.anchor_event for r in book.rules for p in (r.period, r.opens) if p and p.anchor_event
    }
    def note(i: int, severity: Severity, vi: str, en: str) -> None:
        out.append(Finding(rule=f"{book.id}.plan.events[{i}]", topic="scope", severity=severity,
                           message=ctx.t(vi, en), citation=first.citation))

    for i, event in enumerate(ctx.plan.events or []):
        unknown = [ref for ref in event.to or [] if not ctx.cast.knows(ref)]
        if unknown:
            note(i, "warning",
                 f"events[{i}].to: không rõ bên nhận {unknown} (không phải vai trò hay mã cơ quan trong quy chế)",
                 f"events[{i}].to: unknown recipients {unknown} (neither a role nor a party id of the rulebook)")
        if abs(event.at - ctx.plan.start) > timedelta(days=366):
            note(i, "warning",
                 f"events[{i}].at: {event.at:%d/%m/%Y} cách ngày họp hơn một năm; kiểm tra lại ngày",
                 f"events[{i}].at: {event.at:%d/%m/%Y} is over a year from the meeting; check the date")
        if event.kind not in used:
            note(i, "info",
                 f"events[{i}] ({event.kind}): quy chế không có nghĩa vụ nào dùng loại sự kiện này",
                 f"events[{i}] ({event.kind}): no rule of this rulebook uses this kind of event")
    return out


def _currency_findings(ctx: _Context) -> list[Finding]:
    """Warnings about time: the rulebook's force on the meeting's date, and bodies changed since it was written."""
    book, plan, out = ctx.book, ctx.plan, []
    on = plan.start.date()
    meta = book.metadata
    decision = Citation(part="decision", article=1)

    def warn(rule: str, message: str, citation: Citation = decision) -> None:
        out.append(Finding(rule=rule, topic="scope", severity="warning", message=message, citation=citation))

    if meta.effective is not None and on < meta.effective:
        warn(f"{book.id}.metadata", ctx.t(
            f"Cuộc họp ngày {on:%d/%m/%Y} trước ngày quy chế có hiệu lực ({meta.effective:%d/%m/%Y}).",
            f"The meeting on {on:%d/%m/%Y} is before the rulebook took effect ({meta.effective:%d/%m/%Y}).",
        ), Citation(part="decision", article=2))
    if meta.in_force_until is not None and on > meta.in_force_until:
        warn(f"{book.id}.metadata", ctx.t(
            f"Quy chế hết hiệu lực sau ngày {meta.in_force_until:%d/%m/%Y}"
            + (f" (thay bằng {meta.superseded_by})" if meta.superseded_by else "") + ".",
            f"The rulebook ceased to be in force after {meta.in_force_until:%d/%m/%Y}"
            + (f" (superseded by {meta.superseded_by})" if meta.superseded_by else "") + ".",
        ), Citation(part="decision", article=2))
    if meta.issuer_institution is not None:
        res = ctx.registry.resolve(meta.issuer_institution, on)
        for change in res.changes:
            warn(f"{book.id}.metadata.issuer", ctx.t("Cơ quan ban hành: ", "Issuer: ") + change.describe(ctx.lang))
    for party in ctx.cast.bodies:
        if party.resolution is None:
            continue
        citation = next(
            (r.citation for r in book.rules if {party.id, *party.roles} & {*r.binds, *r.recipients}), decision
        )
        for change in party.resolution.changes:
            warn(f"{book.id}.parties.{party.id}", change.describe(ctx.lang), citation)
    district = ctx.registry.level_ended("district", on)
    if district is not None:
        doc = ctx.registry.document(district.document)
        places = [f"endpoints[{i}] {e.name}" for i, e in enumerate(plan.endpoints or []) if e.level == "district"]
        if plan.host.kind in ("district_party_committee", "district_people_committee"):
            places.insert(0, f"host {plan.host.name}")
        if places:
            warn(f"{book.id}.plan.district_level", ctx.t(
                f"Chính quyền cấp huyện kết thúc hoạt động sau ngày {district.last_day:%d/%m/%Y} ({doc.title}); "
                "kế hoạch vẫn có: " + "; ".join(places),
                f"District-level government ended after {district.last_day:%d/%m/%Y} ({doc.title}); "
                "the plan still has: " + "; ".join(places),
            ))
    return out
