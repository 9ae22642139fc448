"""Boilerplate rules: what goes, what must stay, and why."""

from __future__ import annotations

import pytest

from storyline.text.clean import RULES, clean, clean_with_reasons, get_rule, is_boilerplate

BODY = (
    "The city council approved the new bus depot on Tuesday after a long debate "
    "about noise and traffic on the ring road."
)
BODY_2 = "Construction is due to start in the spring and to take about eighteen months."


@pytest.mark.parametrize(
    "line",
    [
        "Share",
        "Share this article",
        "Tweet",
        "Subscribe now",
        "Sign up for our morning newsletter",
        "Add us onAdd us on Google",
        "Add us on Google",
        "Follow us on Facebook",
        "We use cookies to improve your experience on our site. Read our cookie policy.",
        "Accept all",
        "Advertisement",
        "Story continues below advertisement",
        "Post a Comment",
        "Post Comment",
        "0 Comments",
        "Profile Image",
        "·",
        "|",
        "By Jane Doe | Updated March 4, 2025",
        "By Jane Doe and Ravi Patel, Harbor Wire",
        "Published Oct 23, 2025 | 5:40 AM GMT-04",
        "Updated: 2025-10-23",
        "Reporting by Jane Doe; Editing by Ravi Patel",
        "— Harbor Wire's Ravi Patel contributed to this report.",
        "Copyright 2025 Harbor Wire. All rights reserved.",
        "© 2025 Coastline Daily",
        "Read about our editorial guidelines and ethics policy",
        "For updates and corrections, email desk[at]example[dot]com.",
        "Read Next: Port strike enters its second week",
        "Jim Doe | AFP | Getty Images",
        "Jane Roe/Bloomberg via Getty Images",
        "Credit: Jane Roe for Coastline Daily",
        "(Photo by Jane Roe/Coastline Agency via Getty Images)",
        "AI-generated image",
        "SPY 580.12 +0.04%",
        "$QQQ",
        "Skip to main content",
        "5 min read",
    ],
)
def test_clean_english_boilerplate_lines_are_removed(line: str) -> None:
    assert clean([BODY, "", line, "", BODY_2]) == [BODY, BODY_2]


@pytest.mark.parametrize(
    "line",
    [
        "责任编辑：王芳",
        "编辑：李明",
        "作者：张三",
        "来源：新华社",
        "【来源：江城晚报】",
        "扫码关注江城晚报微信公众号",
        "广告",
        "版权所有 江城晚报社 未经授权不得转载",
        "版權所有 海灣日報",
        "图片来源：视觉中国",
        "（图源：海湾日报资料室）",
        "图为首班夜间公交驶出始发站。",
        "资料图",
        "AI 生成的图像",
        "由 AI 报道",
        "新华社记者 李明 摄",
        "此网站使用 cookie",
        "我们使用 cookie 进行分析以改进我们的网站。",
        "拒绝",
        "发布时间：2025-10-23 08:15",
        "2025年10月23日 08:15 来源：新华社",
        "分享到微信",
    ],
)
def test_clean_chinese_boilerplate_lines_are_removed(line: str) -> None:
    body = "江北新区首条夜间公交线路于6月18日晚正式开通，每晚十点至次日凌晨两点运营。"
    body_2 = "交通部门将在运营一个月后根据客流情况调整班次。"
    assert clean([body, "", line, "", body_2]) == [body, body_2]


@pytest.mark.parametrize(
    "sentence",
    [
        "A photo of the proposed vessel circulated at the meeting showed a much smaller ship.",
        "The photographer said she had taken the picture from the roof of the station.",
        "The EU's cookie law requires websites to ask visitors before tracking them.",
        "Getty Images agreed to buy a smaller rival in a deal announced on Monday.",
        "By October, both sides had agreed to resume talks in Kuala Lumpur.",
        "Published reports suggested the talks had stalled over export controls.",
        "Share prices fell 3% in early trading after the announcement.",
        "Reuters reported that the ministry would publish the figures on Friday.",
        "The editor of the local paper said the decision had surprised readers.",
        "Subscribers to the service will pay less from next month, the company said.",
        "记者从县教育局获悉，全县十二所山区小学已完成设备安装。",
        "广告行业协会周二表示，今年线上广告收入增长了百分之十二。",
        "他在接受采访时说，这张图片拍摄于去年冬天。",
        "The Two Meet Again",
        "人们在说什么",
    ],
)
def test_clean_keeps_real_sentences(sentence: str) -> None:
    assert sentence in clean([BODY, sentence, BODY_2])
    assert not is_boilerplate(sentence)


