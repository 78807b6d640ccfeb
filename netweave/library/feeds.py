"""Reading an RSS, Atom, RDF or CDF document into the few fields the curation inbox needs.

feedparser does the reading (every dialect, broken encodings, relative links, and HTML that it
sanitizes); this module decides what is a feed and what is not, and turns each entry into plain
text fields. `parse_feed` returns a `ParsedFeed` or raises `FeedRefused` with a reason a
coordinator can act on. It never raises anything else, whatever the bytes.

"Bozo" documents (feedparser's word for ones that break a rule: undefined entities, a wrong
encoding declaration, XML that is not well-formed) are accepted when entries could still be read
from them, with the problem kept in `ParsedFeed.warning`; a bozo document with no entries is
refused with the problem as the reason.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

__all__ = [
    "FeedRefused",
    "ParsedFeed",
    "ParsedItem",
    "parse_feed",
    "plain_text",
]

TITLE_MAX = 300
GUID_MAX = 500
LINK_MAX = 1000
AUTHOR_MAX = 300
LANGUAGE_MAX = 12
SUMMARY_MAX = 5000
# A compressed document is opened up to this size (a feed is a few hundred kilobytes at most).
DECOMPRESSED_MAX = 20 * 1000 * 1000

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")
_BLOCKS = {
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre",
    "section", "table", "tr", "ul",
}  # fmt: skip
_SKIP = {"script", "style", "head", "title", "noscript", "template"}


class FeedRefused(Exception):
    """The bytes are not a feed we can take; `reason` says why in plain words."""

    def __init__(self, reason: str, *, alternatives: list[str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        # Feed addresses an HTML page names in its <link rel="alternate"> (feed discovery).
        self.alternatives = alternatives or []


@dataclass(frozen=True)
class ParsedItem:
    guid: str
    link: str
    title: str
    summary: str
    author: str
    language: str
    published: datetime | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    site_url: str
    items: list[ParsedItem]
    language: str = ""
    format: str = ""  # feedparser's version: "rss20", "atom10", ... ("" for CDF)
    warning: str = ""  # why feedparser found the document flawed, when it still had entries
    skipped: int = 0  # entries with nothing to tell them apart (no id, link, title or date)


# --- plain text ----------------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def plain_text(html: str, *, one_line: bool = False) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, paragraphs kept as blank
    lines (or everything on `one_line`), runs of spaces collapsed."""
    if not html:
        return ""
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except Exception:  # HTMLParser is lenient; this is a last resort for pathological input
        return _squeeze(re.sub(r"<[^>]*>", " ", html), one_line)
    return _squeeze("".join(extractor.parts), one_line)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_controls(text: str) -> str:
    """Without NUL and other control characters (PostgreSQL refuses NUL in text)."""
    return _CONTROL.sub("", text)


