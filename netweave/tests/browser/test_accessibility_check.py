"""The accessibility check that the other browser tests rely on finds what it claims to find."""

from __future__ import annotations

from netweave.tests.browser.accessibility import accessibility_problems

GOOD = """<!doctype html><html lang="en"><head><title>Good</title></head><body>
<main><h1>Directory</h1>
<form><label for="q">Search</label><input id="q" name="q">
<label>Country <select name="country"><option>Any</option></select></label>
<textarea name="note" aria-label="Note"></textarea>
<input type="hidden" name="csrf"><button type="submit">Search</button></form>
<a href="/n/x/"><img src="/logo.png" alt="Network X"></a></main></body></html>"""

BAD = """<!doctype html><html><head><title>Bad</title></head><body>
<div><h2>No main, no h1</h2>
<form><input id="q" name="q" placeholder="Search"><select id="q" name="country"></select>
<button type="submit"></button></form>
<a href="/somewhere"></a><img src="/chart.png"></div></body></html>"""


class AccessibilityCheckTests:
    def test_it_finds_nothing_wrong_with_a_well_made_page(self, page):
        page.set_content(GOOD)
        assert accessibility_problems(page) == []

    def test_it_reports_each_kind_of_problem_on_a_badly_made_page(self, page):
        page.set_content(BAD)
        problems = "\n".join(accessibility_problems(page))
        for expected in [
            "<html> has no lang attribute",
            "0 main landmarks",
            "no visible <h1>",
            'form field without a label: input#q[name="q"]',
            'form field without a label: select#q[name="country"]',
            "button without a name",
            'link without text: a[href="/somewhere"]',
            "image without alt: /chart.png",
            'id "q" is used 2 times',
        ]:
            assert expected in problems, f"{expected!r} not reported in:\n{problems}"
