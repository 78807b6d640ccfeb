"""parse_feed on every file of feedparser's own test-suite (../shared/data/formats/feeds), and on
hand-made documents for the rules of our own.

Every file must be parsed or refused with a reason; nothing may raise anything else. For the
well-formed files whose `Expect:` line checks an entry's title or link, or the feed's title, our
plain-text fields must say the same."""

from __future__ import annotations

import ast
import gzip
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netweave.lib.required_parts import missing_part
from netweave.library.feeds import FeedRefused, ParsedFeed, parse_feed, plain_text

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(os.environ.get("NETWEAVE_SHARED_DATA", ROOT.parent / "shared" / "data"))
CORPUS = DATA / "formats" / "feeds" / "feedparser_tests"
# feedparser's harness served the files from here; relative links in them resolve against it.
HARNESS = "http://127.0.0.1:8097/tests/"

FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file()) if CORPUS.exists() else []
_HEADER = re.compile(r"^Header:\s*([\w-]+):\s*(.*?)\s*$", re.MULTILINE)
_EXPECT = re.compile(
    r"^Expect:\s*(?:not bozo and )?(?:entries\[(\d+)\]|(feed))\['(title|link)'\] == "
    r"(u?'[^'\\]*'|u?\"[^\"\\]*\")\s*$",
    re.MULTILINE,
)


