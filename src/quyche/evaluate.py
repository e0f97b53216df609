"""evaluate(rulebook, plan, as_of=...) -> Report: every bound party's obligations, deadlines and statuses.

Pure: no I/O, no clock. Every status carries a reason code and its arguments (data); the words come
from render/messages.py. Before anything is `violated`, four questions are answered in this order:
does the text bind this body (jurisdiction, existence, conditions), is the duty in force and has it
arisen (time of force, trigger), could a plan record the act (an event kind discharges it), and did
the plan record it (by the right sender, to the right recipients, with the right contents, in time).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter, itemgetter

from .calendar import TZ, Deadline, Reading, WorkingCalendar, default_calendar
from .compiled import DAY_COUNTS_CAP, MEMO_CAP, SHAPE_CAP, CompiledRulebook, RuleInfo, compile_rulebook, compiled
from .conditions import Tri, holds
from .currency import force_on
from .errors import CalendarRangeError, InputError
from .institutions import Registry
from .parties import Cast, Party
from .plan import Event, MeetingPlan, parse_plan, to_local
from .readings import resolve_choices
from .render.messages import finding_text, reason_text
from .report import Finding, Meeting, Obligation, PartyRef, Provision, Report, iso_local
from .rulebook import Citation, EventCheck, Period, Rule, Rulebook
from .vocabulary import ENDPOINT_ROLES, Severity, Status

# Unknown because an act the plan could record is not recorded: past due, these make a plan incomplete.
UNRECORDED = frozenset({"no_events_recorded", "contents_not_recorded", "channel_not_recorded"})


def _iso(value: datetime) -> str:
    # The report's own rule for times (historic offsets included), so reason_args read like due/at.
    return iso_local(value)


# Not frozen (slower to build); like _Outcome and _Candidate, never changed once built.
@dataclass(slots=True)
class _Window:
    not_before: datetime | None
    due: datetime | None
    provisional: bool
    explanation: str | None
    # Counted from another duty's deadline: the plan lacks the event that starts the count.
    estimated: bool
    missing: tuple[str, dict[str, object]] | None = None  # why no deadline could be computed
    trigger: str | None = None  # the event kind the count starts from, when it is an event


_NO_WINDOW = _Window(None, None, False, None, False)
_UNTIL_END = Period(amount=0, unit="minutes", relation="after", anchor="meeting_end")


@dataclass(slots=True)
class _Outcome:
    status: Status
    code: str
    args: dict[str, object] = field(default_factory=dict)
    used: tuple[Event, ...] = ()  # the events that discharged the duty


@dataclass(frozen=True)
class _Summary:
    """What the report's findings, verdict and readings read from a shape's static obligations."""

    provisional: bool = False
    live: frozenset[str] = frozenset()  # rules with an obligation that applies
    unrecorded: tuple[Obligation, ...] = ()  # those whose act is unrecorded and that have a deadline


@dataclass
class _Shape:
    """What an evaluation finds from the plan's shape alone (see _shape_key): who the parties are,
    which rules apply, the duties settled without times, events or counts, and the notes about the
    day. Shared by every plan of that shape under one compiled rulebook and language."""

    cast: Cast
    force: str
    applies: dict[str, tuple[Tri, str, dict[str, object]]]
    displaced: dict[str, str]
    # Each duty of a bound party in report order, as an evaluation reads it: the obligations the shape
    # settles in their places (None elsewhere), the places left to compute with their rule and party,
    # and the settled obligations' violation findings.
    template: list[Obligation | None] = field(default_factory=list)
    dynamic: list[tuple[int, Rule, Party, bool]] = field(default_factory=list)  # bool: its rule's only one
    violations: list[tuple[int, Finding]] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)
    currency: list[Finding] = field(default_factory=list)
    refs: dict[str, PartyRef] = field(default_factory=dict)
    expanded: dict[str, list[Party]] = field(default_factory=dict)  # Cast.expand, once a reference
    endpoint_index: dict[str, int] = field(default_factory=dict)  # party id -> its place in plan.endpoints
    bound: dict[tuple[str, str], _Outcome | None] = field(default_factory=dict)  # see _bound
    recipients: dict[tuple[str, str], list[Party]] = field(default_factory=dict)  # see _recipients
    producers: dict[tuple[str, str], list[Rule]] = field(default_factory=dict)  # see _anchor_time
    static: _Summary = _Summary()


def _shape_key(plan: MeetingPlan, epoch: int, lang: str) -> Hashable:
    """Everything a _Shape reads from a plan: the day only as its epoch (CompiledRulebook.boundaries),
    each endpoint's name, role, level and whether it is over its seats, never a time or a count."""
    host = plan.host
    endpoints = None if plan.endpoints is None else tuple(
        (e.name, e.role, e.level, None if e.attendees is None or e.seats is None else e.attendees > e.seats)
        for e in plan.endpoints)
    return (lang, epoch, host.name, host.kind, host.has_online_room, plan.emergency, tuple(plan.requests), endpoints)


@dataclass
class _Context:
    comp: CompiledRulebook
    book: Rulebook
    plan: MeetingPlan
    as_of: datetime
    cal: WorkingCalendar
    reading: Reading
    lang: str
    explain: bool
    cast: Cast = field(init=False)
    in_force: bool = False
    applies: dict[str, tuple[Tri, str, dict[str, object]]] = field(default_factory=dict)
    displaced: dict[str, str] = field(default_factory=dict)
    shape: _Shape = field(init=False)
    windows: dict[str, _Window] = field(default_factory=dict)
    outcomes: dict[tuple[str, str], _Outcome] = field(default_factory=dict)
    visiting: set[str] = field(default_factory=set)  # rules whose outcome is being decided (distinct_from)
    counting: set[str] = field(default_factory=set)  # rules whose window is being counted
    warnings: list[Finding] = field(default_factory=list)
    capped: dict[str, datetime] = field(default_factory=dict)  # rule -> its own deadline, after the start
    live: MeetingPlan | None = None  # the plan with only the endpoints the rulebook binds on the day
    memo: dict[Hashable, Obligation] = field(default_factory=dict)  # see _obligation
    static_memo: dict[Hashable, Obligation] = field(default_factory=dict)  # see _static_obligation
    siblings: dict[Hashable, Obligation] = field(default_factory=dict)  # see _obligation
    counts: dict[Hashable, tuple[datetime, bool]] = field(default_factory=dict)  # see _count
    day_counts: dict[Hashable, tuple[datetime, bool]] = field(default_factory=dict)  # see _count
    producing: dict[Hashable, Event | None] = field(default_factory=dict)  # see _anchor_time
    timeline: list[Event] | None = None  # the plan's events in time order (see _events_of)
    events_of: dict[int, list[tuple[Event, EventCheck]]] = field(default_factory=dict)


