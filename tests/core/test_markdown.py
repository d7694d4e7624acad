"""Markdown rendering is safe: payloads that run script in a browser come out inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.core.markdown import mentions, render

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '[x](https://ok.example "a" onmouseover="alert(1)")',
    "<details open ontoggle=alert(1)>",
    "[x](vbscript:msgbox(1))",
]


class Tags(HTMLParser):
    """The tags and attributes a browser would build from some HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def inert(html: str) -> bool:
    """No script-capable tag, no event handler, no link with a scheme but http(s) or mailto."""
    for tag, attrs in Tags(html).found:
        if tag in {"script", "img", "svg", "iframe", "style", "object", "embed", "details"}:
            return False
        if any(name.startswith("on") or name in {"style", "src"} for name in attrs):
            return False
        href = (attrs.get("href") or "").strip().lower()
        scheme = href.split(":", 1)[0] if ":" in href.split("/", 1)[0] else ""
        # A relative link (no scheme) can only navigate within the site: harmless.
        if scheme and scheme not in {"http", "https", "mailto"}:
            return False
    return True


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_rendered_inert(payload: str) -> None:
    html = render(payload)
    assert inert(html), html


def test_the_inertness_check_catches_live_html() -> None:
    assert not inert('<img src=x onerror="alert(1)">')
    assert not inert('<a href="javascript:alert(1)">x</a>')
    assert not inert('<a href="data:text/html,x">x</a>')


def test_plain_markdown_renders() -> None:
    html = render("**bold** _it_ `code`\n\n- one\n- two\n\n> quoted")
    assert "<strong>bold</strong>" in html
    assert "<em>it</em>" in html
    assert "<code>code</code>" in html
    assert "<li>one</li>" in html
    assert "<blockquote>" in html


def test_safe_links_keep_their_address_and_get_rel() -> None:
    html = render("[docs](https://example.com/a?b=1)")
    assert 'href="https://example.com/a?b=1"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_images_become_links() -> None:
    html = render("![diagram](https://example.com/d.png)")
    assert "<img" not in html
    assert '<a href="https://example.com/d.png"' in html
    assert ">diagram</a>" in html


def test_known_mentions_are_highlighted_and_unknown_ones_stay_text() -> None:
    html = render("hi @Maya and @nobody", known_mentions=["maya"])
    assert '<span class="mention">@Maya</span>' in html
    assert "@nobody" in html
    assert 'mention">@nobody' not in html


def test_a_mention_class_cannot_be_forged() -> None:
    html = render('<span class="mention">@ceo</span>')
    assert '<span class="mention">' not in html


def test_mentions_are_found_outside_code_in_order_without_repeats() -> None:
    text = "@tom and @maya, again @tom. `@code` a@b.com\n\n```\n@fenced\n```\n@lena."
    assert mentions(text) == ["tom", "maya", "lena"]


def test_an_email_address_is_not_a_mention() -> None:
    assert mentions("write to ops@acme.example") == []


FRAGMENTS = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:",
    "data:text/html,",
    "[a](",
    "](",
    ")",
    "![",
    "<a href=",
    '"',
    "'",
    " onmouseover=",
    "`",
    "@",
    "&#106;",
    "\n\n",
    "<",
    ">",
    "**",
    "<svg/onload=alert(1)>",
]


@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=12))
@settings(max_examples=300, deadline=None)
def test_any_mix_of_dangerous_fragments_renders_inert(parts: list[str]) -> None:
    assert inert(render("".join(parts), known_mentions=["maya"]))
