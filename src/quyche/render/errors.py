"""An error in words, on one line, in Vietnamese or English: `error_text(e, lang)`.

English is the error's own message (`str(e)`). Vietnamese comes from the catalogue below, by the
error's `code` and `params`; an error with no Vietnamese entry keeps its English words (the place
and field path, which lead the line, read the same in both languages).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import CalendarRangeError, InputError, QuycheError, UnknownRulebookError, YamlError

LANGS = ("vi", "en")

_VI: dict[str, str] = {
    "unknown_key": "khóa không hợp lệ (không được dùng ở đây)",
    "missing_key": "thiếu khóa bắt buộc",
    "key_not_text": "khóa {key} không phải là chữ: khóa là một tên (đặt trong dấu nháy để giữ nguyên)",
    "want_mapping": "cần một bảng khóa: giá trị, nhận được {got}",
    "want_text": "phải là chữ (chuỗi ký tự), nhận được {got}",
    "want_integer": "phải là số nguyên, nhận được {got}",
    "want_number": "phải là một số, nhận được {got}",
    "want_boolean": "phải là true hoặc false, nhận được {got}",
    "want_list": "phải là một danh sách, nhận được {got}",
    "wrong_type": "sai kiểu giá trị, nhận được {got}",
    "want_datetime": "phải là ngày giờ, ví dụ 2026-11-26T08:00:00+07:00, nhận được {got}",
    "want_date": "phải là ngày, ví dụ 2026-11-26, nhận được {got}",
    "hour_24": "{got}: 24:00 không phải là giờ trong ngày; hãy ghi 00:00 của ngày hôm sau",
    "leap_second": "{got}: giây thứ 60 (giây nhuận) không tính được; hãy ghi :59",
    "not_one_of": "phải là một trong: {choices}; nhận được {got}",
    "text_too_short": "quá ngắn: cần ít nhất {min_length} ký tự",
    "list_too_short": "quá ngắn: cần ít nhất {min_length} mục",
    "greater_than_equal": "phải lớn hơn hoặc bằng {limit}, nhận được {got}",
    "greater_than": "phải lớn hơn {limit}, nhận được {got}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {limit}, nhận được {got}",
    "less_than": "phải nhỏ hơn {limit}, nhận được {got}",
    # Raised by checks other helpers are adding (plan.py validators, evaluate's windows); params as named.
    "year_out_of_range": "{value} nằm ngoài các năm {first}–{last} (lịch âm để xác định Tết và Giỗ Tổ chỉ "
    "có cho các năm này)",
    "deadline_out_of_range": "{citation}: thời hạn tính theo điều này ra ngoài các năm {first}–{last} (lịch âm "
    "để xác định Tết và Giỗ Tổ chỉ có cho các năm này)",
    "number_not_time": "phải là ngày giờ, ví dụ 2026-11-26T08:00:00+07:00, không phải con số {got}",
    "plan_too_large": "kế hoạch quá lớn để kiểm tra trong một lần: {endpoints} điểm cầu × {rules} quy định "
    "= {work}, vượt giới hạn {cap}; hãy chia kế hoạch thành nhiều phần",
    "bad_argument": "{name}: {want}, nhận được {got}",
    "unknown_lang": "lang: chỉ nhận vi hoặc en, nhận được {got}",
    # Reading files (yamlio, loader, sources): the place (the file) leads the line.
    "cannot_read": "không đọc được (không có tệp, không có quyền đọc, hoặc tên không hợp lệ)",
    "too_large": "vượt giới hạn 5.000.000 byte",
    "unknown_rulebook": "không phải là bộ quy chế có sẵn; máy chủ không đọc tệp nào do yêu cầu nêu",
    "not_json": "nội dung yêu cầu không phải là JSON",
    "not_a_file": "không phải là tệp thường (thư mục, FIFO hay thiết bị); hãy đưa một tệp YAML hoặc JSON",
    "too_many_values": "tài liệu có quá 200.000 giá trị (quá lớn, hoặc dùng alias để nhân nội dung)",
    "key_too_long": "khóa quá dài (tối đa 1.024 ký tự)",
    "rulebook_path_refused": "bị từ chối: kế hoạch chỉ được nêu mã một bộ quy chế có sẵn hoặc đường dẫn tương "
    "đối tới tệp .yaml, .yml trong chính thư mục của kế hoạch",
    "not_a_rulebook": "không phải là tệp quy chế (kế hoạch {plan} nêu tệp này; `quyche lint` cho biết lý do)",
    "source_path_refused": "phải là đường dẫn tương đối trong thư mục của tệp quy chế",
    "years_too_few": "cần ít nhất 1 năm, nhận được {got}",
    "bad_remind": "{got}: không hợp lệ; ghi none, Nd@HH:MM (N ngày làm việc trước, lúc HH:MM), Nh hoặc Nm",
}

# What an argument of the Python API should have been (`bad_argument`'s `want`).
_WANT_VI: dict[str, str] = {
    "data_or_text": "cần một bảng khóa: giá trị, hoặc văn bản YAML/JSON",
    "datetime": "cần ngày giờ (datetime), ví dụ datetime(2026, 11, 26, 8, 0)",
    "rulebook": "cần mã bộ quy chế có sẵn hoặc một Rulebook",
    "plan": "cần một MeetingPlan hoặc một bảng khóa: giá trị",
    "calendar": "cần một WorkingCalendar",
    "registry": "cần một Registry",
    "readings": "cần một bảng mã cách hiểu: giá trị",
    "reading": "chỉ nhận default hoặc strict",
    "bool": "cần true hoặc false",
}

# yamlio's words for what was written, when it is not a value shown as written.
_GOT_VI: dict[str, str] = {
    "a list": "một danh sách",
    "a mapping": "một bảng khóa: giá trị",
    "a number": "một số",
    "nothing (an empty document)": "không có gì (tệp rỗng)",
}


def error_text(e: QuycheError, lang: str = "vi") -> str:
    """One line saying what is wrong and where, in `lang` (vi | en)."""
    if lang not in LANGS:
        raise InputError(f"lang: want vi or en, got {lang!r}", code="unknown_lang", params={"got": repr(lang)})
    if lang == "en" or e.code not in _VI:
        return _one_line(str(e))
    params = e.params
    own = str(e).splitlines()[0] if str(e) else ""
    own = own.removeprefix(f"{params.get('at')}: {params.get('field')}: ") if "at" in params else own
    first = _problem_vi(e.code, params, own)
    if "at" not in params and e.place and not first.startswith(e.place):
        first = f"{e.place}: {first}"  # errors about a whole file or option name it by `place`
    also = [p for p in params.get("also", []) if isinstance(p, Mapping)]
    if not also:
        return first
    text = first + "; lỗi khác: " + "; ".join(
        _problem_vi(p.get("code"), p.get("params", {}), str(p.get("message", ""))) for p in also)
    more = params.get("more")
    return text + (f"; … và {more} lỗi nữa" if more else "")


def error_body(e: QuycheError, lang: str = "vi") -> dict[str, dict[str, Any]]:
    """`{"error": {"code", "message", "place"}}` (contract section 8) for an HTTP answer or a program."""
    return {"error": {"code": e.code or _class_code(e), "message": error_text(e, lang), "place": e.place}}


def _class_code(e: QuycheError) -> str:
    # An error raised without a code still gets a stable one, from its class.
    for cls, code in ((YamlError, "not_yaml"), (UnknownRulebookError, "unknown_rulebook"),
                      (CalendarRangeError, "out_of_range"), (InputError, "bad_input")):
        if isinstance(e, cls):
            return code
    return "error"


def _problem_vi(code: Any, params: Mapping[str, Any], english: str) -> str:
    """`place: field: words` of one problem (`english`: its words alone, used when `code` has no entry)."""
    words = english
    template = _VI.get(str(code))
    if template is not None:
        try:
            values = {k: _GOT_VI.get(_value(v), _value(v)) for k, v in params.items()}
            if "want" in values:
                values["want"] = _WANT_VI.get(values["want"], values["want"])
            words = template.format_map(values)
        except (KeyError, IndexError, ValueError):
            pass  # an entry wanting a value this error lacks: its English words
    place = ": ".join(str(p) for p in (params.get("at"), params.get("field")) if p)
    return f"{place}: {words}" if place else words


def _value(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    return str(v)


def _one_line(text: str) -> str:
    """A message of several lines (a first problem, then "also: …") joined into one."""
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())
