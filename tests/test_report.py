"""Renderers: the Markdown report and the SVG chart, pure functions of a Result."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from assessment import Bank, assess, to_markdown, to_svg
from assessment.bank import parse_bank
from assessment.examples import SCENARIOS, scenario
from assessment.report import page_url

SVG = "{http://www.w3.org/2000/svg}"
PAYLOAD = '<img src=x onerror="alert(1)"> [link](javascript:alert(1)) </script>'


def test_markdown_report_explains_the_result(bank: Bank) -> None:
    """The report states the verdict, its reasons, every dimension and the weakest links."""
    result = assess(scenario("no_written_agreement").answers(bank))
    report = to_markdown(result, base_url="https://example.test/")
    assert "**Verdict: Repair" in report
    for reason in result.reasons:
        assert reason.split(",")[0].replace("(", "\\(")[:20] in report
    for dimension in bank.dimensions:
        assert dimension.title in report
    assert f"https://example.test/{page_url(result.weakest[0].playbook)}" in report


def test_page_url_follows_directory_urls() -> None:
    """Docs paths become the site's directory URLs, keeping the anchor."""
    assert page_url("stay/reset.md#reset") == "stay/reset/#reset"
    assert page_url("stay/index.md") == "stay/"
    assert page_url("index.md", "/base/") == "/base/"


def test_svg_chart_is_accessible_xml(bank: Bank) -> None:
    """The chart is well-formed SVG with a title and a description naming every score."""
    for item in SCENARIOS:
        result = assess(item.answers(bank))
        root = ET.fromstring(to_svg(result, id_prefix="c1"))
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        assert root.get("aria-labelledby") == "c1-title c1-desc"
        description = root.find(f"{SVG}desc")
        assert description is not None and description.text
        for dimension in result.dimensions:
            assert dimension.title in description.text
        bars = root.findall(f".//{SVG}rect[@class]")
        assert len(bars) == sum(1 for d in result.dimensions if d.score is not None)


def test_bank_text_with_html_is_inert(bank_data: Any) -> None:
    """Texts from an edited bank with HTML in them are escaped in the report and the chart."""
    bank_data["dimensions"][0]["title"] = PAYLOAD
    bank_data["questions"][0]["text"] = PAYLOAD
    bank_data["verdicts"][0]["summary"] = PAYLOAD
    edited = parse_bank(bank_data, "edited.toml")
    result = assess({q.id: 5 for q in edited.questions}, edited)
    svg = to_svg(result)
    ET.fromstring(svg)
    assert "<img" not in svg and "</script>" not in svg
    report = to_markdown(result)
    assert "<img" not in report and "</script>" not in report
    assert "](javascript:" not in report
