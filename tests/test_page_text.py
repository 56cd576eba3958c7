"""User text on pages is shown as written, never rendered as Markdown (issue 9, item 5 probes)."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
MARKDOWN_NAME = "cases_[点我](http://evil.example)**粗**.csv"
CASES = "案件编号,案件类型,收案日期,状态\nXZSS-2022-901,行政诉讼,2022-05-01,在办\n".encode()


def rendered_markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error])


def test_markdown_in_an_uploaded_file_name_is_shown_as_text(live):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    at.switch_page("pages/data_import.py").run()
    at.file_uploader[0].set_value([(MARKDOWN_NAME, CASES, "text/csv")]).run()
    assert not at.exception
    shown = rendered_markdown(at)
    assert r"cases\_\[点我\]\(http\:\/\/evil\.example\)\*\*粗\*\*\.csv" in shown
    assert "](http://evil.example)" not in shown


def test_an_unknown_community_in_a_link_is_named_as_text(live):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["community"] = "[x](http://evil.example)"
    at.run()
    assert not at.exception
    shown = rendered_markdown(at)
    assert r"\[x\]\(http\:\/\/evil\.example\)" in shown and "](http://evil.example)" not in shown
