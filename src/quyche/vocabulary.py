"""The shared words of the contract (CONTRACT.md section 2): topics, roles, kinds. Data, not logic."""

from __future__ import annotations

from typing import Literal, get_args

Role = Literal[
    "host",  # cơ quan chủ trì
    "main_endpoint",  # điểm cầu chính / trung tâm
    "branch_endpoint",  # điểm cầu nhánh / phụ
    "system_manager",  # the department that manages the system and receives notices
    "control_center",  # operator of the MCU
    "telecom",
    "power_company",
    "finance",
    "provincial_office",
    "using_agency",
    "scheduler",
]
ROLES: tuple[str, ...] = get_args(Role)

# The years the default working-day calendar counts (the lunar calendar that places Tết and Giỗ Tổ).
SUPPORTED_YEARS: tuple[int, int] = (1901, 2099)
# Roles filled from the plan rather than by a body the rulebook names.
PLAN_ROLES: tuple[str, ...] = ("host", "main_endpoint", "branch_endpoint")
ENDPOINT_ROLES: tuple[str, ...] = ("main_endpoint", "branch_endpoint")

SHARED_TOPICS: tuple[str, ...] = (
    "scope",
    "notice",
    "emergency_notice",
    "special_request_notice",
    "registration_confirmation",
    "coordination",
    "test_run",
    "on_duty",
    "operation",
    "staffing",
    "venue",
    "shutdown",
    "post_meeting",
    "logbook",
    "reporting",
    "budget",
    "security",
    "conduct",
)

HostKind = Literal[
    "central",
    "provincial_party_committee",
    "provincial_people_council",
    "provincial_people_committee",
    "national_assembly_delegation",
    "department",
    "fatherland_front",
    "district_party_committee",
    "district_people_committee",
    "commune_people_committee",
    "other",
]
HOST_KINDS: tuple[str, ...] = get_args(HostKind)

Level = Literal["central", "province", "district", "commune"]
EndpointRole = Literal["main", "branch"]

EventKind = Literal[
    "notice",
    "special_request_notice",
    "registration_confirmed",
    "power_notified",
    "invitation_issued",
    "test_run",
    "recording_delivered",
    "log_submitted",
]
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)

RequestKind = Literal["recording", "slides", "video", "projector", "speaking"]
Channel = Literal["written", "phone", "email"]
# `requests`: the plan's requests are stated in this notice (Gia Lai's Phiếu đăng ký, mục 8).
Content = Literal["host", "participants", "start", "end", "test_run", "scale", "room", "requests"]

Unit = Literal["working_days", "days", "hours", "minutes", "working_hours"]
Relation = Literal["before", "after"]

Status = Literal["met", "violated", "pending", "unknown", "not_applicable"]
Severity = Literal["violation", "warning", "info"]
# deadline: a dated step of this meeting; during: on duty while it runs; standing: not tied to this
# meeting; contingent: arises only on something a plan does not record (CONTRACT.md section 5).
ObligationKind = Literal["deadline", "during", "standing", "contingent"]
Verdict = Literal["compliant", "not_compliant", "incomplete"]
# The level of government whose bodies a rulebook binds.
JurisdictionLevel = Literal["province", "district"]
RulebookStatus = Literal["in_force", "draft", "unknown"]
