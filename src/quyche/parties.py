"""Who is who in one meeting: the plan's host and endpoints, and the bodies the rulebook names."""

from __future__ import annotations

from dataclasses import dataclass

from .institutions import Registry, Resolution
from .plan import Endpoint, MeetingPlan
from .rulebook import Rulebook

NAMES_MEMO_CAP = 4096  # Cast.names answers kept per cast

ROLE_NAMES: dict[str, tuple[str, str]] = {
    "host": ("Cơ quan chủ trì", "Host"),
    "main_endpoint": ("Điểm cầu chính", "Main endpoint"),
    "branch_endpoint": ("Các điểm cầu nhánh", "Branch endpoints"),
    "system_manager": ("Cơ quan quản lý hệ thống", "System manager"),
    "control_center": ("Trung tâm điều khiển", "Control center"),
    "telecom": ("Doanh nghiệp viễn thông", "Telecom company"),
    "power_company": ("Công ty điện lực", "Power company"),
    "finance": ("Sở Tài chính", "Finance department"),
    "provincial_office": ("Văn phòng UBND", "Provincial office"),
    "using_agency": ("Cơ quan sử dụng", "Using agency"),
    "scheduler": ("Đơn vị xếp lịch", "Scheduler"),
}


# The level of government a host kind belongs to; `other` is not known.
_HOST_LEVELS: dict[str, str | None] = {
    "central": "central",
    "provincial_party_committee": "province",
    "provincial_people_council": "province",
    "provincial_people_committee": "province",
    "national_assembly_delegation": "province",
    "department": "province",
    "fatherland_front": "province",
    "district_party_committee": "district",
    "district_people_committee": "district",
    "commune_people_committee": "commune",
    "other": None,
}


def host_level(kind: str) -> str | None:
    return _HOST_LEVELS.get(kind)


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    roles: tuple[str, ...]
    endpoint: Endpoint | None = None
    placeholder: bool = False  # a role no listed party holds: facts about it are unknown
    resolution: Resolution | None = None  # set when the body changed before the meeting's date
    # Set when the rulebook's jurisdiction does not reach the party: the level it is at.
    outside_level: str | None = None
    ceased: bool = False  # under a rulebook in force: it no longer existed on the meeting's day
    successor: str | None = None  # who took its place, when it ceased


def role_name(role: str, lang: str) -> str:
    vi, en = ROLE_NAMES.get(role, (role, role))
    return en if lang == "en" else vi


class Cast:
    """The parties of one plan under one rulebook, and how references (roles, ids, endpoints) resolve.

    `in_force`: under a rulebook in force, a body is named as it is on the meeting's day, and one that
    had ceased with no successor carries nothing; under a reference-only rulebook bodies keep the
    names the text gives them.
    """

    def __init__(
        self, book: Rulebook, plan: MeetingPlan, lang: str = "vi", registry: Registry | None = None,
        *, in_force: bool = False,
    ) -> None:
        self.lang = lang
        self.registry = registry
        day = plan.start.date()
        levels = book.metadata.bound_levels
        level = host_level(plan.host.kind)
        self.host = Party("host", plan.host.name, ("host",),
                          outside_level=level if level is not None and level not in levels else None)
        district_ended = registry.level_ended("district", day) if registry is not None else None
        self.endpoints = []
        for i, e in enumerate(plan.endpoints or [], start=1):
            outside = e.level if e.level is not None and e.level not in levels else None
            self.endpoints.append(Party(
                f"endpoint:{i}", e.name, ("main_endpoint" if e.role == "main" else "branch_endpoint",), endpoint=e,
                outside_level=outside,
                ceased=in_force and outside is None and e.level == "district" and district_ended is not None,
            ))
        self.bodies = []
        for b in book.parties:
            res = registry.resolve(b.institution, day) if registry and b.institution else None
            if res is None or not res.changed:
                self.bodies.append(Party(b.id, b.name, tuple(b.roles)))
            elif not in_force:
                self.bodies.append(Party(b.id, b.name, tuple(b.roles), resolution=res))
            elif res.current is None:
                self.bodies.append(Party(b.id, b.name, tuple(b.roles), resolution=res, ceased=True))
            else:
                self.bodies.append(Party(b.id, res.current.name, tuple(b.roles), resolution=res))
        self.all = [self.host, *self.endpoints, *self.bodies]
        self._by_id = {p.id: p for p in self.all}
        self._by_name = {p.name: p for p in self.endpoints}
        self.order = {p.id: i for i, p in enumerate(self.all)}
        # A cast serves every plan of one shape (evaluate.py): what a reference names is worked out once.
        self._names_memo: dict[tuple[str, str], bool] = {}
        self._book = book
        # A plan written today names a body as it is now ("Sở Khoa học và Công nghệ" for the text's Sở
        # TT&TT); two bodies merged into one both answer to its name.
        self._current: dict[str, list[Party]] = {}
        for p in self.bodies:
            if p.resolution is not None and p.resolution.current is not None:
                self._current.setdefault(Rulebook.name_key(p.resolution.current.name), []).append(p)

    def _body(self, ref: str) -> Party | None:
        """The body a name or alias the text gives names ("Chi nhánh điện tại địa bàn")."""
        body = self._book.body_named(ref)
        return self._by_id[body.id] if body is not None else None

    def _now_named(self, ref: str) -> list[Party]:
        """The bodies that, by the meeting's day, had become the body this name names."""
        return self._current.get(Rulebook.name_key(ref), [])

    def expand(self, ref: str) -> list[Party]:
        """Every party a reference names; a role nobody holds gives one placeholder party."""
        if ref in self._by_id:
            return [self._by_id[ref]]
        if ref in self._by_name:
            return [self._by_name[ref]]
        if (body := self._body(ref)) is not None:
            return [body]
        if now := self._now_named(ref):
            return now
        held = [p for p in self.all if ref in p.roles]
        if held:
            return held
        return [Party(ref, role_name(ref, self.lang), (ref,), placeholder=True)]

    def expand_all(self, refs: list[str]) -> list[Party]:
        """Every party the references name, in order."""
        return [q for ref in refs for q in self.expand(ref)]

    def names(self, refs: list[str] | None, party: Party, *, default: bool = False) -> bool:
        """Whether the references (an event's `to` or `by`) name `party`; None gives `default`."""
        if refs is None:
            return default
        memo = self._names_memo
        for ref in refs:
            key = (ref, party.id)  # within one cast an id is one party
            hit = memo.get(key)
            if hit is None:
                if len(memo) >= NAMES_MEMO_CAP:  # a cast is kept with its shape; plans bring any names
                    memo.clear()
                hit = memo[key] = (ref == party.id or ref in party.roles or ref == party.name
                                   or ((body := self._body(ref)) is not None and body.id == party.id)
                                   or party in self._now_named(ref))
            if hit:
                return True
        return False

    def knows(self, ref: str) -> bool:
        return (ref in self._by_id or ref in self._by_name or any(ref in p.roles for p in self.all)
                or ref in ROLE_NAMES or self._body(ref) is not None or bool(self._now_named(ref)))