def _expand(ctx: _Context, ref: str) -> list[Party]:
    expanded = ctx.shape.expanded
    found = expanded.get(ref)
    if found is None:
        found = expanded[ref] = ctx.cast.expand(ref)
    return found


# Obligations without a time in them are shared by every evaluation under the same compiled rulebook
# and language (CompiledRulebook.memo): an Obligation is a pure function of its rule and the key
# _obligation builds, so a hit equals what building it would give; 88-175 obligations a report, most
# the same from plan to plan. Capped (MEMO_CAP), since keys holding a recorded time grow with varied plans.


def _freeze(value: object) -> Hashable:
    """A hashable image of reason args that tells apart what serialises apart: their repr (True vs 1,
    1 vs 1.0, key order, list vs text all differ). Reason args are plain JSON data made here."""
    return repr(value)


# D14: the report holds about endpoints × rules obligations, and the work grows faster than that.
# At 150,000 pairs the costliest rulebook, Lai Châu (3,846 endpoints × 39 rules), evaluates in 2.3 s of
# CPU, Bắc Kạn (1,785 × 84) in 1.1 s (2-core machine, 2026-12); Gia Lai allows 1,485 endpoints.
MAX_ENDPOINT_RULES = 150_000


def evaluate(
    rulebook: Rulebook | str,
    plan: MeetingPlan | Mapping[str, object],
    *,
    as_of: datetime,
    calendar: WorkingCalendar | None = None,
    reading: Reading = "default",
    lang: str = "vi",
    explain: bool = False,
    registry: Registry | None = None,
    readings: Mapping[str, str] | None = None,
    memo: bool = True,
) -> Report:
    """Check `plan` against `rulebook` (a Rulebook or a bundled id) as things stand at `as_of`.

    A naive `as_of` is Vietnam time. `registry` says who the rulebook's bodies are on the meeting's
    date (default: the bundled one). `readings` chooses values of named readings (`quyche readings`);
    `reading` is short for the shared `working_days` one. `plan` may be plan data (validated by
    `parse_plan`). Misused arguments raise InputError (code `bad_argument`), never TypeError; a plan
    of more than MAX_ENDPOINT_RULES endpoints × rules raises InputError (code `plan_too_large`).
    `memo=False` builds every obligation afresh instead of reusing equal ones from earlier evaluations
    under the same rulebook (the report is equal either way; tests compare the two).
    """
    def bad(name: str, want: str, value: object, words: str) -> InputError:
        got = type(value).__name__
        return InputError(f"{name}: want {words}, got {got}", code="bad_argument", place=name,
                          params={"name": name, "want": want, "got": got})

    if isinstance(rulebook, str):
        from .loader import load_rulebook

        rulebook = load_rulebook(rulebook)
    elif not isinstance(rulebook, Rulebook):
        raise bad("rulebook", "rulebook", rulebook, "a bundled rulebook id or a Rulebook")
    if isinstance(plan, Mapping):
        plan = parse_plan(plan)
    elif not isinstance(plan, MeetingPlan):
        raise bad("plan", "plan", plan, "a MeetingPlan or plan data (a mapping)")
    if not isinstance(as_of, datetime):
        # A date alone would be a guess (its start? its end?); say which time is meant.
        raise bad("as_of", "datetime", as_of, "a datetime such as datetime(2026, 11, 26, 8, 0)")
    if calendar is not None and not isinstance(calendar, WorkingCalendar):
        raise bad("calendar", "calendar", calendar, "a WorkingCalendar")
    if registry is not None and not isinstance(registry, Registry):
        raise bad("registry", "registry", registry, "a Registry")
    if reading not in ("default", "strict"):
        raise InputError(f"reading: want 'default' or 'strict', got {reading!r}", code="bad_argument",
                         place="reading", params={"name": "reading", "want": "reading", "got": repr(reading)})
    if lang not in ("vi", "en"):
        raise InputError(f"lang: want vi or en, got {lang!r}", code="unknown_lang", place="lang",
                         params={"got": repr(lang)})
    if not isinstance(explain, bool):
        raise bad("explain", "bool", explain, "True or False")
    if not isinstance(memo, bool):
        raise bad("memo", "bool", memo, "True or False")
    if readings is not None and not (
        isinstance(readings, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in readings.items())
    ):
        raise bad("readings", "readings", readings, "a mapping of reading id to value (both text)")
    work = len(plan.endpoints or ()) * len(rulebook.rules)
    if work > MAX_ENDPOINT_RULES:
        n, r = len(plan.endpoints or ()), len(rulebook.rules)
        raise InputError(
            f"endpoints: {n:,} endpoints × {r} rules = {work:,} is over the limit of {MAX_ENDPOINT_RULES:,} "
            "for one evaluation; split the plan", code="plan_too_large", place="endpoints",
            params={"field": "endpoints", "endpoints": n, "rules": r, "work": work, "cap": MAX_ENDPOINT_RULES})
    chosen = {**({"working_days": reading} if reading != "default" else {}), **(readings or {})}
    # memo=False compiles afresh and shares nothing, so the two can be compared.
    comp = compiled(rulebook, chosen, registry) if memo else compile_rulebook(
        rulebook, resolve_choices(rulebook.readings, chosen), registry)
    values = comp.values
    book = comp.book
    reading = "strict" if values["working_days"] == "strict" else "default"
    as_of = to_local(as_of)
    ctx = _Context(comp, book, plan, as_of, calendar or default_calendar(), reading, lang, explain)
    if memo:
        ctx.memo, ctx.static_memo = comp.memo(lang)
        ctx.day_counts = comp.counts_for(ctx.cal)
    _check_years(ctx)
    day = plan.start.date()
    key = _shape_key(plan, comp.epoch(day), lang)
    shape = comp.shapes.get(key) if memo else None
    if shape is None:
        shape = _build_shape(ctx)
        if memo:
            if len(comp.shapes) >= SHAPE_CAP:
                # The oldest (dicts keep insertion order); list() and pop(…, None) stay safe when `serve`
                # evaluates in several threads.
                for oldest in list(comp.shapes)[:1]:
                    comp.shapes.pop(oldest, None)
            comp.shapes[key] = shape
    else:
        _enter(ctx, shape)

    refs = shape.refs
    # The shape's static obligations in report order, the others computed into their places.
    obligations: list[Obligation] = list(shape.template)  # type: ignore[arg-type]  # every None is replaced
    dynamic: list[Obligation] = []  # those not taken from the shape: the summaries below add the shape's
    violations: list[tuple[int, Finding]] = []
    for place, rule, party, alone in shape.dynamic:
        built = obligations[place] = _obligation(ctx, rule, party, refs, alone=alone)
        dynamic.append(built)
        if built.status == "violated":
            violations.append((place, _violation(built)))
    static = shape.static
    if shape.violations:
        violations = sorted([*shape.violations, *violations], key=itemgetter(0))
    findings = [f for _, f in violations]
    findings += ctx.warnings
    if ctx.capped:
        # Only a duty that applies and has arisen is capped for anyone to see.
        arisen = {o.rule for o in obligations if o.status != "not_applicable" and o.reason_code != "not_arisen"}
        findings += [
            Finding(rule=rid, topic=comp.by_id[rid].topic, severity="warning", code="capped_at_start",
                    message=finding_text("capped_at_start", args, lang), citation=comp.by_id[rid].citation,
                    args=args)
            for rid, own in ctx.capped.items() if rid in arisen
            for args in [{"own_due": _iso(own), "start": _iso(plan.start)}]
        ]
    findings += _plan_findings(ctx, static.provisional or any(o.provisional for o in dynamic))
    findings += shape.currency
    verdict = _verdict([*static.unrecorded, *dynamic], findings, as_of)
    return Report(
        rulebook=book.id,
        as_of=as_of,
        meeting=Meeting(title=plan.title, start=plan.start, end=plan.end, host=plan.host.name),
        in_force=ctx.in_force,
        reference_only=not ctx.in_force,
        force=shape.force,
        readings={rid: values[rid] for rid in comp.readings_used(
            static.live | {o.rule for o in dynamic if o.status != "not_applicable"})},
        lang=lang,
        verdict=verdict,
        compliant=verdict == "compliant",
        findings=findings,
        obligations=obligations,
        provisions=shape.provisions,
    )