def _squeeze(text: str, one_line: bool) -> str:
    text = _no_controls(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    if one_line:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def _text_of(value: Any, detail: Any, *, one_line: bool) -> str:
    """A feedparser text construct as plain text: HTML types are stripped, text types kept."""
    if not isinstance(value, str):
        return ""
    kind = ""
    if isinstance(detail, Mapping):
        kind = str(detail.get("type") or "")
    if kind in _HTML_TYPES or (not kind and "<" in value):
        return plain_text(value, one_line=one_line)
    return _squeeze(value, one_line)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


# --- links, dates, languages ---------------------------------------------------------------------


def _web_link(value: Any, base: str = "") -> str:
    """`value` as an absolute http(s) address, or "" (mailto:, javascript:, data:... are not
    resources; neither is an address with spaces or without a host)."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if not value or any(c.isspace() or ord(c) < 32 for c in value) or len(value) > LINK_MAX:
        return ""
    if base and not urlsplit(value).scheme:
        value = urljoin(base, value)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return value if len(value) <= LINK_MAX else ""


def _entry_link(entry: Mapping[str, Any], base: str) -> str:
    link = _web_link(entry.get("link"), base)
    if link:
        return link
    links = entry.get("links") or []
    # An alternate link first, then any other that is not an enclosure or a self link.
    ranked = sorted(
        (item for item in links if isinstance(item, Mapping)),
        key=lambda item: 0 if item.get("rel", "alternate") == "alternate" else 1,
    )
    for item in ranked:
        if item.get("rel") in ("enclosure", "self", "edit", "replies", "license"):
            continue
        link = _web_link(item.get("href"), base)
        if link:
            return link
    # RSS 2.0: a guid that is a permalink is the item's address.
    if entry.get("guidislink"):
        return _web_link(entry.get("id"), base)
    return ""


def _when(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value is None:
            continue
        try:
            year, month, day, hour, minute, second = tuple(value)[:6]
            return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
        except (TypeError, ValueError, OverflowError):
            continue
    return None


def _language(*candidates: Any) -> str:
    for value in candidates:
        if not isinstance(value, str):
            continue
        code = value.strip().lower().replace("_", "-")
        if len(code) <= LANGUAGE_MAX and _LANGUAGE.match(code):
            return code
    return ""


def _detail_language(detail: Any) -> Any:
    return detail.get("language") if isinstance(detail, Mapping) else None


# --- sniffing ------------------------------------------------------------------------------------


def _decompressed(content: bytes) -> bytes:
    """Gzip and zlib bodies that nobody decoded (a saved .gz file, a server that compresses
    without saying so). Anything that does not decompress cleanly is returned as it is."""
    try:
        if content[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
                data = stream.read(DECOMPRESSED_MAX + 1)
        elif len(content) > 1 and content[0] == 0x78 and content[1] in (0x01, 0x5E, 0x9C, 0xDA):
            decompressor = zlib.decompressobj()
            data = decompressor.decompress(content, DECOMPRESSED_MAX + 1)
        else:
            return content
    except (OSError, EOFError, zlib.error):
        raise FeedRefused(
            "The document is compressed (gzip or deflate) but damaged: it could not be opened."
        ) from None
    if len(data) > DECOMPRESSED_MAX:
        raise FeedRefused("The document is compressed and opens to more than 20 MB.")
    return data


_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
    re.IGNORECASE | re.DOTALL,
)


class _AlternateFinder(HTMLParser):
    """The feeds an HTML page names: <link rel="alternate" type="application/rss+xml" href>."""

    FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                  "application/feed+json"}  # fmt: skip

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {key.lower(): (value or "") for key, value in attrs}
        rels = values.get("rel", "").lower().split()
        if "alternate" in rels and values.get("type", "").lower() in self.FEED_TYPES:
            link = _web_link(values.get("href"), self.base)
            if link and link not in self.found:
                self.found.append(link)


def _page_alternatives(content: bytes, base: str) -> list[str]:
    finder = _AlternateFinder(base)
    try:
        finder.feed(content[:500_000].decode("utf-8", errors="replace"))
        finder.close()
    except Exception:
        return []
    return finder.found[:5]


def _html_refusal(content: bytes, base: str) -> FeedRefused:
    alternatives = _page_alternatives(content, base)
    if alternatives:
        reason = (
            "This address is a web page, not a feed. The page names a feed at "
            f"{alternatives[0]}: follow that address instead."
        )
    else:
        reason = (
            "This address is a web page, not a feed. Look on the site for an RSS or Atom link "
            "(often an orange icon, or “RSS”, “Atom” or “Subscribe” in the footer) and use "
            "its address."
        )
    return FeedRefused(reason, alternatives=alternatives)


def _bozo_words(error: Any) -> str:
    """feedparser's bozo exception in words for people."""
    name = type(error).__name__
    text = str(error).strip() or name
    if name == "CharacterEncodingOverride":
        return f"The feed declares one character encoding but uses another ({text})."
    if name in ("CharacterEncodingUnknown", "UnicodeDecodeError"):
        return f"The feed's characters could not be decoded ({text})."
    if name == "NonXMLContentType":
        return f"The server did not say the document is XML ({text})."
    if name == "SAXParseException":
        line = getattr(error, "getLineNumber", lambda: None)()
        where = f" at line {line}" if line else ""
        text = re.sub(r"^<unknown>:\d+:\d+:\s*", "", text)
        return f"The feed is not well-formed XML{where}: {text}."
    return f"The feed has an error ({name}: {text})."


# --- the parser ----------------------------------------------------------------------------------


def _guid(entry: Mapping[str, Any], link: str, title: str, published: datetime | None) -> str:
    raw = entry.get("id")
    guid = _no_controls(raw).strip() if isinstance(raw, str) else ""
    if not guid:
        guid = link
    if not guid:
        # The raw title: one made only of markup (an image) is empty as plain text.
        raw_title = entry.get("title")
        title = title or (raw_title.strip() if isinstance(raw_title, str) else "")
        raw_summary = entry.get("summary")
        summary = raw_summary if isinstance(raw_summary, str) else ""
        if not (title or published or summary.strip()):
            return ""
        stamp = published.isoformat() if published else ""
        key = f"{title}\n{stamp}\n{'' if (title or stamp) else summary}"
        guid = "sha1:" + hashlib.sha1(key.encode("utf-8")).hexdigest()  # noqa: S324 - an id
    if len(guid) > GUID_MAX:
        guid = "sha256:" + hashlib.sha256(guid.encode("utf-8")).hexdigest()
    return guid


def _item(entry: Mapping[str, Any], base: str, feed_language: str) -> ParsedItem | None:
    link = _entry_link(entry, base)
    title = _cut(_text_of(entry.get("title"), entry.get("title_detail"), one_line=True), TITLE_MAX)
    summary_value = entry.get("summary")
    summary_detail = entry.get("summary_detail")
    if not summary_value:
        contents = entry.get("content") or []
        if contents and isinstance(contents[0], Mapping):
            summary_value, summary_detail = contents[0].get("value"), contents[0]
    summary = _cut(_text_of(summary_value, summary_detail, one_line=False), SUMMARY_MAX)
    author = _cut(_text_of(entry.get("author"), None, one_line=True), AUTHOR_MAX)
    published = _when(entry)
    guid = _guid(entry, link, title, published)
    if not guid:
        return None
    language = _language(
        _detail_language(entry.get("title_detail")),
        _detail_language(summary_detail),
        feed_language,
    )
    return ParsedItem(
        guid=guid,
        link=link,
        title=title,
        summary=summary,
        author=author,
        language=language,
        published=published,
    )


def parse_feed(
    content: bytes, *, headers: Mapping[str, str] | None = None, base_url: str = ""
) -> ParsedFeed:
    """Parse the bytes of a feed; `headers` are the HTTP answer's (their Content-Type names the
    character set), `base_url` the address it came from (relative links resolve against it).

    Raises FeedRefused (with a reason for people) for anything that is not a feed: an empty
    document, an HTML page, a document feedparser cannot read entries from.
    """
    try:
        return _parse(content, headers=headers, base_url=base_url)
    except FeedRefused:
        raise
    except (MemoryError, RecursionError) as error:
        raise FeedRefused(
            f"The document is too large or too deeply nested to read ({error})."
        ) from None
    except Exception as error:  # never crash on a stranger's bytes
        raise FeedRefused(
            f"The document could not be read as a feed ({type(error).__name__}: {error})."
        ) from error


def _parse(content: bytes, *, headers: Mapping[str, str] | None, base_url: str) -> ParsedFeed:
    import feedparser

    if not isinstance(content, bytes | bytearray):
        raise TypeError("parse_feed takes bytes")
    content = bytes(content)
    if not content.strip():
        raise FeedRefused("The address answered with an empty document.")
    content = _decompressed(content)
    if not content.strip():
        raise FeedRefused("The address answered with an empty document.")

    # Only what says how to read the bytes: the body is already decoded (a Content-Encoding
    # header would make feedparser try to decompress it a second time).
    response_headers: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if name.lower() in ("content-type", "content-location", "content-language"):
            response_headers[name.lower()] = value
    # Without a Content-Type feedparser flags every document as "not XML": a saved file or a
    # server that sends none is read by its own XML declaration.
    response_headers.setdefault("content-type", "application/xml")
    if base_url and "content-location" not in response_headers:
        response_headers["content-location"] = base_url
    base = _web_link(response_headers.get("content-location", "")) or base_url

    looks_like_html = bool(_HTML_START.match(content[:2048]))
    # A stream, never bytes or a str: given those, feedparser would try them as a file name or
    # an address to open.
    result = feedparser.parse(
        io.BytesIO(content),
        response_headers=response_headers,
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    entries = [e for e in (result.get("entries") or []) if isinstance(e, Mapping)]
    feed = result.get("feed") or {}
    version = str(result.get("version") or "")
    bozo = bool(result.get("bozo"))
    error = result.get("bozo_exception")

    if looks_like_html and not version:
        raise _html_refusal(content, base)
    # These two still let feedparser read the whole document; the others mean it gave up.
    harmless = type(error).__name__ in ("CharacterEncodingOverride", "NonXMLContentType")
    if bozo and not entries and not (harmless and version):
        if not version and b"<" not in content[:1024]:
            raise FeedRefused(
                "This is not a feed: the document is not XML (an RSS or Atom feed starts with "
                "“<?xml” or “<rss” or “<feed”)."
            )
        raise FeedRefused(_bozo_words(error) + " No entries could be read from it.")
    if not version and not entries and not feed:
        raise FeedRefused(
            "This is not a feed: the document is XML, but not RSS, Atom or RDF (no channel, "
            "feed or item elements were found)."
        )

    feed_language = _language(feed.get("language"), response_headers.get("content-language"))
    site_url = _web_link(feed.get("link"), base)
    items: list[ParsedItem] = []
    skipped = 0
    for entry in entries:
        try:
            item = _item(entry, base or site_url, feed_language)
        except Exception:  # one strange entry must not cost the others
            item = None
        if item is None:
            skipped += 1
        else:
            items.append(item)
    return ParsedFeed(
        title=_cut(_text_of(feed.get("title"), feed.get("title_detail"), one_line=True), TITLE_MAX),
        site_url=site_url,
        items=items,
        language=feed_language,
        format=version,
        warning=_bozo_words(error) if bozo else "",
        skipped=skipped,
    )
