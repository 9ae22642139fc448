"""Chinese attribution rules: “…” and 「…」 quotations and reported speech.

Chinese news attributes in a few fixed shapes, which the rules follow:

- ``SOURCE + 表示/说/指出…（：/，）“…”`` and ``“…，”SOURCE + 说。``;
- ``SOURCE + 表示/认为/强调…，CONTENT。`` (reported speech up to the end of the sentence);
- ``CONTENT，SOURCE + 表示。`` (the cue closing the sentence);
- ``据 SOURCE（报道/消息/透露…），CONTENT。``

Without capital letters the source is what stands between the start of the
clause and the cue, cut before the time and place that often sit between a
speaker and the verb (“林剑22日在例行记者会上表示” gives “林剑”); an entity
mention inside that stretch, when there is one, is preferred.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..models import Mention
from .quotes import Found, Region, quotation_regions, regions_within

__all__ = ["find_zh"]

_CUE_WORDS = sorted(
    re.findall(
        r"\S+",
        """表示 说道 说 称 声称 宣称 指出 强调 透露 回应 认为 告诉 介绍 提到 坦言 直言 呼吁 警告
        宣布 承认 否认 补充 解释 证实 回答 问道 写道 表态 坚称 重申 指称 批评 谴责 称赞 相信 担心
        主张 暗示 说明 问 說 稱 聲稱 宣稱 強調 回應 認為 告訴 介紹 呼籲 證實 問道 寫道 堅稱 批評
        譴責 稱讚 擔心 主張 說明""",
    ),
    key=len,
    reverse=True,
)
# 说 and 称 start many words that are not cues: 说服, 说法, 名称, 称为, 简称.
_CUE = re.compile(r"(?<![小据據名简簡号號堪对對昵暱])(?:" + "|".join(_CUE_WORDS) + r")(?![服法为為号號作做])")
_CLAUSE_PUNCT = '，。；：！？、,;:!?“”「」『』"（）()'
_END_PUNCT = "。！？；!?;…"
# Where a speaker's name ends and an adverbial begins: times, places, adverbs.
_ADVERBIAL = re.compile(
    r"\d|[一二三四五六七八九十]+[日号號]|[今昨前明当當]天|日前|近日|当日|當日|周[一二三四五六日末]|週[一二三四五六日末]"
    r"|上午|下午|晚间|晚間|早些时候|在|于|於|对|對|向|就|也|还|還|则|則|曾|再次|进一步|進一步|明确|明確|公开|公開"
    r"|同时|同時|亦|已|将|將|均|都|并|並|又|更|随后|隨後|最后|最後|特别|特別|接受|通过|通過|发文|發文"
)
_LEADING = re.compile(
    r"(?:但是?|而且?|并且?|並且?|此外|另外|对此|對此|随后|隨後|不过|不過|然而|同时|同時|其中|他还|她还)"
)
_ACCORDING = re.compile(
    r"[据據](?P<src>[^，,。；：]{0,30}?)(?P<cue>报道|報道|报导|報導|消息|透露|介绍|介紹|统计|統計|显示|顯示|称|稱|了解|指出|表示)?[，,]"
)
_PRONOUNS = frozenset(["他", "她", "他们", "她们", "他們", "她們", "我", "我们", "我們", "对方", "對方"])


def find_zh(text: str, sentences: Sequence[tuple[int, int]], mentions: Sequence[Mention] = ()) -> list[Found]:
    """Attributions in Chinese ``text``, one ``Found`` per content piece, with spans into it."""
    starts = [s for s, _ in sentences]
    regions = regions_within(quotation_regions(text), sentences)
    found: list[Found] = []
    used: set[int] = set()
    last: tuple[tuple[int, int, int | None, int | None], int] | None = None  # attribution, sentence
    for r in regions:
        si_open = max(0, bisect_right(starts, r.open) - 1)
        si_close = max(0, bisect_right(starts, max(r.start, r.end - 1)) - 1)
        s_open, e_close = sentences[si_open][0], sentences[si_close][1]
        attr = _after(text, r.close, e_close, mentions) if r.close > r.end else None
        attr = attr or _before(text, s_open, r.open, mentions)
        if attr is None and last is not None and last[1] >= si_open - 1 and not text[s_open : r.open].strip():
            attr = last[0]  # a quotation continuing the one before: same speaker
        if attr is None:
            continue
        found.append(Found(r.start, r.end, "direct", *attr))
        used.add(attr[0])
        last = (attr, si_close)
    for s, e in sentences:
        found.extend(_reported(text, s, e, used, regions, mentions))
    return found


def _after(
    text: str, close: int, end: int, mentions: Sequence[Mention]
) -> tuple[int, int, int | None, int | None] | None:
    """ "“…，”他说。": a short source and a cue right after the quotation, ending the sentence."""
    i = close
    while i < end and text[i] in "，,。 ":
        i += 1
    m = _CUE.search(text, i, min(end, i + 24))
    if m is None or any(c in _CLAUSE_PUNCT for c in text[i : m.start()]):
        return None
    if text[m.end() : end].strip(" 。！？：:，,道"):
        return None
    source = _source(text, i, m.start(), mentions)
    return (m.start(), m.end(), *source) if source else (m.start(), m.end(), None, None)


def _before(
    text: str, start: int, q_open: int, mentions: Sequence[Mention]
) -> tuple[int, int, int | None, int | None] | None:
    """ "王毅指出：“…”": a cue ending just before the quotation, maybe with a colon or comma."""
    j = q_open
    while j > start and text[j - 1] in "：:，, ":
        j -= 1
    cues = [m for m in _CUE.finditer(text, start, j) if m.end() == j]
    if not cues:
        return None
    cue = cues[-1]
    clause = _clause_start(text, start, cue.start())
    source = _source(text, clause, cue.start(), mentions)
    return (cue.start(), cue.end(), *source) if source else (cue.start(), cue.end(), None, None)


def _reported(
    text: str, s: int, e: int, used: set[int], regions: list[Region], mentions: Sequence[Mention]
) -> list[Found]:
    """Reported speech in the sentence ``[s, e)``: 据…报道，…  /  X表示，…  /  …，X表示。"""
    stop = e
    while stop > s and text[stop - 1] in _END_PUNCT + '”」』"':
        stop -= 1
    according = _ACCORDING.match(text, s + _lead_len(text, s))
    if according and (according.group("src") or according.group("cue")):
        cue = according.span("cue") if according.group("cue") else (according.start(), according.start() + 1)
        src_start, src_end = according.span("src") if according.group("src") else (None, None)
        return [Found(according.end(), stop, "indirect", *cue, src_start, src_end)]
    out = []
    cues = [
        m for m in _CUE.finditer(text, s, stop) if m.start() not in used and not _quoted(regions, m.start())
    ]
    for n, m in enumerate(cues):
        later = cues[n + 1] if n + 1 < len(cues) else None
        if later is not None and not any(c in _CLAUSE_PUNCT for c in text[m.end() : later.start()]):
            continue  # "回应…时表示": the verb next to the comma reports
        clause = _clause_start(text, s, m.start())
        source = _source(text, clause, m.start(), mentions)
        if source is None:
            continue
        rest = m.end()
        while rest < stop and text[rest] in "，,：: ":
            rest += 1
        if rest >= stop and clause > s:
            # "…，外交部发言人表示。": the content is what came before.
            content_end = clause
            while content_end > s and text[content_end - 1] in "，, ":
                content_end -= 1
            out.append(Found(s, content_end, "indirect", m.start(), m.end(), *source))
            break
        if stop - rest >= 2 and text[rest] not in "“「『":
            out.append(Found(rest, stop, "indirect", m.start(), m.end(), *source))
            break
    return out


def _lead_len(text: str, s: int) -> int:
    m = _LEADING.match(text, s)
    return m.end() - s if m else 0


def _quoted(regions: list[Region], offset: int) -> bool:
    return any(r.start <= offset < r.end for r in regions)


def _clause_start(text: str, s: int, cue: int) -> int:
    i = cue
    while i > s and text[i - 1] not in _CLAUSE_PUNCT:
        i -= 1
    return i


def _source(text: str, start: int, end: int, mentions: Sequence[Mention]) -> tuple[int, int] | None:
    """The speaker in ``[start, end)``: the last mention there, else the stretch before any adverbial."""
    inside = [m for m in mentions if start <= m.start and m.end <= end and m.label in ("PER", "ORG", "GPE")]
    if inside:
        m = inside[-1]
        # "外交部发言人林剑": keep the organisation and title just before the name.
        head = min((x.start for x in inside if m.start - 4 <= x.end <= m.start), default=m.start)
        return (head, m.end)
    leading = _LEADING.match(text, start)
    if leading:
        start = leading.end()
    stretch = text[start:end]
    cuts = [m.start() for m in (_ADVERBIAL.search(stretch, 1), _CUE.search(stretch, 1)) if m]
    if cuts:
        stretch = stretch[: min(cuts)]
    stretch = stretch.rstrip()
    if not stretch or len(stretch) > 20:
        return None
    if len(stretch) == 1 and stretch not in _PRONOUNS:
        return None
    return (start, start + len(stretch))