def _violation(o: Obligation) -> Finding:
    return Finding(rule=o.rule, topic=o.topic, severity="violation", code=o.reason_code,
                   message=f"{o.party.name}: {o.reason}", citation=o.citation, args=o.reason_args)


def _enter(ctx: _Context, shape: _Shape) -> None:
    ctx.shape, ctx.cast, ctx.applies, ctx.displaced = shape, shape.cast, shape.applies, shape.displaced
    ctx.in_force = shape.force == "in_force"


def _build_shape(ctx: _Context) -> _Shape:
    book, plan, comp = ctx.book, ctx.plan, ctx.comp
    day = plan.start.date()
    force, _ = force_on(book, day)
    in_force = force == "in_force"
    cast = Cast(book, plan, ctx.lang, comp.registry, in_force=in_force)
    shape = _Shape(cast, force, {}, {})
    _enter(ctx, shape)
    # Rule-level conditions read the endpoints the rulebook can reach that still existed on the day.
    live = None if plan.endpoints is None else [
        p.endpoint for p in cast.endpoints if p.endpoint is not None and not p.ceased and p.outside_level is None]
    ctx.live = plan if live is None else plan.model_copy(update={"endpoints": live})
    for rule in book.rules:
        shape.applies[rule.id] = _rule_applies(ctx, rule)
    for rule in book.rules:
        if shape.applies[rule.id][0] is True:
            for target in rule.overrides:
                shape.displaced.setdefault(target, rule.id)
    ctx.live = None
    shape.endpoint_index = {p.id: i for i, p in enumerate(cast.endpoints)}
    slots: list[tuple[RuleInfo, Party, Obligation | None]] = []  # each duty of a bound party, in report order
    for info in comp.rules:
        rule = info.rule
        if info.provision:
            shape.provisions.append(Provision(rule=rule.id, citation=rule.citation))
            continue
        seen: set[str] = set()
        for ref in rule.binds:
            for party in _expand(ctx, ref):
                if party.id in seen:
                    continue
                seen.add(party.id)
                slots.append((info, party, _settled(ctx, info, party)))
    shape.currency = _currency_findings(ctx, force)
    shape.template = [b for _, _, b in slots]
    built = [b for b in shape.template if b is not None]
    left = [(i, info.rule, party) for i, (info, party, b) in enumerate(slots) if b is None]
    per_rule = Counter(rule.id for _, rule, _ in left)
    shape.dynamic = [(i, rule, party, per_rule[rule.id] == 1) for i, rule, party in left]
    shape.violations = [(i, _violation(b)) for i, b in enumerate(shape.template) if b is not None and
                        b.status == "violated"]
    shape.static = _Summary(
        provisional=any(o.provisional for o in built),
        live=frozenset(o.rule for o in built if o.status != "not_applicable"),
        unrecorded=tuple(o for o in built if o.reason_code in UNRECORDED and o.due is not None),
    )
    return shape


def _settled(ctx: _Context, info: RuleInfo, party: Party) -> Obligation | None:
    """The obligation when the shape alone settles it (a static rule, or one that does not bind this
    party on this day: no window is counted for it), else None."""
    if info.static:
        return _static_obligation(ctx, info.rule, party, ctx.shape.refs)
    bound = _bound(ctx, info.rule, party)
    if bound is not None and bound.status == "not_applicable":
        return _obligation(ctx, info.rule, party, ctx.shape.refs)
    return None


def _verdict(obligations: list[Obligation], findings: list[Finding], as_of: datetime) -> str:
    if any(f.severity == "violation" for f in findings):
        return "not_compliant"
    if any(o.reason_code in UNRECORDED and o.due is not None and o.due < as_of for o in obligations):
        return "incomplete"
    return "compliant"


