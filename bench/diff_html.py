# ruff: noqa: E402  (sys.path must be mended before the imports)
"""HTML diff benchmark (not a test): `python bench/diff_html.py` from the repository root.

Synthetic rulebooks of 1,000 and 2,000 rules, every one citing the same article and quoting its own
sentence of it, diffed against the bundled Cần Thơ rulebook as `quyche diff A can_tho --format html`
does (through the CLI's functions, in process). Prints both times and their ratio: about 2 for work
linear in the rules (red team D12: 13.2 s and 44.7 s, a ratio of 3.4, when each quote re-normalised
the whole article and each cut looked at every span).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would shadow the standard library's `calendar`.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import tempfile
import time

import yaml

from quyche import load_rulebook
from quyche.diff import diff
from quyche.loader import resolve
from quyche.render.diff_html import render_html
from quyche.sources import find_source


def synthetic(folder: Path, n: int) -> Path:
    """A rulebook of n rules citing Điều 1 of its regulation, each quoting sentence i; and its source."""
    sentences = [f"Cơ quan thứ {i} thông báo cho Sở trước {i % 7 + 1} ngày làm việc." for i in range(n)]
    source = ("QUYẾT ĐỊNH\n\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế thử.\n\nQUY CHẾ\n\n"
              "Điều 1. Thông báo tổ chức họp\n\n" + "\n".join(sentences) + "\n")
    (folder / "synthetic.txt").write_text(source, encoding="utf-8")
    book = {
        "id": "synthetic",
        "metadata": {
            "title": "Quy chế thử", "decision_number": None, "issuer": "UBND tỉnh Thử", "signed": None,
            "status": "draft", "effective": None, "effective_note": {"vi": "Dự thảo.", "en": "A draft."},
            "source": "synthetic.txt",
            "jurisdiction": "Tỉnh Thử", "jurisdiction_level": "province",
        },
        "rules": [
            {"id": f"synthetic.d1.r{i}", "topic": "notice", "citation": {"article": 1}, "quote": s,
             "summary": {"vi": f"Thông báo {i}.", "en": f"Notice {i}."}, "binds": ["host"],
             "recipients": ["system_manager"],
             "period": {"amount": i % 7 + 1, "unit": "working_days", "relation": "before", "anchor": "meeting_start"}}
            for i, s in enumerate(sentences)
        ],
    }
    path = folder / f"synthetic_{n}.yaml"
    path.write_text(yaml.safe_dump(book, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def html_diff_seconds(path: Path) -> tuple[float, int]:
    """Seconds for load + diff + sources + page, as `quyche diff PATH can_tho --format html`; page length."""
    t0 = time.perf_counter()
    books = [load_rulebook(path), load_rulebook("can_tho")]
    d = diff(books[0], books[1])
    sources = [find_source(resolve(r), b.metadata.source) for r, b in zip((str(path), "can_tho"), books, strict=True)]
    page = render_html(d.matrix(), books, sources)
    return time.perf_counter() - t0, len(page)


def main() -> None:
    load_rulebook("can_tho")  # the bundled rulebook's parse is cached: keep it out of the first timing
    with tempfile.TemporaryDirectory() as tmp:
        times = {}
        for n in (1_000, 2_000):
            seconds, size = html_diff_seconds(synthetic(Path(tmp), n))
            times[n] = seconds
            print(f"{n:>5} rules citing one article: {seconds:6.2f} s, page {size / 1e6:.1f} MB")
    print(f"ratio 2,000 / 1,000: {times[2_000] / times[1_000]:.2f} (linear ≈ 2; was 3.4)")


if __name__ == "__main__":
    main()
