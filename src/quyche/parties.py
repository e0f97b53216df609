"""Who is who in one meeting: the plan's host and endpoints, and the bodies the rulebook names."""

from __future__ import annotations

from dataclasses import dataclass

from .institutions import Registry, Resolution
from .plan import Endpoint, MeetingPlan
from .rulebook import Rulebook

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


EVENT_NAMES: dict[str, tuple[str, str]] = {
    "notice": ("thông báo", "the notice"),
    "special_request_notice": ("yêu cầu đặc biệt", "the special request"),
    "registration_confirmed": ("xác nhận đăng ký", "the registration's confirmation"),
    "power_notified": ("báo điện lực", "notifying the power company"),
    "invitation_issued": ("phát hành giấy mời", "the invitation"),
    "test_run": ("vận hành thử", "the test run"),
    "recording_delivered": ("giao bản ghi", "delivering the recording"),
    "log_submitted": ("gửi nhật ký", "submitting the log"),
}


def event_name(kind: str, lang: str) -> str:
    vi, en = EVENT_NAMES.get(kind, (kind, kind))
    return en if lang == "en" else vi


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    roles: tuple[str, ...]
    endpoint: Endpoint | None = None
    placeholder: bool = False  # a role no listed party holds: facts about it are unknown
    resolution: Resolution | None = None  # set when the body changed before the meeting's date


def role_name(role: str, lang: str) -> str:
    vi, en = ROLE_NAMES.get(role, (role, role))
    return en if lang == "en" else vi


class Cast:
    """The parties of one plan under one rulebook, and how references (roles, ids) resolve to them."""

    def __init__(
        self, book: Rulebook, plan: MeetingPlan, lang: str = "vi", registry: Registry | None = None
    ) -> None:
        self.lang = lang
        self.host = Party("host", plan.host.name, ("host",))
        self.endpoints = [
            Party(
                f"endpoint:{i}",
                e.name,
                ("main_endpoint" if e.role == "main" else "branch_endpoint",),
                endpoint=e,
            )
            for i, e in enumerate(plan.endpoints or [], start=1)
        ]
        self.bodies = []
        for b in book.parties:
            res = registry.resolve(b.institution, plan.start.date()) if registry and b.institution else None
            if res is not None and res.changed:
                self.bodies.append(Party(b.id, res.name(b.name, lang), tuple(b.roles), resolution=res))
            else:
                self.bodies.append(Party(b.id, b.name, tuple(b.roles)))
        self.all = [self.host, *self.endpoints, *self.bodies]
        self._by_id = {p.id: p for p in self.all}
        self.order = {p.id: i for i, p in enumerate(self.all)}

    def expand(self, ref: str) -> list[Party]:
        """Every party a reference names; a role nobody holds gives one placeholder party."""
        if ref in self._by_id and not ref.startswith("endpoint:"):
            return [self._by_id[ref]]
        held = [p for p in self.all if ref in p.roles]
        if held:
            return held
        return [Party(ref, role_name(ref, self.lang), (ref,), placeholder=True)]

    def covers(self, addressed: list[str] | None, recipient: str) -> bool:
        """Whether an event sent to `addressed` reaches `recipient` (a role or a body id)."""
        if addressed is None:
            return True
        if recipient in addressed:
            return True
        targets = {recipient}
        body = self._by_id.get(recipient)
        if body is not None:
            targets.update(body.roles)
        for ref in addressed:
            party = self._by_id.get(ref)
            if party is not None and recipient in party.roles:
                return True
        return bool(targets & set(addressed))

    def knows(self, ref: str) -> bool:
        return ref in self._by_id or any(ref in p.roles for p in self.all) or ref in ROLE_NAMES