def _check_years(ctx: _Context) -> None:
    """Name the field of a plan time the calendar cannot count from, before anything else fails on it."""
    plan, cal = ctx.plan, ctx.cal
    times = [("start", plan.start), ("end", plan.end), *((i, e.at) for i, e in enumerate(plan.events or []))]
    for place, value in times:
        if value is not None and not cal.first_year <= value.year <= cal.last_year:
            where = place if isinstance(place, str) else f"events[{place}].at"  # named only when it fails
            raise CalendarRangeError(
                f"{where}: {value.day:02d}/{value.month:02d}/{value.year:04d} is outside the supported years "
                f"{cal.first_year}–{cal.last_year} "
                "(the lunar calendar that places Tết and Giỗ Tổ is known for these years only)"
            )


def _rule_applies(ctx: _Context, rule: Rule) -> tuple[Tri, str, dict[str, object]]:
    """Rule-level applicability (endpoint-level facts are checked per party later)."""
    day = ctx.plan.start.date()
    if (rule.valid_from is not None and day < rule.valid_from) or (
        rule.valid_until is not None and day > rule.valid_until
    ):
        return False, "rule_not_in_force", {}
    plan = ctx.live or ctx.plan
    if rule.applies_when is not None:
        value, unknown = holds(rule.applies_when, plan)
        if value is False:
            return False, "condition_false", _note(rule.applies_when.note)
        if value is None:
            return None, "facts_missing", {"facts": unknown}
    for cond in rule.unless:
        value, unknown = holds(cond, plan)
        if value is True:
            return False, "exception_applies", _note(cond.note)
        if value is None:
            return None, "facts_missing", {"facts": unknown}
    return True, "", {}


def _note(note: str | None) -> dict[str, object]:
    return {"note": note} if note else {}


def _obligation(
    ctx: _Context, rule: Rule, party: Party, refs: dict[str, PartyRef], *, alone: bool = False
) -> Obligation:
    """The obligation of `party` under `rule`; `alone`: the rule has no other party left to compute, so
    no other obligation can share this one (see siblings below)."""
    bound = _bound(ctx, rule, party)
    if bound is not None and bound.status == "not_applicable":
        # A duty that does not bind has no deadline (systems would put it in calendars): none is counted.
        window, out = _NO_WINDOW, bound
    else:
        window = _window(ctx, rule)
        out = _outcome(ctx, rule, party, window)
        if out.status == "not_applicable":
            window = _NO_WINDOW
    key: Hashable = None
    if window.due is None and window.not_before is None:
        # Without the party's id and name: nothing else in the obligation reads them (see _for).
        key = (rule.id, party.roles, out.status, out.code, _freeze(out.args) if out.args else (),
               window.provisional, window.explanation, window.estimated)
        hit = ctx.memo.get(key)
        if hit is not None:
            return _for(hit, party, refs)
    ref = _ref(party, refs)
    # Another party's duty under the same rule with the same outcome (endpoints told alike): the same
    # obligation but for its party. The window is the rule's, one per evaluation.
    sibling_key = None if alone else (rule.id, out.status, out.code, _freeze(out.args))
    sibling = None if sibling_key is None else ctx.siblings.get(sibling_key)
    if sibling is not None:
        return sibling.model_copy(update={"party": ref})
    built = Obligation(
        rule=rule.id,
        topic=rule.topic,
        kind=ctx.comp.kind[rule.id],  # provisions never reach here
        party=ref,
        action=rule.summary.get(ctx.lang),
        period=rule.period,
        not_before=window.not_before,
        due=window.due,
        status=out.status,
        reason_code=out.code,
        reason_args=out.args,
        reason=reason_text(out.code, out.args, ctx.lang),
        provisional=window.provisional,
        citation=rule.citation,
        explanation=window.explanation,
        estimated=window.estimated,
    )
    if key is not None and len(ctx.memo) < MEMO_CAP:
        ctx.memo[key] = built
    if sibling_key is not None:
        ctx.siblings[sibling_key] = built
    return built


def _static_obligation(ctx: _Context, rule: Rule, party: Party, refs: dict[str, PartyRef]) -> Obligation:
    """_obligation for a static rule (RuleInfo.static), shared between evaluations: the key holds everything _decide
    reads on that path (the party's standing, the rule's applicability, displacement, the level test)."""
    level: Tri = None
    if party.endpoint is not None and rule.applies_when is not None and rule.applies_when.endpoint_level is not None:
        level = holds(rule.applies_when, ctx.plan, party)[0]
    value, code, args = ctx.applies[rule.id]
    key = ("static", rule.id, party.roles, party.outside_level, party.ceased,
           party.successor, party.placeholder, party.endpoint is not None, level,
           value, code, _freeze(args) if args else (), ctx.displaced.get(rule.id))
    hit = ctx.static_memo.get(key)
    if hit is None:
        hit = _obligation(ctx, rule, party, refs)
        if len(ctx.static_memo) < MEMO_CAP:
            ctx.static_memo[key] = hit
    return _for(hit, party, refs)


def _ref(party: Party, refs: dict[str, PartyRef]) -> PartyRef:
    ref = refs.get(party.id)
    if ref is None:
        ref = refs[party.id] = PartyRef(id=party.id, name=party.name, roles=list(party.roles))
    return ref


def _for(hit: Obligation, party: Party, refs: dict[str, PartyRef]) -> Obligation:
    """A memo's obligation for `party`: the memo keys leave out the party's id and name, which only the
    obligation's `party` reads (the outcome, reason and window come from what the keys hold), so an
    endpoint of another name told alike gets the same obligation under its own name."""
    if hit.party.id == party.id and hit.party.name == party.name:
        return hit
    return hit.model_copy(update={"party": _ref(party, refs)})


def _outcome(ctx: _Context, rule: Rule, party: Party, window: _Window) -> _Outcome:
    key = (rule.id, party.id)
    found = ctx.outcomes.get(key)
    if found is None:
        found = ctx.outcomes[key] = _decide(ctx, rule, party, window)
    return found


def _bound(ctx: _Context, rule: Rule, party: Party) -> _Outcome | None:
    """Step 1 of _decide, from the plan's shape alone (so kept in it): the outcome when the text does
    not bind this body on this day or what decides it is unknown, else None."""
    key = (rule.id, party.id)
    bound = ctx.shape.bound
    if key in bound:
        return bound[key]
    found = bound[key] = _binds(ctx, rule, party)
    return found


