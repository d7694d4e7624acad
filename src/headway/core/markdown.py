"""Markdown that people type, rendered to HTML that is safe to show to everyone else.

Two layers, so that a mistake in one is caught by the other: markdown-it renders CommonMark with
raw HTML switched off (a `<script>` typed into a comment comes out as text), and nh3 then keeps
only an allow-list of tags and attributes and only http(s) and mailto links — no event handlers,
no `javascript:` or `data:` URLs, no images (they would load from anywhere). `@name` mentions are
recognised outside code spans and blocks; the caller decides which names are real.

No Django here: any app (comments, descriptions, release notes) can call `render`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from html import escape
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

#: Usernames as Django allows them, minus "@" (which would be ambiguous after a mention).
MENTION = re.compile(r"@([A-Za-z0-9_.+-]*[A-Za-z0-9_+-])")

TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
CLASSES = {"span": {"mention"}}


def _mention_rule(state: StateInline, silent: bool) -> bool:
    """`@name` at a word start becomes a `mention` token (never inside code: that is a token)."""
    pos = state.pos
    if state.src[pos] != "@":
        return False
    if pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in "_.+-@/"):
        return False  # an email address or a path, not a mention
    match = MENTION.match(state.src, pos)
    if match is None:
        return False
    if not silent:
        token = state.push("mention", "", 0)
        token.meta = {"name": match.group(1)}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _render_mention(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    token = tokens[idx]
    name = token.meta["name"]
    env.setdefault("mentions", []).append(name)
    known = env.get("known")
    if known is not None and name.lower() in known:
        return f'<span class="mention">@{escape(name)}</span>'
    return escape(token.content)


def _render_image(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    # Images would load from any server the author names (a tracking pixel at best): show the
    # alt text as a link instead; nh3 drops the link itself if its scheme is not allowed.
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    src = escape(str(token.attrGet("src") or ""))
    return f'<a href="{src}">{escape(alt)}</a>'


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.inline.ruler.before("emphasis", "mention", _mention_rule)
    md.add_render_rule("mention", _render_mention)
    md.add_render_rule("image", _render_image)
    return md


_MD = _parser()


def sanitize(html: str) -> str:
    """Keep only the allow-listed tags, attributes, classes and URL schemes."""
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        allowed_classes=CLASSES,
        link_rel="nofollow noopener noreferrer",
    )


def mentions(text: str) -> list[str]:
    """The `@names` in `text` outside code, in order of first appearance, without repeats."""
    env: dict[str, Any] = {}
    _MD.render(text, env)
    seen: dict[str, None] = {}
    for name in env.get("mentions", []):
        seen.setdefault(name, None)
    return list(seen)


def render(text: str, known_mentions: Collection[str] = ()) -> str:
    """Safe HTML for Markdown `text`; `@name` is highlighted when `name` is in `known_mentions`.

    Names compare case-insensitively; unknown `@names` stay plain text.
    """
    env: dict[str, Any] = {"known": {name.lower() for name in known_mentions}}
    return sanitize(_MD.render(text, env))
