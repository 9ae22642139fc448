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
    "comparison_key",
    "get_rule",
    "is_boilerplate",
    "normalize_line",
]


@dataclass(frozen=True, slots=True)
class Rule:
    """A line that matches ``pattern`` (``search``) and is at most ``max_len`` long is dropped.

    ``role`` "credit" marks bare photo credits and image labels: the line
    directly above one is its caption and goes too. "caption" marks lines that
    are captions themselves: a line above that they repeat goes too.
    """

    name: str
    pattern: re.Pattern[str]
    reason: str
    max_len: int = 120
    role: str = "line"


@dataclass(frozen=True, slots=True)
class Removal:
    index: int
    line: str
    rule: str
    reason: str


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_AGENCY = (
    r"(?:AFP|AP|Reuters|REUTERS|EPA(?:-EFE)?|Xinhua|Bloomberg|Anadolu|Getty Images|Shutterstock"
    r"|Kyodo|Yonhap|Pool)"
)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"

RULES: tuple[Rule, ...] = (
    # -- sharing, following, subscribing -------------------------------------------------
    Rule(
        "share",
        _rx(
            r"^(?:share|share (?:this|the) (?:article|story|page|post)|share on \w+|tweet|"
            r"email|print|copy link(?: to clipboard)?|save|bookmark|gift (?:this )?article|"
            r"partager|teilen|compartir|condividi|"
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
            r"sign up(?: for| to)? .{0,40}newsletter.{0,30}|"
            r"get (?:our|the) .{0,40}newsletter.{0,30}|"
            r"newsletters?|sign up(?: now| here)?|订阅|立即订阅)$"
        ),
        "subscribe / newsletter prompt",
        100,
    ),
    Rule(
        "comments",
        _rx(
            r"^(?:post (?:a )?comment|comments?|\d+\s*comments?|leave a (?:comment|reply)|"
            r"(?:view|show|see) (?:all )?comments|add a comment|"
            r"join the (?:conversation|discussion)|"
            r"评论|发表评论|\d+\s*条评论|查看评论)$"
        ),
        "comment-box widget",
        40,
    ),
    Rule(
        "app-download",
        _rx(
            r"^(?:get the app|download (?:the|our) app|"
            r"打开APP.{0,20}|下载(?:\S{0,10})客户端.{0,20})$"
        ),
        "app download prompt",
        60,
    ),
    Rule(
        "scan-qr",
        _rx(
            r"[扫掃][码碼][关關]注|[扫掃]描二[维維][码碼]|[长長]按[识識][别別]二[维維][码碼]|[扫掃]一[扫掃]|"
            r"[关關]注(?:\S{0,10})微信公[众眾][号號]"
        ),
        "QR-code / follow prompt",
        80,
    ),
    # -- consent banners ---------------------------------------------------------------------
    Rule(
        "cookie",
        _rx(
            r"\b(?:we|this (?:web)?site|our (?:web)?site) uses? cookies\b|"
            r"\baccept (?:all )?cookies\b|"
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
    # "credit": a bare credit or image label; the caption sits on the line above.
    # "caption": the line is itself a caption (maybe with its credit); only a
    # line above that it repeats goes with it.
    Rule(
        "getty-credit",
        _rx(r"^(?:[^.!?]{0,100}(?:\||/|via|for|by)\s*)?getty images$"),
        "photo credit (Getty Images)",
        110,
        role="credit",
    ),
    Rule(
        "getty-caption",
        _rx(r"(?:via|\||/|for|by)\s*getty images\s*\)?\s*$"),
        "photo caption with a Getty Images credit",
        400,
        role="caption",
    ),
    Rule(
        "agency-credit",
        re.compile(r"^[\w .,'’&-]{2,80}(?:\s*[|/]\s*" + _AGENCY + r"){1,3}$"),
        "photo credit (photographer | agency)",
        120,
        role="credit",
    ),
    Rule(
        "agency-caption",
        re.compile(
            r"\b(?:REUTERS|Reuters|AP Photo|AFP(?: Photo)?|EPA(?:-EFE)?|Xinhua)\s*/\s*"
            r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\)?$"
        ),
        "photo caption with an agency credit",
        400,
        role="caption",
    ),
    Rule(
        "credit-label",
        _rx(
            r"^[(（]?(?:credit|photo credit|image credit|photos? by|images? by|"
            r"[图圖]片?[来來]源|[图圖]源|"
            r"摄影|[摄攝]影|[来來]源[图圖]片)\s*[:：/]?\s*.{1,100}$"
        ),
        "photo credit",
        120,
        role="credit",
    ),
    Rule(
        "caption-label",
        _rx(r"^[(（]?(?:photo|photograph|image|picture|pictured|illustration|[图圖]片)\s*[:：].{1,200}$"),
        "photo caption",
        220,
        role="caption",
    ),
    Rule(
        "zh-photo-credit",
        re.compile(
            r"^.{0,40}\S\s+[摄攝][)）]?$|^[(（][^()（）]{1,30}[摄攝][)）]$|^[(（]?[资資]料[图圖]片?[)）]?$"
        ),
        "photo credit (Chinese)",
        60,
        role="credit",
    ),
    Rule(
        "zh-caption",
        re.compile(
            r"^[▲△↑]?\s*(?:[图圖][为為]|[图圖]\d*[:：]|[资資]料[图圖]片?[:：])"
            r"|[(（][图圖]源[:：][^)）]{1,60}[)）]$"
        ),
        "photo caption (Chinese)",
        200,
        role="caption",
    ),
    Rule(
        "ai-image-label",
        _rx(
            r"^(?:由\s*AI\s*[报報][导道])?\s*"
            r"(?:AI[ -]?generated image|image generated by AI|generated by AI|"
            r"AI\s*生成的?(?:[图圖]像|[图圖]片|[图圖]))?$"
        ),
        "AI-generated image / summary label",
        60,
        role="credit",
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
            r"^(?:published|updated|posted|last updated|first published|modified|publié|mis à jour|"
            r"veröffentlicht|aktualisiert|publicado|actualizado|pubblicato)"
            r"(?: on| at| le| el| am)?\s*[:：]?"
            r"(?=.*(?:\d{1,4}\s*[-/.:年月]\s*\d|\b" + _MONTH + r"\.?\s+\d|\d\s+" + _MONTH + r"|\bago\b))"
            r"\s*[\w ,:.+|/-]{4,80}$"
            r"|^(?:[发發][布佈表][时時][间間]|更新[时時][间間]|[发發]布日期|[时時][间間]|日期)\s*[:：]"
            r"|^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
            r"(?:\s+(?:[来來]源|作者|[编編][辑輯]|[记記]者|source)\s*[:：].{0,40})*$"
        ),
        "publication-date line",
        110,
    ),
    Rule(
        "zh-editor",
        re.compile(
            r"^[【\[(（]?(?:责任编辑|責任編輯|责编|責編|编辑|編輯|作者|记者|記者|"
            r"校对|校對|审核|審核|审校|编审|监制|统筹|策划)\s*[:：]"
        ),
        "author/editor line (Chinese)",
        80,
    ),
    Rule(
        "source-line",
        _rx(r"^[【\[(（]?(?:来源|來源|出处|出處|source)\s*[:：]\s*[^.!?。]{1,40}[】\])）]?$"),
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
            r"^(?:©|\(c\)|copyright\b|版权所有|版權所有)|all rights reserved|"
            r"未[经經](?:授权|许可|授權|許可).{0,10}不得[转轉][载載]|[转轉][载載][请請]注明"
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
            r"^(?:advertisement|advertising|sponsored(?: content)?|ad|广告|廣告|推广|推廣|"
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
    r"more from [\w .&'-]{1,40}|recommended(?: for you| stories| articles)?|"
    r"you (?:may|might) also like|"
    r"most (?:read|popular|viewed)|trending(?: now| stories)?|top stories|latest news|"
    r"相[关關]文章|相[关關][阅閱][读讀]|相[关關]新[闻聞]|相[关關][报報][导導]|推[荐薦][阅閱][读讀]|"
    r"[热熱]门推荐|猜你喜[欢歡]|更多新[闻聞]|[热熱]点新闻|往期回[顾顧]|[热熱]门文章)"
    r"\s*[:：]?$"
)
# Inline prompts ("Also Read:") link one or a few stories and may sit mid-article.
_PROMPT_HEADING = _rx(
    r"^(?:read more|also read|read next|read also|see also|more on this(?: story)?|watch|"
    r"延伸[阅閱][读讀]|[阅閱][读讀]更多|[点點][击擊][阅閱][读讀])\s*[:：]?$"
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


def comparison_key(line: str) -> str:
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


def clean_with_reasons(lines: Sequence[str], *, title: str | None = None) -> tuple[list[str], list[Removal]]:
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
        if rule.role == "line" or prev < 0 or not norm[prev] or prev in why:
            continue
        # Only a line directly above (no blank between) that reads like a
        # caption: a headline right above a credit does not end in a period.
        if rule.role == "credit" and len(norm[prev]) <= _CAPTION_MAX and _CAPTION_END.search(norm[prev]):
            drop(prev, "caption", f"caption above a {rule.reason}")
        elif (
            rule.role == "caption"
            and len(comparison_key(norm[prev])) >= 10
            and comparison_key(line).startswith(comparison_key(norm[prev]))
        ):
            drop(prev, "caption", "caption repeated with its credit on the next line")

    _drop_link_blocks(norm, why)

    if title and comparison_key(title):
        key = comparison_key(title)
        for i, line in enumerate(norm):
            if line and comparison_key(line) == key:
                drop(i, "title", "repeats the title")

    last_kept: str | None = None
    for i, line in enumerate(norm):
        if not line or i in why:
            continue
        key = comparison_key(line)
        if last_kept is not None and key and key == comparison_key(last_kept):
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