def _relative(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def _headers(content: bytes) -> dict[str, str]:
    """The HTTP headers feedparser's harness sent with a file (its `Header:` lines)."""
    head = content[:3000].decode("latin-1")
    return {
        name: value
        for name, value in _HEADER.findall(head)
        if name.lower() in ("content-type", "content-location", "content-language")
    }


def _parse(path: Path) -> ParsedFeed:
    content = path.read_bytes()
    return parse_feed(content, headers=_headers(content), base_url=HARNESS + _relative(path))


def test_the_corpus_is_there():
    if not FILES:
        missing_part(f"shared data missing: {CORPUS} (the project expects ../shared beside it)")
    assert len(FILES) >= 2249


@pytest.mark.parametrize("path", FILES, ids=[_relative(p) for p in FILES])
def test_each_file_is_parsed_or_refused_with_a_reason(path: Path):
    try:
        parsed = _parse(path)
    except FeedRefused as refusal:
        assert len(refusal.reason) > 20 and refusal.reason.endswith((".", ")")), refusal.reason
        return
    for item in parsed.items:
        assert item.guid and len(item.guid) <= 500
        assert item.link == "" or item.link.startswith(("http://", "https://"))
        assert len(item.title) <= 300 and "\n" not in item.title
        assert item.published is None or item.published.tzinfo is not None
        assert "<script" not in item.summary.lower()


def _expectations() -> list[tuple[Path, str | None, str, str]]:
    """(file, entry index or None for the feed, "title" or "link", expected value)."""
    found = []
    for path in FILES:
        if not _relative(path).startswith("wellformed/"):
            continue
        match = _EXPECT.search(path.read_bytes()[:3000].decode("utf-8", errors="replace"))
        if match:
            index, _feed, key, literal = match.groups()
            found.append((path, index, key, ast.literal_eval(literal)))
    return found


EXPECTATIONS = _expectations()


def test_the_sample_of_expectations_is_large_enough():
    if not FILES:
        missing_part(f"shared data missing: {CORPUS}")
    assert len(EXPECTATIONS) >= 150


@pytest.mark.parametrize(
    ("path", "index", "key", "expected"),
    EXPECTATIONS,
    ids=[f"{_relative(p)}:{k}" for p, _i, k, _e in EXPECTATIONS],
)
def test_titles_and_links_agree_with_the_expect_line(path, index, key, expected):
    parsed = _parse(path)
    if index is None:
        got = parsed.title if key == "title" else parsed.site_url
    else:
        assert len(parsed.items) > int(index), "the entry was lost"
        got = getattr(parsed.items[int(index)], key)
    if key == "link":
        web = expected.startswith(("http://", "https://"))
        assert got == (expected if web else "")
    else:
        # Our titles are plain text: HTML titles lose their tags (and sanitized-away markup).
        assert got in {" ".join(expected.split()), plain_text(expected, one_line=True)}


# --- our own rules -------------------------------------------------------------------------------

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Field &amp; Practice Journal</title><link>https://journal.example.org/</link>
<language>en-GB</language>
<item>
  <title>Weaving &lt;b&gt;networks&lt;/b&gt;</title>
  <link>https://journal.example.org/articles/1</link>
  <guid isPermaLink="false">article-1</guid>
  <description>&lt;p&gt;First &lt;em&gt;paragraph&lt;/em&gt;.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;Second.&lt;/p&gt;</description>
  <author>ana@example.org (Ana Lima)</author>
  <pubDate>Tue, 03 Jun 2025 09:30:00 +0200</pubDate>
</item>
<item><title>No link, no guid</title><pubDate>Wed, 04 Jun 2025 10:00:00 GMT</pubDate></item>
<item><title>Relative</title><link>/articles/3</link></item>
<item><title>Mail</title><link>mailto:editor@example.org</link><guid isPermaLink="false">mail-1</guid></item>
<item><description></description></item>
</channel></rss>"""


class ParseFeedTests:
    def test_it_reads_the_fields_the_inbox_needs(self):
        parsed = parse_feed(RSS, base_url="https://journal.example.org/feed.xml")
        assert parsed.title == "Field & Practice Journal"
        assert parsed.site_url == "https://journal.example.org/"
        first = parsed.items[0]
        assert first.guid == "article-1"
        assert first.link == "https://journal.example.org/articles/1"
        assert first.title == "Weaving networks"
        assert first.summary == "First paragraph.\n\nSecond."
        assert first.author == "ana@example.org (Ana Lima)"
        assert first.language == "en-gb"
        assert first.published == datetime(2025, 6, 3, 7, 30, tzinfo=UTC)

    def test_an_entry_without_id_or_link_gets_a_stable_id_from_title_and_date(self):
        once = parse_feed(RSS).items[1]
        again = parse_feed(RSS).items[1]
        assert once.guid.startswith("sha1:") and once.guid == again.guid and once.link == ""

    def test_relative_links_resolve_and_other_schemes_are_dropped(self):
        items = parse_feed(RSS, base_url="https://journal.example.org/feed.xml").items
        assert items[2].link == "https://journal.example.org/articles/3"
        assert items[3].link == "" and items[3].guid == "mail-1"

    def test_an_entry_with_nothing_to_tell_it_apart_is_skipped(self):
        parsed = parse_feed(RSS)
        assert len(parsed.items) == 4 and parsed.skipped == 1

    def test_a_gzip_file_is_opened(self):
        assert parse_feed(gzip.compress(RSS)).title == "Field & Practice Journal"

    @pytest.mark.parametrize("content", [b"", b"   \n", b"\xef\xbb\xbf"])
    def test_an_empty_document_is_refused(self, content):
        with pytest.raises(FeedRefused, match=r"empty|not XML|well-formed"):
            parse_feed(content)

    def test_a_web_page_is_refused_and_names_the_feed_it_links_to(self):
        page = (
            b"<!DOCTYPE html><html><head><title>Journal</title>"
            b'<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
            b"</head><body><p>Welcome</p></body></html>"
        )
        with pytest.raises(FeedRefused, match="web page, not a feed") as refused:
            parse_feed(page, base_url="https://journal.example.org/")
        assert refused.value.alternatives == ["https://journal.example.org/rss.xml"]
        assert "https://journal.example.org/rss.xml" in refused.value.reason

    def test_bytes_that_look_like_a_file_name_are_not_opened(self):
        with pytest.raises(FeedRefused, match="not XML"):
            parse_feed(b"/etc/passwd")

    def test_broken_xml_without_entries_is_refused_with_the_line(self):
        with pytest.raises(FeedRefused, match=r"not well-formed XML at line \d+: mismatched tag"):
            parse_feed(b"<rss version='2.0'>\n<channel><title>x</title></rss>")

    def test_a_flawed_feed_with_entries_is_taken_with_a_warning(self):
        flawed = RSS.replace(b"<title>Relative</title>", b"<title>Caf&eacute;</title>")
        parsed = parse_feed(flawed)
        assert parsed.warning and "Café" in [item.title for item in parsed.items]

    def test_xml_that_is_not_a_feed_is_refused(self):
        with pytest.raises(FeedRefused, match="not a feed"):
            parse_feed(b"<?xml version='1.0'?><note><to>Tove</to></note>")

    def test_the_http_charset_decides_over_a_missing_declaration(self):
        latin = "<rss version='2.0'><channel><title>Caf\xe9</title></channel></rss>"
        parsed = parse_feed(
            latin.encode("latin-1"), headers={"Content-Type": "text/xml; charset=iso-8859-1"}
        )
        assert parsed.title == "Café"

    def test_text_that_is_not_bytes_is_refused_not_crashed_on(self):
        with pytest.raises(FeedRefused):
            parse_feed("<rss/>")  # type: ignore[arg-type]


class PlainTextTests:
    def test_it_keeps_paragraphs_and_drops_scripts_and_tags(self):
        html = "<p>One <b>two</b></p><script>x()</script><ul><li>a</li><li>b</li></ul>"
        assert plain_text(html) == "One two\n\na\n\nb"

    def test_one_line_collapses_everything(self):
        assert plain_text("<h1>A</h1>\n<p>B &amp; C</p>", one_line=True) == "A B & C"


class ControlCharacterTests:
    def test_nul_and_control_characters_never_reach_the_database(self):
        # Only the loose parser gets here (XML forbids them): PostgreSQL refuses NUL in text.
        doc = (
            b"<rss version='2.0'><channel><title>A\x00B</title><item><guid>g\x00</guid>"
            b"<title>T\x01i\x00tle</title><link>https://x.example.org/\x00a</link>"
            b"<description>S\x00um</description></item></channel></rss>"
        )
        try:
            parsed = parse_feed(doc)
        except FeedRefused:
            return
        for item in parsed.items:
            for value in (item.guid, item.title, item.link, item.summary):
                assert "\x00" not in value and "\x01" not in value
        assert "\x00" not in parsed.title
