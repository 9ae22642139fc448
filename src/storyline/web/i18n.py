"""The page chrome in English and Chinese.

Only the words the pages themselves print live here; what the articles say is
shown in the language it was written in. A missing Chinese string falls back
to English rather than failing a page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

__all__ = ["LANGS", "LANG_NAMES", "UI_COOKIE", "pick", "translator"]

LANGS = ("en", "zh")
UI_COOKIE = "ui"
# Each language named in itself, as a reader of it looks for it.
LANG_NAMES = {
    "en": "English",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "pt": "Português",
    "it": "Italiano",
    "ru": "Русский",
    "ar": "العربية",
    "und": "?",
}

_ZH: dict[str, str] = {
    "Storyline": "故事线",
    "Home": "首页",
    "Search": "搜索",
    "Storylines": "故事线",
    "Stories": "报道",
    "Story": "报道",
    "Latest stories": "最新报道",
    "Upcoming": "即将到来",
    "Nothing due in the next {days} days.": "未来 {days} 天内没有到期事项。",
    "due {due}": "到期 {due}",
    "in {n} days": "还有 {n} 天",
    "under way": "进行中",
    "articles": "篇文章",
    "stories": "个报道",
    "Languages": "语言",
    "Outlets": "媒体",
    "Volume": "报道量",
    "Articles per day": "每日文章数",
    "Summary": "摘要",
    "Key points": "要点",
    "Timeline": "时间线",
    "People and organisations": "人物与机构",
    "Quotes": "引语",
    "Figures": "数据",
    "Coverage": "报道来源",
    "Coverage by outlet": "各媒体报道",
    "Coverage by language": "各语言报道",
    "Conflicting claims": "说法冲突",
    "Most sources say": "多数来源称",
    "Read as": "判定为",
    "Commitments and deadlines": "承诺与期限",
    "Reactions": "反应",
    "posts": "条帖子",
    "Related stories": "相关报道",
    "Sources": "来源",
    "Repaired names": "已修正的名字",
    "from the {lang} coverage": "来自{lang}报道",
    "date not given": "未给出日期",
    "undated": "无日期",
    "unattributed": "未署名",
    "unknown outlet": "未知媒体",
    "Part of the storyline": "所属故事线",
    "Stories over time": "报道时间轴",
    "Merged timeline": "合并时间线",
    "Aliases": "别名",
    "Roles": "身份",
    "Mentions over time": "提及次数变化",
    "mentions": "次提及",
    "No entity matches “{name}”.": "没有与“{name}”匹配的实体。",
    "Also matching": "其他匹配",
    "Search stories and articles": "搜索报道和文章",
    "Words": "关键词",
    "By meaning": "语义",
    "Language": "语言",
    "any": "任意",
    "Since": "起始",
    "Until": "截止",
    "No results.": "没有结果。",
    "Search is not available on this server.": "此服务器不提供搜索。",
    "{n} results": "{n} 条结果",
    "Original": "原文链接",
    "Published": "发布时间",
    "Duplicates": "重复文章",
    "Copy of": "转载自",
    "Copies found": "发现的转载",
    "Highlighted": "标注",
    "entity": "实体",
    "date": "日期",
    "quote": "引语",
    "figure": "数据",
    "cited": "被引用",
    "In story": "所属报道",
    "Not found": "未找到",
    "There is no such page.": "没有这个页面。",
    "Outlet": "媒体",
    "From": "起始",
    "To": "截至",
    "{n} recent articles are still being indexed and are not searched yet.": (
        "最近的 {n} 篇文章仍在建立索引，暂时搜索不到。"
    ),
    "Sign in needed": "需要登录",
    "Not allowed": "不允许",
    "Invalid request": "请求无效",
    "Something went wrong": "出错了",
    "Interface language": "界面语言",
    "status": "状态",
    "happened": "已发生",
    "scheduled": "已计划",
    "threatened": "威胁",
    "proposed": "提议",
    "cancelled": "已取消",
    "reported": "据报道",
    "pending": "待定",
    "met": "已兑现",
    "missed": "未兑现",
    "superseded": "已更改",
    "unconfirmed": "未证实",
    "positive": "支持",
    "negative": "反对",
    "skeptical": "怀疑",
    "neutral": "中立",
    "person": "人物",
    "organisation": "机构",
    "place": "地点",
    "other": "其他",
    "sources": "个来源",
    "Everything it states points back to the sentences it came from.": "所有内容都指向其出处的原句。",
}

_STRINGS: Mapping[str, Mapping[str, str]] = {"en": {}, "zh": _ZH}


def pick(query: str | None, cookie: str | None) -> str:
    """The chrome language: the query wins over the cookie; anything unknown is English."""
    for choice in (query, cookie):
        if choice in LANGS:
            return choice
    return "en"


def translator(lang: str) -> Callable[..., str]:
    """``t("in {n} days", n=3)`` in ``lang``; the English key is the fallback."""
    table = _STRINGS.get(lang, {})

    def t(key: str, **values: object) -> str:
        text = table.get(key, key)
        return text.format(**values) if values else text

    return t
