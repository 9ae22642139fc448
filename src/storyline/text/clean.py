"""Boilerplate removal over the lines of an article, English and Chinese.

Web pages copied or extracted to text keep the furniture around the story:
share buttons, cookie banners, photo credits and captions, "Read more" link
blocks, bylines, copyright lines, stock-ticker widgets. Each kind is a named
``Rule`` (a regex with a reason) so that adding one is a one-line change and
every removal can be explained (``clean_with_reasons``).

Precision comes first: a rule only ever looks at a whole line, and most rules
refuse lines longer than their ``max_len`` so that a real paragraph that
merely mentions a photo, a cookie law or Getty Images is never dropped.

Input is a list of lines where ``""`` marks a blank line; blank lines matter
because a caption sits *directly* above its credit, while a title separated
from a label by a blank line is not a caption.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "RULES",
    "Removal",
    "Rule",
    "clean",
    "clean_with_reasons",
    "is_boilerplate",
    "get_rule",
    "normalize_line",
]


@dataclass(frozen=True, slots=True)
class Rule:
    """A line that matches ``pattern`` (``search``) and is at most ``max_len`` long is dropped.

    ``credit`` marks rules whose lines are photo credits or image labels: the
    line directly above such a line is a caption and goes too.
    """

    name: str
    pattern: re.Pattern[str]
    reason: str
    max_len: int = 120
    credit: bool = False


@dataclass(frozen=True, slots=True)
class Removal:
    index: int
    line: str
    rule: str
    reason: str


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_AGENCY = r"(?:AFP|AP|Reuters|REUTERS|EPA(?:-EFE)?|Xinhua|Bloomberg|Anadolu|Getty Images|Shutterstock|Kyodo|Yonhap|Pool)"

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"

RULES: tuple[Rule, ...] = (
    # -- sharing, following, subscribing -------------------------------------------------
    Rule(
        "share",
        _rx(
            r"^(?:share|share (?:this|the) (?:article|story|page|post)|share on \w+|tweet|"
            r"email|print|copy link(?: to clipboard)?|save|bookmark|gift (?:this )?article|"
            r"分享(?:到|至)?\S{0,10}|转发|收藏|点赞)$"
        ),
        "share / save button",
        40,
    ),
    Rule(
        "social-list",
        _rx(r"^(?:(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|email|weibo|微博|微信)\W*){2,}$"),
        "row of social-network buttons",
    ),
    Rule("add-us-google", _rx(r"^(?:add us on\s*)+google(?: news)?$"), "'Add us on Google' button"),
    Rule(
        "follow-us",
        _rx(r"^(?:follow us|follow @\w+|关注我们|点击关注|欢迎关注)\b.{0,60}$"),
        "'Follow us' prompt",
        80,
    ),
    Rule(
        "subscribe",
        _rx(
            r"^(?:subscribe(?: now| today| here| for free)?|subscribe to (?:our|the) .{0,50}|"
            r"sign up(?: for| to)? .{0,40}newsletter.{0,30}|get (?:our|the) .{0,40}newsletter.{0,30}|"
            r"newsletters?|sign up(?: now| here)?|订阅|立即订阅)$"
        ),
        "subscribe / newsletter prompt",
        100,
    ),
    Rule(
        "comments",
        _rx(
            r"^(?:post (?:a )?comment|comments?|\d+\s*comments?|leave a (?:comment|reply)|"
            r"(?:view|show|see) (?:all )?comments|add a comment|join the (?:conversation|discussion)|"
            r"评论|发表评论|\d+\s*条评论|查看评论)$"
        ),
        "comment-box widget",
        40,
    ),
    Rule(
        "app-download",
        _rx(r"^(?:get the app|download (?:the|our) app|打开APP.{0,20}|下载(?:\S{0,10})客户端.{0,20})$"),
        "app download prompt",
        60,
    ),
    Rule(
        "scan-qr",
        _rx(r"扫码关注|扫描二维码|长按识别二维码|扫一扫|关注(?:\S{0,10})微信公众号"),
        "QR-code / follow prompt",
        80,
    ),
    # -- consent banners ---------------------------------------------------------------------
    Rule(
        "cookie",
        _rx(
            r"\b(?:we|this (?:web)?site|our (?:web)?site) uses? cookies\b|\baccept (?:all )?cookies\b|"
            r"\bcookie (?:settings|preferences|policy|notice|consent)\b|"
            r"(?:本|此|该)?网站使用\s*cookie|我们使用\s*cookie"
        ),
        "cookie banner",
        300,
    ),
    Rule(
        "consent-button",
        _rx(
            r"^(?:accept(?: all)?|reject(?: all)?|decline|got it|i agree|agree|ok|"
            r"manage (?:preferences|options|cookies)|拒绝|接受|同意|全部接受|全部拒绝|我知道了)$"
        ),
        "consent-banner button",
        30,
    ),
    # -- "read more" and related links (single lines; blocks are handled separately) -----------
    Rule(
        "read-more-line",
        _rx(
            r"^(?:read more|also read|read next|read also|see also|more on this|watch|listen|"
            r"related(?: (?:article|story|stories|coverage|news))?|recommended|"
            r"相关阅读|延伸阅读|推荐阅读|阅读更多|相关新闻|相关报道)\s*[:：]\s*.{1,150}$"
        ),
        "'Read more' link",
        200,
    ),
    # -- photo credits, captions and image labels --------------------------------------------
    Rule(
        "getty-credit",
        _rx(r"(?:via|\||/|for|by)\s*getty images\)?\s*$|getty images\s*\)?\s*$"),
        "photo credit (Getty Images)",
        400,
        credit=True,
    ),
    Rule(
        "agency-credit",
        re.compile(
            r"^[\w .,'’&-]{2,80}(?:\s*[|/]\s*" + _AGENCY + r"){1,3}\s*$"
            r"|\b(?:REUTERS|Reuters|AP Photo|AFP(?: Photo)?|EPA(?:-EFE)?|Xinhua)\s*/\s*"
            r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\)?\s*$"
        ),
        "photo credit (agency/photographer)",
        400,
        credit=True,
    ),
    Rule(
        "credit-label",
        _rx(
            r"^[(（]?(?:photo|photograph|image|picture|pictured|credit|photo credit|image credit|"
            r"illustration|图片来源|图源|图片|摄影|来源图片)\s*(?:by\s*)?[:：/].{1,150}$"
        ),
        "photo credit / caption label",
        160,
        credit=True,
    ),
    Rule(
        "photo-by",
        _rx(r"^[(（]?(?:photo|photograph|image)s? by .{2,100}[)）]?$|^[(（]图源[:：].{1,60}[)）]$"),
        "photo credit",
        130,
        credit=True,
    ),
    Rule(
        "zh-caption",
        _rx(r"^[▲△↑]?\s*(?:图为|图\d*[:：]|资料图|新华社(?:发|记者).{0,20}摄)|资料图片?[)）]?$|\S\s摄[)）]?$"),
        "photo caption (Chinese)",
        200,
        credit=True,
    ),
    Rule(
        "ai-image-label",
        _rx(
            r"^(?:由\s*AI\s*报道)?\s*(?:AI[ -]?generated image|image generated by AI|generated by AI|"
            r"AI\s*生成的?(?:图像|图片|图))?$"
        ),
        "AI-generated image / summary label",
        60,
        credit=True,
    ),
    Rule(
        "profile-image",
        _rx(r"^(?:profile image|profile picture|author image|avatar|headshot)$"),
        "author avatar",
        30,
    ),
    # -- bylines, datelines, editors, sources ------------------------------------------------
    Rule(
        "byline",
        re.compile(
            r"^By\s+[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|&|de|van|von|bin|al))+"
            r"(?:\s*[,|·•]\s*[^.!?]*|\s+and\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)*)?$"
        ),
        "author byline",
        150,
    ),
    Rule(
        "dot-byline",
        re.compile(r"^[^\s.!?。·•|][^.!?。·•|]{0,38}\s?[·•]\s?[^.!?。·•|]{1,40}$"),
        "byline 'Name·Outlet'",
        60,
    ),
    Rule(
        "dateline",
        _rx(
            r"^(?:published|updated|posted|last updated|first published|modified)(?: on| at)?\s*[:：]?"
            r"(?=.*(?:\d{1,4}\s*[-/.:年月]\s*\d|\b" + _MONTH + r"\.?\s+\d|\d\s+" + _MONTH + r"|\bago\b))"
            r"\s*[\w ,:.+|/-]{4,80}$"
            r"|^(?:发布时间|发表时间|更新时间|发布日期|时间|日期)\s*[:：]"
        ),
        "publication-date line",
        110,
    ),
    Rule(
        "zh-editor",
        re.compile(r"^[【\[(（]?(?:责任编辑|责编|编辑|作者|记者|校对|审核|审校|编审|监制|统筹|策划)\s*[:：]"),
        "author/editor line (Chinese)",
        80,
    ),
    Rule(
        "source-line",
        _rx(r"^[【\[(（]?(?:来源|出处|source)\s*[:：]\s*[^.!?。]{1,40}[】\])）]?$"),
        "source line",
        60,
    ),
    Rule(
        "reporting-by",
        re.compile(
            r"^[(\[]?(?:Additional )?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Ee]dited|"
            r"[Pp]roduced) by [A-Z].{0,150}$"
        ),
        "reporting/editing credit",
        200,
    ),
    Rule(
        "contributed",
        _rx(r"contributed (?:reporting )?to this (?:report|story|article)\.?\)?$"),
        "contributor credit",
        200,
    ),
    # -- legal, ads, widgets, navigation -------------------------------------------------------
    Rule(
        "copyright",
        _rx(
            r"^(?:©|\(c\)|copyright\b|版权所有)|all rights reserved|未经(?:授权|许可).{0,10}不得转载|"
            r"转载请注明"
        ),
        "copyright notice",
        200,
    ),
    Rule(
        "editorial-policy",
        _rx(
            r"\b(?:editorial guidelines|ethics policy|corrections policy)\b|"
            r"^for (?:updates and )?corrections,? (?:email|contact|write)"
        ),
        "editorial-policy link",
        160,
    ),
    Rule(
        "advertisement",
        _rx(
            r"^(?:advertisement|advertising|sponsored(?: content)?|ad|广告|推广|"
            r"scroll to continue(?: with content)?|story continues below(?: advertisement)?|"
            r"continue reading(?: below)?|article continues below)$"
        ),
        "advertisement marker",
        50,
    ),
    Rule(
        "ticker",
        re.compile(
            r"^\$[A-Z]{1,5}$|^[A-Z][A-Z0-9.&^ ]{0,20}\s+\$?[\d,]+(?:\.\d+)?\s*[+\-−▲▼]\s*[\d.,]+%?"
            r"(?:\s*\([+\-−]?[\d.,]+%\))?$|^[+\-−▲▼]\s*[\d.,]+%?(?:\s*\([+\-−]?[\d.,]+%\))?$"
            r"|^(?:stocks|tickers|securities) (?:mentioned|in this (?:article|story))\b"
        ),
        "stock-ticker widget",
        80,
    ),
    Rule(
        "navigation",
        _rx(
            r"^(?:skip to (?:main )?content|menu|home|log ?in|sign ?in|register|search|back to top|"
            r"loading\.*|listen to (?:this )?article|\d+\s*min(?:ute)? read|reading time.{0,20}|"
            r"click here.{0,60}|首页|返回顶部|登录|注册|搜索)$"
        ),
        "navigation / page control",
        80,
    ),
    Rule("punctuation-only", re.compile(r"^[\W_]+$"), "punctuation only", 20),
)

_RULE_BY_NAME = {rule.name: rule for rule in RULES}

# Headings that open a block of links to other stories. "Section" headings
# usually sit after the story: from the second half of the text on, everything
# after one is other stories (summaries included), so the rest is cut.
_SECTION_HEADING = _rx(
    r"^(?:related(?: articles| stories| coverage| news| content| reading)?|more (?:stories|news)|"
    r"more from [\w .&'-]{1,40}|recommended(?: for you| stories| articles)?|you (?:may|might) also like|"
    r"most (?:read|popular|viewed)|trending(?: now| stories)?|top stories|latest news|"
    r"相关文章|相关阅读|相关新闻|相关报道|推荐阅读|热门推荐|猜你喜欢|更多新闻|热点新闻|往期回顾|热门文章)"
    r"\s*[:：]?$"
)
# Inline prompts ("Also Read:") link one or a few stories and may sit mid-article.
_PROMPT_HEADING = _rx(
    r"^(?:read more|also read|read next|read also|see also|more on this(?: story)?|watch|"
    r"延伸阅读|阅读更多|点击阅读)\s*[:：]?$"
)
_LINK_MAX = 120
_MAX_LINKS_AFTER_HEADING = 8
_CAPTION_MAX = 300
_CAPTION_END = re.compile(r"[.。)）]$")
_SENTENCE_END = re.compile(r"[.!?。！？\"”’」』)）]$")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


def normalize_line(line: str) -> str:
    """NFC, invisible characters removed, runs of spaces collapsed, ends stripped."""
    line = _INVISIBLE.sub("", unicodedata.normalize("NFC", line))
    return _SPACE.sub(" ", line).strip()


def _fold(line: str) -> str:
    """A comparison key: case, punctuation and spacing do not matter."""
    return "".join(ch for ch in line.casefold() if ch.isalnum())


def _match_rule(line: str) -> Rule | None:
    for rule in RULES:
        if len(line) <= rule.max_len and rule.pattern.search(line):
            return rule
    return None


def is_boilerplate(line: str) -> bool:
    """True when a single line (normalised) matches one of ``RULES``."""
    line = normalize_line(line)
    return bool(line) and _match_rule(line) is not None


def _is_link_like(line: str) -> bool:
    return len(line) <= _LINK_MAX and not _SENTENCE_END.search(line)


def clean_with_reasons(
    lines: Sequence[str], *, title: str | None = None
) -> tuple[list[str], list[Removal]]:
    """The kept (non-blank, normalised) lines and, in input order, what was removed and why.

    ``title`` removes every line that repeats it (the title is not part of the body).
    """
    norm = [normalize_line(line) for line in lines]
    why: dict[int, tuple[str, str]] = {}

    def drop(i: int, rule: str, reason: str) -> None:
        why.setdefault(i, (rule, reason))

    for i, line in enumerate(norm):
        if not line:
            continue
        rule = _match_rule(line)
        if rule is None:
            continue
        drop(i, rule.name, rule.reason)
        prev = i - 1
        # Only a line directly above (no blank between) that reads like a
        # caption: a headline right above a credit does not end in a period.
        if (
            rule.credit
            and prev >= 0
            and norm[prev]
            and len(norm[prev]) <= _CAPTION_MAX
            and _CAPTION_END.search(norm[prev])
            and prev not in why
        ):
            drop(prev, "caption", f"caption above a {rule.reason}")

    _drop_link_blocks(norm, why)

    if title and _fold(title):
        key = _fold(title)
        for i, line in enumerate(norm):
            if line and _fold(line) == key:
                drop(i, "title", "repeats the title")

    last_kept: str | None = None
    for i, line in enumerate(norm):
        if not line or i in why:
            continue
        if last_kept is not None and _fold(line) == _fold(last_kept) and _fold(line):
            drop(i, "duplicate", "repeats the previous line")
            continue
        last_kept = line

    kept = [line for i, line in enumerate(norm) if line and i not in why]
    removed = [Removal(i, norm[i], *why[i]) for i in sorted(why)]
    return kept, removed


def _drop_link_blocks(norm: list[str], why: dict[int, tuple[str, str]]) -> None:
    total = sum(len(line) for line in norm) or 1
    seen = 0
    for i, line in enumerate(norm):
        seen_before = seen
        seen += len(line)
        if not line or i in why:
            continue
        if _SECTION_HEADING.match(line):
            if seen_before / total >= 0.5 and seen_before >= 300:
                for j in range(i, len(norm)):
                    if norm[j]:
                        why.setdefault(j, ("related-block", f"after the '{line}' heading"))
                return
            why.setdefault(i, ("related-heading", "related-links heading"))
            _drop_links_after(norm, why, i, line, limit=_MAX_LINKS_AFTER_HEADING)
        elif _PROMPT_HEADING.match(line):
            why.setdefault(i, ("read-more", "'Read more' prompt"))
            _drop_links_after(norm, why, i, line, limit=_MAX_LINKS_AFTER_HEADING)


def _drop_links_after(
    norm: list[str], why: dict[int, tuple[str, str]], i: int, heading: str, *, limit: int
) -> None:
    taken = 0
    for j in range(i + 1, len(norm)):
        line = norm[j]
        if not line:
            continue
        if taken >= limit or not (_is_link_like(line) or j in why):
            return
        why.setdefault(j, ("related-link", f"link under the '{heading}' heading"))
        taken += 1


def clean(lines: Sequence[str], *, title: str | None = None) -> list[str]:
    """The lines that are article text, normalised, blanks dropped."""
    return clean_with_reasons(lines, title=title)[0]


def get_rule(name: str) -> Rule:
    """Look a rule up by name (for tests and debugging)."""
    return _RULE_BY_NAME[name]
