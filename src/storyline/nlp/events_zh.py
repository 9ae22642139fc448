"""Chinese event triggers and modality cues, mapped onto the English predicate names."""

from __future__ import annotations

import re

from .events_rules import SAY, Lexicon, alternation

_GAP = r"[^，。；,;]{0,6}?"

# Order matters where two entries can start at the same character: the specific first.
TRIGGERS: tuple[tuple[str, str], ...] = (
    ("cut_tariff", rf"(?:降低|下调|削减|减免|取消|撤销|暂停加征){_GAP}关税|关税(?:减免|下调|削减)"),
    ("impose_tariff", rf"(?:加征|征收|提高){_GAP}关税|关税"),
    ("export_control", r"出口管制|出口限制|出口禁令|管制措施|限制出口|禁止出口|实体清单"),
    ("call", r"通电话|通话|电话会谈|电话交谈|视频会晤|视频通话|视频会议"),
    ("meet", r"会晤|会面|会见|见面|峰会|晤面"),
    ("talk", r"会谈|磋商|谈判|协商|对话|商谈"),
    ("visit", r"国事访问|访问|访华|访美|访日|出访|到访|抵达|前往"),
    ("agree", rf"达成{_GAP}(?:协议|共识|一致)|协议|协定|共识|休战|停火|同意"),
    ("sign", r"签署|签订|签约"),
    ("expire", r"到期|届满|期满"),
    ("deadline", r"最后期限|截止日期|期限"),
    ("announce", r"宣布|公布|发布|宣告|提醒"),
    ("investigate", r"调查|审查|立案"),
    ("threaten", r"威胁|扬言"),
    ("purchase", r"购买|采购|收购|买入"),
    ("sell", r"出售|售出|销售|军售"),
    ("ban", r"禁令|禁运|禁止|暂停进口"),
    ("sanction", r"制裁"),
    ("suspend", r"暂停|中止|暂缓|冻结|叫停"),
    ("resume", r"恢复|重启|重新开放"),
    ("elect", r"当选|选举|大选|投票|宣誓就职|就职"),
    ("attack", r"袭击|攻击|空袭|轰炸|入侵"),
    ("die", r"死亡|去世|逝世|遇难|身亡|丧生|罹难"),
    ("arrest", r"逮捕|拘留|被捕|羁押|抓获"),
    ("launch", r"发射|升空"),
    ("land", r"着陆|返回地球|降落|返航"),
    ("dock", r"对接"),
    ("landfall", r"登陆"),
    ("theft", r"盗窃|失窃|被盗|劫案|抢劫"),
    ("testify", r"听证|作证"),
    ("summon", r"约谈|召见|传唤"),
    ("resign", r"辞职|辞去|下台|卸任"),
    (SAY, r"表示|指出|强调|透露|介绍|回应|报道|证实|提到|写道|声称|宣称|说|称"),
)

CUES: tuple[tuple[str, str], ...] = (
    ("negated", r"不会|不再|没有|并未|并不|未(?!来|能|经)|拒绝|避免"),
    ("cancelled", r"取消|推迟|延期|延后|推后|搁置"),
    ("threatened", r"威胁|扬言|警告|否则|最后通牒"),
    ("proposed", r"提议|建议|提出|邀请"),
    ("scheduled", r"将于|将会|将要|即将|将|计划|预计|定于|拟|准备|有望|打算|预定|预期|届时|期待"),
    # 了 as in 为了 or 了解 is no past marker.
    ("past", r"已经|已于|已|曾经|曾|此前|以来|刚刚|(?<!为)了(?!解)"),
)

_TITLE = (
    r"主席|总统|总理|首相|部长|外长|大使|发言人|国务卿|秘书|顾问|议员|委员|书记|官员|代表|领导人|"
    r"董事长|总裁|首席执行官|负责人|司令"
)

ZH = Lexicon(
    *alternation(TRIGGERS),
    *alternation(CUES),
    hearsay=re.compile(r"据报道|据悉|据称|据传|传出|消息人士|知情人士|报道称|援引|据了解"),
    conditional=re.compile(r"如果|若|一旦|否则|除非|假如"),
    penalty=re.compile(r"关税|制裁|惩罚|限制|管制|报复"),
    counterpart=re.compile(r"对方|双方|两国元首|两国领导人|两位领导人|他|她"),
    # Chinese commas separate clauses more often than English ones do.
    clause_break=re.compile(r"[，,；;：:()（）【】\[\]]"),
    fronted=re.compile(r"(?!)"),
    premodifier=re.compile(r"的?"),
    postmodifier=re.compile(r"(?!)"),
    demote_before=re.compile(r"(?!)"),
    demote_after=re.compile(r"期间|之际|前夕|之前|之后|以来"),
    trailing=re.compile(r"[\s，,]*"),
    # "东京10月10日电": the date of the dispatch, not of an event.
    dateline=re.compile(r"电"),
    refines=re.compile(r"(?!)"),
    range_next=re.compile(r"\s*(?:至|到|-|－|—|~|～)\s*"),
    range_between=re.compile(r"(?!)"),
    range_day=re.compile(r"(?!)"),
    range_in_month=re.compile(r"(\d{1,2})[日号]?\s*(?:至|到|-|－|—|~|～)\s*(\d{1,2})[日号]"),
    day_only=re.compile(r"\d{1,2}[日号]"),
    past_form=re.compile(r"(?!)"),
    not_past=re.compile(r"(?!)"),
    not_party=re.compile(r"(?:在|于|赴|从|自|经|途经|来自)$"),
    comitative=re.compile(r"(?:与|同|和|跟)$"),
    pronoun=re.compile(r"\s*(?:他|她)"),
    adjective=re.compile(r"(?!)"),
    title_gap=re.compile(rf"的?[\u4e00-\u9fff·]{{0,8}}?(?:{_TITLE})|"),
    object_stop=re.compile(r"(?!)"),
    promotable=8,
    left_window=30,
    right_window=3,
    near_window=8,
    negation_reach=6,
    agent_reach=40,
    object_reach=20,
    date_first=True,
)