def _binds(ctx: _Context, rule: Rule, party: Party) -> _Outcome | None:
    if party.outside_level is not None:
        return _Outcome("not_applicable", "outside_jurisdiction", {"level": party.outside_level})
    if party.ceased:
        return _Outcome("not_applicable", "body_ceased", {"successor": party.successor} if party.successor else {})
    value, code, args = ctx.applies[rule.id]
    if value is False:
        return _Outcome("not_applicable", code, args)
    if rule.id in ctx.displaced:
        return _Outcome("not_applicable", "displaced", {"by": ctx.comp.by_id[ctx.displaced[rule.id]].citation.label})
    if party.endpoint is not None and rule.applies_when is not None and rule.applies_when.endpoint_level is not None:
        level_value, _ = holds(rule.applies_when, ctx.plan, party)
        if level_value is False:
            return _Outcome("not_applicable", "level_not_covered")
        if level_value is None:
            return _Outcome("unknown", "facts_missing", {"facts": ["endpoint.level"]})
    if value is None:
        return _Outcome("unknown", code, args)
    if party.placeholder:
        return _Outcome("unknown", "party_not_listed")
    return None


def _decide(ctx: _Context, rule: Rule, party: Party, window: _Window) -> _Outcome:
    # 1. Does the text bind this body, on this day?
    bound = _bound(ctx, rule, party)
    if bound is not None:
        return bound
    # 2. What kind of duty is it?
    kind = ctx.comp.kind[rule.id]
    if rule.requires:
        return _quota(ctx, rule, party)
    if kind == "contingent":
        assert rule.contingency is not None
        return _Outcome("unknown", "contingent", {"when_vi": rule.contingency.vi, "when_en": rule.contingency.en})
    if kind == "during":
        return _during(ctx, window)
    if rule.period is None:
        if rule.satisfied_by is not None:
            return _undated(ctx, rule, party)
        return _Outcome("unknown", "standing")
    # 3. Has it arisen, and by when?
    if window.due is None:
        assert window.missing is not None
        return _Outcome("unknown", window.missing[0], window.missing[1])
    if window.estimated and window.trigger is not None:
        return _Outcome("unknown", "not_arisen", {"event": window.trigger, "estimated_due": _iso(window.due)})
    # 4. Could a plan record it, and did it?
    if rule.satisfied_by is None:
        if ctx.as_of <= window.due:
            return _Outcome("pending", "not_yet_due", {"due": _iso(window.due)})
        return _Outcome("unknown", "not_recordable", {"due": _iso(window.due)})
    return _evidence(ctx, rule, party, window)


def _quota(ctx: _Context, rule: Rule, party: Party) -> _Outcome:
    if party.endpoint is None:
        return _Outcome("unknown", "quota_per_endpoint")
    # This plan's endpoint: the party may come from another plan of the same shape, with other counts.
    assert ctx.plan.endpoints is not None
    endpoint = ctx.plan.endpoints[ctx.shape.endpoint_index[party.id]]
    short, unknown, counts = [], [], []
    for quota in rule.requires:
        have = getattr(endpoint, quota.count)
        if have is None:
            unknown.append(quota.count)
            continue
        entry = {"count": quota.count, "have": have, "min": quota.min}
        counts.append(entry)
        if have < quota.min:
            short.append(entry)
    if short:
        return _Outcome("violated", "quota_short", {"counts": short})
    if unknown:
        return _Outcome("unknown", "count_unknown", {"counts": unknown})
    return _Outcome("met", "quota_met", {"counts": counts})


def _during(ctx: _Context, window: _Window) -> _Outcome:
    opens, due = window.not_before or ctx.plan.start, window.due
    if due is None:
        return _Outcome("unknown", "facts_missing", {"facts": ["end"]})
    if ctx.as_of < opens:
        return _Outcome("pending", "during_upcoming", {"opens": _iso(opens), "due": _iso(due)})
    if ctx.as_of <= due:
        return _Outcome("pending", "during_now", {"due": _iso(due)})
    return _Outcome("unknown", "during_past")


# ---------------------------------------------------------------- evidence


def _performed_by(ctx: _Context, event: Event, party: Party) -> bool:
    """Whether `event` is `party`'s act: named in `by`, or, without `by`, not addressed to the party."""
    if event.by is not None:
        return ctx.cast.names(event.by, party)
    return event.to is None or not ctx.cast.names(event.to, party)


def _defect(check: EventCheck, event: Event) -> dict[str, object] | None:
    """What keeps an event of the right kind from counting (channel or contents), or None."""
    # A channel the plan leaves out is unknown, not wrong (as contents are): judged on the chosen event.
    if check.channels is not None and event.channel is not None and event.channel not in check.channels:
        return {"at": _iso(event.at), "problem": "channel", "channel": event.channel, "allowed": list(check.channels)}
    if check.contents is not None and event.contents is not None:
        missing = [c for c in check.contents if c not in event.contents]
        if missing:
            return {"at": _iso(event.at), "problem": "contents", "missing": missing}
    return None


def _recipients(ctx: _Context, rule: Rule, party: Party) -> list[Party]:
    """The parties an event must reach: a role is every party holding it; nobody sends to itself.
    From the plan's shape alone, so kept in it."""
    key = (rule.id, party.id)
    found = ctx.shape.recipients.get(key)
    if found is None:
        found = ctx.shape.recipients[key] = _find_recipients(ctx, rule, party)
    return found


def _find_recipients(ctx: _Context, rule: Rule, party: Party) -> list[Party]:
    out: list[Party] = []
    listed = ctx.plan.endpoints is not None
    for ref in rule.recipients:
        for q in _expand(ctx, ref):
            # By id, not equality: within one cast an id is one party, and ids compare faster.
            if q.id == party.id or any(q.id == o.id for o in out) or q.outside_level is not None or q.ceased:
                continue
            if q.placeholder and listed and ref in ENDPOINT_ROLES:
                continue  # the listed endpoints hold no such role: nobody to reach
            out.append(q)
    return out


@dataclass(slots=True)
class _Candidate:
    event: Event
    check: EventCheck
    defect: dict[str, object] | None


_EVENT_AT = attrgetter("event.at")  # a candidate's time


