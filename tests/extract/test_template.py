"""Site templates: learning from counts, stripping whole blocks only, within the safety bound."""

from __future__ import annotations

from scraper.extract import SiteTemplate, Trace, extract, extract_for_site
from scraper.extract.template import (
    MIN_PAGES,
    block_prints,
    fingerprint,
    learn_template,
)

APPEAL = "A gift of any size keeps our reporters out in the valley, today and tomorrow."
BODY = [
    f"Paragraph {k} of the story, long enough to be prose: the council met again, argued, "
    f"and voted {k} to {k + 1} on the bridge after an hour of questions from residents."
    for k in range(4)
]
QUOTING = f"The flyer said: {APPEAL} Nobody in the hall believed it, and the mayor laughed."


def _page(*paragraphs: str) -> str:
    inner = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>T</title></head><body><article>{inner}</article></body></html>"


def _template(*texts: str) -> SiteTemplate:
    return SiteTemplate(frozenset(fingerprint(t) for t in texts))


def test_fingerprints_ignore_case_punctuation_and_spacing() -> None:
    assert fingerprint("Support us!") == fingerprint("  support   US ")
    assert fingerprint("Support us") != fingerprint("Support us today")


def test_a_block_is_learned_on_min_pages_and_min_share_of_the_site() -> None:
    assert learn_template({"a": MIN_PAGES}, pages=10).fingerprints == {"a"}
    assert not learn_template({"a": MIN_PAGES - 1}, pages=MIN_PAGES)
    assert not learn_template({"a": 5}, pages=100)  # 5% of the site: a topic, not the template


def test_a_page_counts_each_block_once() -> None:
    page = extract_for_site(_page(*BODY, APPEAL, APPEAL.upper()))
    assert [p.fingerprint for p in page.prints].count(fingerprint(APPEAL)) == 1


def test_template_blocks_are_stripped_and_the_rest_kept_in_order() -> None:
    article = extract(_page(BODY[0], APPEAL, *BODY[1:]), template=_template(APPEAL))
    assert article.text == "\n\n".join(BODY)


def test_a_paragraph_quoting_a_template_block_survives() -> None:
    article = extract(_page(*BODY, QUOTING, APPEAL), template=_template(APPEAL))
    assert article.text == "\n\n".join([*BODY, QUOTING])


def test_nothing_is_stripped_when_it_would_remove_most_of_the_text() -> None:
    html = _page(BODY[0], APPEAL, BODY[1], BODY[2])
    assert extract(html, template=_template(APPEAL, BODY[0], BODY[1])).text == extract(html).text


def test_no_template_and_an_empty_template_change_nothing() -> None:
    html = _page(*BODY, APPEAL)
    plain = extract(html)
    assert extract(html, template=None) == plain
    assert extract(html, template=SiteTemplate()) == plain
    assert extract_for_site(html).article == plain


def test_the_same_template_gives_the_same_output() -> None:
    html = _page(BODY[0], APPEAL, *BODY[1:], QUOTING)
    runs = {extract(html, template=_template(APPEAL)).content_hash for _ in range(3)}
    assert len(runs) == 1


def test_prints_are_the_blocks_before_the_template() -> None:
    page = extract_for_site(_page(*BODY, APPEAL), template=_template(APPEAL))
    assert fingerprint(APPEAL) in {p.fingerprint for p in page.prints}
    assert APPEAL not in page.article.text


def test_the_trace_names_the_site_template_as_the_reason() -> None:
    trace = Trace()
    extract(_page(*BODY, APPEAL), template=_template(APPEAL), trace=trace)
    (used,) = [p for p in trace.passes if p.used]
    reasons = {r.text: r.reason for r in used.records()}
    assert reasons[APPEAL] == "site-template"
    assert all(reasons[text] == "" for text in BODY)


def test_block_prints_skip_blocks_without_words() -> None:
    page = extract_for_site(_page(*BODY, "* * *"))
    assert len(page.prints) == len(block_prints([])) + len(BODY)