def test_clean_caption_directly_above_a_credit_goes_with_it() -> None:
    lines = [
        "Port workers vote to end strike",
        "Dock workers leave the terminal after the vote.",
        "Jim Doe | AFP | Getty Images",
        BODY,
    ]
    kept, removed = clean_with_reasons(lines)
    assert kept == ["Port workers vote to end strike", BODY]
    assert [r.rule for r in removed] == ["caption", "getty-credit"]


def test_clean_headline_above_a_label_is_not_a_caption() -> None:
    # No full stop, and a blank line between: a title, not a caption.
    lines = ["Ferry link approved", "", "AI 生成的图像", "", BODY]
    assert clean(lines) == ["Ferry link approved", BODY]
    assert clean(["Ferry link approved", "AI 生成的图像", BODY]) == ["Ferry link approved", BODY]


def test_clean_caption_repeated_with_its_credit_is_dropped_twice() -> None:
    caption = "Workers leave the terminal in Harbor City on April 10, 2025."
    lines = [caption, caption[:-1] + ". (Photo by Jane Roe/Coastline via Getty Images)", BODY]
    assert clean(lines) == [BODY]


def test_clean_duplicate_lines_keep_one() -> None:
    assert clean([BODY, BODY, "", BODY_2]) == [BODY, BODY_2]


def test_clean_title_repeats_are_removed() -> None:
    title = "Harbour council approves ferry link"
    lines = [title, "", title, "", title.upper(), BODY, BODY_2]
    assert clean(lines, title=title) == [BODY, BODY_2]


def test_clean_related_heading_mid_article_drops_only_its_links() -> None:
    lines = [
        BODY,
        "Related articles",
        "North quay car park to close",
        "Rail line closure: five years on",
        BODY_2,
        "The council will meet again next month to approve the budget for the project.",
    ]
    kept, removed = clean_with_reasons(lines)
    assert kept == [BODY, BODY_2, lines[-1]]
    assert {r.rule for r in removed} == {"related-heading", "related-link"}


def test_clean_related_section_after_the_story_cuts_the_rest() -> None:
    story = [
        BODY,
        BODY_2,
        *(f"Paragraph {n} of the story goes on about the depot plan." for n in range(4)),
    ]
    tail = [
        "相关文章",
        "Leaders meet in Busan for talks on trade.",
        "A long summary of another story that has nothing to do with this one, in full sentences.",
        "由 AI 报道",
    ]
    assert clean(story + tail) == story


def test_clean_read_more_prompt_and_its_link() -> None:
    lines = [BODY, "Also Read:", "", BODY_2, "Read More:", "Port strike ends", "Post a Comment"]
    assert clean(lines) == [BODY, BODY_2]


def test_clean_with_reasons_names_the_rule_and_reason() -> None:
    _, removed = clean_with_reasons([BODY, "Subscribe now", "责任编辑：王芳"])
    assert [(r.index, r.rule) for r in removed] == [(1, "subscribe"), (2, "zh-editor")]
    assert all(r.reason for r in removed)


def test_clean_rules_are_named_once_and_explained() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all(rule.reason and rule.max_len > 0 for rule in RULES)
    assert get_rule("cookie").role == "line"


def test_clean_long_paragraph_is_never_matched_by_short_rules() -> None:
    long_line = "Share " + "the council said the plan would go ahead as agreed. " * 10
    assert clean([long_line]) == [long_line.strip()]