def _candidates(ctx: _Context, rule: Rule, party: Party) -> list[_Candidate]:
    """Events of a kind that discharges the rule, made by `party`, not already spent on a distinct duty."""
    spent: set[int] = set()
    for other in rule.distinct_from:
        if other in ctx.visiting:
            continue
        ctx.visiting.add(other)
        other_rule = ctx.comp.by_id[other]
        got = _outcome(ctx, other_rule, party, _window(ctx, other_rule))
        ctx.visiting.discard(other)
        if got.status in ("met", "pending"):
            spent.update(id(e) for e in got.used)
    out = []
    checks = rule.satisfied_by or ()
    for event, check in _events_of(ctx, checks):
        if id(event) in spent:
            continue
        if _performed_by(ctx, event, party):
            out.append(_Candidate(event, check, _defect(check, event)))
    return out


def _events_of(ctx: _Context, checks: Sequence[EventCheck]) -> list[tuple[Event, EventCheck]]:
    """The plan's events of the checks' kinds, in time order (ties in the plan's order), each with the
    first check of its kind (the sender does not depend on the check), once an evaluation."""
    if not checks:
        return []
    key = id(checks)  # a rule's own checks (the rulebook outlives the evaluation), not only their kinds
    found = ctx.events_of.get(key)
    if found is None:
        first: dict[str, EventCheck] = {}
        for c in checks:
            first.setdefault(c.event, c)
        found = ctx.events_of[key] = [(e, first[e.kind]) for e in _timeline(ctx) if e.kind in first]
    return found


def _timeline(ctx: _Context) -> list[Event]:
    """The plan's events in time order (ties in the plan's order), sorted once an evaluation."""
    if ctx.timeline is None:
        ctx.timeline = sorted(ctx.plan.events or [], key=attrgetter("at"))
    return ctx.timeline


def _evidence(ctx: _Context, rule: Rule, party: Party, window: _Window) -> _Outcome:
    due, opens = window.due, window.not_before
    assert due is not None and rule.satisfied_by is not None
    kind = rule.satisfied_by[0].event
    if ctx.plan.events is None:
        if ctx.as_of <= due:
            return _Outcome("pending", "not_yet_due", {"due": _iso(due), "event": kind})
        return _Outcome("unknown", "no_events_recorded", {"due": _iso(due), "event": kind})
    good: list[_Candidate] = []
    defects: list[dict[str, object]] = []
    short: list[_Candidate] = []
    for c in _candidates(ctx, rule, party):
        if c.defect is None:
            good.append(c)
        elif c.defect["problem"] == "contents":
            short.append(c)
        else:
            defects.append(c.defect)

    def in_window(e: Event) -> bool:
        return e.at <= due and (opens is None or e.at >= opens)

    targets: list[Party | None] = list(_recipients(ctx, rule, party)) or [None]
    chosen: list[_Candidate] = []
    missing: list[Party] = []
    for q in targets:
        reaching = [c for c in good if q is None or ctx.cast.names(c.event.to, q, default=True)]
        if not reaching:
            if q is not None:
                missing.append(q)
            continue
        # In the window before out of it; with recorded contents before a notice whose contents are unknown.
        chosen.append(reaching[0] if len(reaching) == 1 else min(
            reaching, key=lambda c: (not in_window(c.event), bool(c.check.contents) and c.event.contents is None)))
    base: dict[str, object] = {"due": _iso(due), "event": kind}
    if missing or not chosen:
        reached_short = [c for c in short if in_window(c.event)]
        if ctx.as_of <= due:
            return _Outcome("pending", "not_yet_due", base)
        if reached_short and not chosen:
            c = reached_short[-1]
            assert c.defect is not None
            return _Outcome("violated", "contents_missing",
                            {**base, "event": c.event.kind, "at": _iso(c.event.at), "missing": c.defect["missing"]})
        if defects:
            base["defects"] = defects
        if missing:
            return _Outcome("violated", "recipients_missing", {**base, "missing": [q.name for q in missing]})
        return _Outcome("violated", "not_done", base)
    last = max(chosen, key=_EVENT_AT)  # the first of the latest, as for the late ones below
    if last.event.at > due:
        names = [q.name for q, c in zip(targets, chosen, strict=False) if q is not None and c.event.at > due]
        args = {**base, "event": last.event.kind, "at": _iso(last.event.at)}
        if len(targets) > 1 and names:
            args["late"] = names
        if last.event.at > ctx.as_of:
            args["scheduled"] = True
        return _Outcome("violated", "done_late", args)
    if opens is not None:
        early = [c for c in chosen if c.event.at < opens]
        if early:
            first = min(early, key=_EVENT_AT)
            return _Outcome("violated", "too_early",
                            {"opens": _iso(opens), "event": first.event.kind, "at": _iso(first.event.at)})
    used = tuple(c.event for c in chosen)
    args = {**base, "event": last.event.kind, "at": _iso(last.event.at)}
    for c in chosen:
        if c.check.channels is not None and c.event.channel is None:
            return _Outcome("unknown", "channel_not_recorded",
                            {**args, "at": _iso(c.event.at), "allowed": list(c.check.channels)}, used)
    for c in chosen:
        if c.check.contents and c.event.contents is None:
            ctx.warnings.append(Finding(
                rule=rule.id, topic=rule.topic, severity="warning", code="contents_not_recorded",
                message=finding_text("contents_not_recorded", {"party": party.name, "event": c.event.kind,
                                     "at": _iso(c.event.at), "required": list(c.check.contents)}, ctx.lang),
                citation=rule.citation,
            ))
            return _Outcome("unknown", "contents_not_recorded",
                            {**args, "at": _iso(c.event.at), "required": list(c.check.contents)}, used)
    if last.event.at <= ctx.as_of:  # every chosen event is done
        return _Outcome("met", "done_on_time", args, used)
    return _Outcome("pending", "scheduled", args, used)


def _undated(ctx: _Context, rule: Rule, party: Party) -> _Outcome:
    """A duty with no deadline is met by a qualifying event already done; it can never be late."""
    assert rule.satisfied_by is not None
    kind = rule.satisfied_by[0].event
    targets = _recipients(ctx, rule, party)
    for c in _candidates(ctx, rule, party):
        if c.defect is None and c.event.at <= ctx.as_of and all(
            ctx.cast.names(c.event.to, q, default=True) for q in targets
        ):
            return _Outcome("met", "done_no_deadline", {"event": c.event.kind, "at": _iso(c.event.at)}, (c.event,))
    return _Outcome("unknown", "no_deadline_not_recorded", {"event": kind})


# ---------------------------------------------------------------- windows


def _window(ctx: _Context, rule: Rule) -> _Window:
    found = ctx.windows.get(rule.id)
    if found is not None:
        return found
    period = rule.period
    if period is None and rule.kind == "during":
        period = _UNTIL_END  # "trong suốt cuộc họp": to the meeting's end
    if period is None:
        result = _NO_WINDOW
    else:
        ctx.counting.add(rule.id)
        try:
            result = _compute_window(ctx, rule, period)
        except CalendarRangeError as e:
            if e.code == "deadline_out_of_range":
                raise  # already names the rule it arose in (a chain counts from another rule's window)
            # Name the article, so that a user knows which deadline left the years (red team D19).
            label = rule.citation.label
            raise CalendarRangeError(
                f"{label}: {e}", code="deadline_out_of_range", place=label,
                params={"citation": label, "value": str(e), "first": ctx.cal.first_year,
                        "last": ctx.cal.last_year},
            ) from None
        ctx.counting.discard(rule.id)
    ctx.windows[rule.id] = result
    return result


def _compute_window(ctx: _Context, rule: Rule, period: Period) -> _Window:
    anchor, estimated, missing = _anchor_time(ctx, rule, period)
    trigger = period.anchor_event
    if anchor is None:
        return _Window(None, None, False, None, False, missing, trigger)
    # The strict reading (BLDS Điều 147) concerns periods counted before a sending, not windows for an act.
    sending = period.relation == "before" and ctx.comp.sending[rule.id]
    reading: Reading = ctx.reading if sending else "default"
    due, provisional = _count(ctx, "end_of_day", anchor, period, reading)
    opening = None
    if rule.opens is not None:
        opens_at, opens_estimated, opens_missing = (
            (anchor, estimated, None) if rule.opens.anchor == period.anchor else _anchor_time(ctx, rule, rule.opens))
        if opens_at is None:
            return _Window(None, None, False, None, False, opens_missing, rule.opens.anchor_event)
        estimated = estimated or opens_estimated
        opening = _count(ctx, "start_of_day", opens_at, rule.opens, "default")
        provisional = provisional or opening[1]
    if rule.kind == "during":
        # "Trong suốt cuộc họp": from the opening (default: the start) to the period's end (the meeting's end).
        return _Window(opening[0] if opening else ctx.plan.start, due, provisional, None, estimated, None, trigger)
    if rule.before_start and due > ctx.plan.start:
        ctx.capped[rule.id] = due
        due = ctx.plan.start
    text = None
    if ctx.explain:
        text = _deadline(ctx, "end_of_day", anchor, period, reading).explain(ctx.lang)
        if opening is not None:
            assert rule.opens is not None and opens_at is not None
            opened = _deadline(ctx, "start_of_day", opens_at, rule.opens, "default")
            text = ("mở: " if ctx.lang != "en" else "opens: ") + opened.explain(ctx.lang) + "; " + (
                "đóng: " if ctx.lang != "en" else "closes: ") + text
    if opening is not None:
        return _Window(opening[0], due, provisional, text, estimated, None, trigger)
    # "Within N after X" cannot be done before X; a zero period ("until the meeting ends") has no window.
    not_before = anchor if period.relation == "after" and period.amount > 0 else None
    return _Window(not_before, due, provisional, text, estimated, None, trigger)


_DAY_UNITS = frozenset({"working_days", "days"})


def _count(ctx: _Context, boundary: str, anchor: datetime, period: Period, reading: Reading) -> tuple[datetime, bool]:
    """The calendar's deadline (or a window's opening) as (at, provisional). A count in days depends on
    the anchor's day alone, so it is kept across evaluations (CompiledRulebook.day_counts, per calendar);
    one in hours once an evaluation."""
    amount, unit, relation = period.amount, period.unit, period.relation
    if amount == 0 and unit in ("hours", "minutes") and anchor.tzinfo is TZ:
        return anchor, False  # "until the meeting ends": the calendar's answer, without asking it
    if unit in _DAY_UNITS and anchor.tzinfo is TZ:
        key: Hashable = (boundary, anchor.date(), amount, unit, relation, reading)
        store = ctx.day_counts
    else:
        key = (boundary, anchor, amount, unit, relation, reading)
        store = ctx.counts
    found = store.get(key)
    if found is None:
        d = _deadline(ctx, boundary, anchor, period, reading)
        found = (d.at, d.provisional)
        if len(store) >= DAY_COUNTS_CAP:
            store.clear()
        store[key] = found
    return found


def _deadline(ctx: _Context, boundary: str, anchor: datetime, period: Period, reading: Reading) -> Deadline:
    count = ctx.cal.deadline if boundary == "end_of_day" else ctx.cal.opening
    return count(anchor, period.amount, period.unit, period.relation, reading=reading)


def _anchor_time(
    ctx: _Context, rule: Rule, period: Period
) -> tuple[datetime | None, bool, tuple[str, dict[str, object]] | None]:
    plan = ctx.plan
    if period.anchor == "meeting_start":
        return plan.start, False, None
    if period.anchor == "meeting_end":
        if plan.end is not None:
            return plan.end, False, None
        if period.unit in ("hours", "minutes", "working_hours"):
            return None, False, ("facts_missing", {"facts": ["end"]})
        # Day-counted periods only need the day; a meeting without an end is taken to end that day.
        return plan.start, False, None
    kind = period.anchor_event
    assert kind is not None
    producers = ctx.shape.producers.get((kind, rule.id))
    if producers is None:  # from the shape alone, so kept in it
        producers = ctx.shape.producers[(kind, rule.id)] = [
            r for r in ctx.comp.producers.get(kind, ())
            if r.id != rule.id and ctx.applies[r.id][0] is True and r.id not in ctx.displaced
        ]
    # Rules counted from the same event (a test run) look for it once an evaluation; a producer whose
    # window is being counted does not count (_discharges_producer), so that is in the key too.
    key = (kind, period.anchor_channels and tuple(period.anchor_channels), period.anchor_by and tuple(
        period.anchor_by), tuple((r.id, r.id in ctx.counting) for r in producers))
    if key in ctx.producing:
        event = ctx.producing[key]
    else:
        event = ctx.producing[key] = _producing_event(ctx, kind, producers, period)
    if event is not None:
        return event.at, False, None
    # The duty has not arisen; the producer's deadline shows when it would, were that step on time
    # (only a producer that binds someone in this meeting: a central host owes no registration).
    for producer in producers:
        bound = ctx.cast.expand_all(producer.binds)
        if producer.id in ctx.counting or all(q.outside_level or q.ceased for q in bound):
            continue
        w = _window(ctx, producer)
        if w.due is not None:
            return w.due, True, None
    return None, False, ("not_arisen", {"event": kind})


def _producing_event(ctx: _Context, kind: str, producers: list[Rule], period: Period) -> Event | None:
    """The first event of `kind` that would discharge a producing duty (the written form, to the right
    body), or with no producing duty in the rulebook, the first event of that kind; in both cases sent
    on the channel and by the party the period names, if it names them."""

    def wanted(e: Event) -> bool:
        if e.kind != kind or (period.anchor_channels is not None and e.channel not in period.anchor_channels):
            return False
        if period.anchor_by is None:
            return True
        senders = ctx.cast.expand_all(period.anchor_by)
        return any(ctx.cast.names(e.by, q) for q in senders)

    events = [e for e in _timeline(ctx) if wanted(e)]
    if not producers:
        return events[0] if events else None
    for event in events:
        for producer in producers:
            if _discharges_producer(ctx, producer, event):
                return event
    return None


def _discharges_producer(ctx: _Context, producer: Rule, event: Event) -> bool:
    """Whether `event` is the act the producing duty asks for: right kind, channel and contents, by a party
    it binds, reaching its recipients, and not before its window opens. A late one still counts: a form
    received late is still the form the next step counts from."""
    if producer.id in ctx.counting:
        return False
    window = _window(ctx, producer)
    if window.not_before is not None and event.at < window.not_before:
        return False
    bound = ctx.cast.expand_all(producer.binds)
    if not any(_performed_by(ctx, event, q) for q in bound):
        return False
    for check in producer.satisfied_by or ():
        # Short contents do not make it another document: a form received incomplete is still received.
        defect = _defect(check, event)
        if check.event != event.kind or (defect is not None and defect["problem"] != "contents"):
            continue
        reach = ctx.cast.expand_all(producer.recipients)
        if all(ctx.cast.names(event.to, q, default=True) for q in reach):
            return True
    return False


# ---------------------------------------------------------------- findings about the plan and time


def _finding(ctx: _Context, code: str, args: dict[str, object], severity: Severity = "warning",
             rule: str | None = None, citation: Citation | None = None) -> Finding:
    return Finding(rule=rule or f"{ctx.book.id}.plan", topic="scope", severity=severity,
                   code=code, message=finding_text(code, args, ctx.lang), citation=citation, args=args)


def _plan_findings(ctx: _Context, provisional: bool) -> list[Finding]:
    book, out = ctx.book, []
    if provisional:
        out.append(_finding(ctx, "provisional_calendar", {}, "info", f"{book.id}.calendar"))
    events = ctx.plan.events or []
    used = ctx.comp.used_kinds
    for i, event in enumerate(events):
        where = f"{book.id}.plan.events[{i}]"
        unknown = [ref for ref in [*(event.to or []), *(event.by or [])] if not ctx.cast.knows(ref)]
        if unknown:
            out.append(_finding(ctx, "unknown_party_reference", {"event": i + 1, "refs": unknown}, rule=where))
        if abs(event.at - ctx.plan.start) > timedelta(days=366):
            out.append(_finding(ctx, "event_far_from_meeting", {"event": i + 1, "at": _iso(event.at)}, rule=where))
        if event.kind not in used:
            out.append(_finding(ctx, "event_unused", {"event": i + 1, "kind": event.kind}, "info", where))
    return out


def _day(value: date) -> str:
    if value.year >= 1000:  # strftime is slow; %Y writes years below 1000 unpadded, so keep it for those
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return f"{value:%d/%m/%Y}"


def _currency_findings(ctx: _Context, force: str) -> list[Finding]:
    """Warnings about time: the rulebook's force on the meeting's date, and bodies changed since it was written."""
    book, plan, out = ctx.book, ctx.plan, []
    on = plan.start.date()
    meta = book.metadata
    if force != "in_force":
        args: dict[str, object] = {"force": force}
        if meta.effective is not None:
            args["effective"] = _day(meta.effective)
        if meta.in_force_until is not None:
            args["until"] = _day(meta.in_force_until)
        out.append(_finding(ctx, "reference_only", args, rule=f"{book.id}.metadata"))
    registry = ctx.cast.registry
    if meta.issuer_institution is not None and registry is not None:
        for change in registry.resolve(meta.issuer_institution, on).changes:
            out.append(_finding(ctx, "issuer_changed", _change_args(change), rule=f"{book.id}.metadata.issuer"))
    for party in ctx.cast.bodies:
        if party.resolution is None:
            continue
        citation = ctx.comp.citation_of.get(party.id)
        for change in party.resolution.changes:
            out.append(_finding(ctx, "body_changed", _change_args(change), rule=f"{book.id}.parties.{party.id}",
                                citation=citation))
    district = registry.level_ended("district", on) if registry is not None else None
    if district is not None and registry is not None:
        doc = registry.document(district.document)
        places = [e.name for e in plan.endpoints or [] if e.level == "district"]
        if plan.host.kind in ("district_party_committee", "district_people_committee"):
            places.insert(0, plan.host.name)
        if places:
            out.append(_finding(ctx, "level_ended", {"last_day": _day(district.last_day), "document": doc.title,
                                                     "places": places}, rule=f"{book.id}.plan.district_level"))
    return out


def _change_args(change: object) -> dict[str, object]:
    from .institutions import Change

    assert isinstance(change, Change)
    args: dict[str, object] = {"before": change.before.name, "until": _day(change.before.until or date.min)}
    if change.after is not None:
        args["after"] = change.after.name
        args["from"] = _day(change.after_from)
    if change.document is not None:
        args["document"] = change.document.title
    return args

