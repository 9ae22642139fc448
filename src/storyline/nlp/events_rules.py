"""Shared vocabulary for dated events: the closed predicate list, modalities, the lexicon shape.

Each language module (``events_en``, ``events_zh``) fills one ``Lexicon``; ``events``
runs the same attachment, modality and participant logic over either.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# The closed predicate vocabulary. English and Chinese triggers map onto these names,
# so a timeline can line up 会晤 with "meet".
PREDICATES: dict[str, str] = {
    "meet": "an in-person meeting or summit (meet, summit, 会晤, 会见, 峰会)",
    "call": "a phone or video call (phone call, 通电话, 视频会晤)",
    "talk": "talks, negotiations, consultations (talks, negotiate, 会谈, 磋商, 谈判)",
    "visit": "a visit or trip (visit, trip, travel to, 访问, 出访, 抵达)",
    "impose_tariff": "tariffs imposed, raised or threatened (tariffs, 加征关税)",
    "cut_tariff": "tariffs cut, lowered or removed (reduce tariffs, tariff cuts, 降低关税)",
    "export_control": "export controls, restrictions or bans (export controls, 出口管制, 实体清单)",
    "agree": "an agreement, deal, truce or consensus (agree, deal, truce, 达成协议, 共识)",
    "sign": "a signing (sign, 签署)",
    "expire": "something runs out (expires, lapses, 到期)",
    "deadline": "a deadline (deadline, 最后期限)",
    "announce": "an announcement whose content names no other predicate (announce, 宣布)",
    "investigate": "an investigation or probe (investigation, probe, 调查)",
    "threaten": "the act of threatening (threatened, threat, 威胁)",
    "purchase": "a purchase (buy, purchase, 采购)",
    "sell": "a sale (sell, arms sale, 出售, 军售)",
    "ban": "a ban, including import bans (ban, 禁令, 禁止)",
    "sanction": "sanctions or blacklisting (sanction, 制裁)",
    "suspend": "a suspension, pause or halt (suspend, pause, 暂停)",
    "resume": "a resumption (resume, restart, 恢复, 重启)",
    "elect": "an election, vote or inauguration (elected, vote, 当选, 选举)",
    "attack": "an attack or strike (attack, airstrike, 袭击)",
    "die": "a death (died, killed, 死亡, 遇难)",
    "arrest": "an arrest or detention (arrested, detained, 逮捕)",
    "launch": "a launch, typically of a rocket (launch, lift-off, 发射)",
    "land": "a landing or return (landed, touched down, 着陆, 返回)",
    "dock": "a docking (docked, 对接)",
    "landfall": "a storm making landfall (landfall, 登陆)",
    "theft": "a theft or robbery (heist, stolen, 盗窃)",
    "testify": "testimony or a hearing (testified, hearing, 听证)",
    "summon": "a summons (summoned, 约谈, 召见)",
    "resign": "a resignation (resigned, stepped down, 辞职)",
    "release": "a publication or release (released, published)",
}

# Reporting verbs ("said on Thursday") take a date but are not events: a timex that
# attaches to one is dropped instead of wandering to the next real trigger.
SAY = "say"

# What the text commits to about an event. ``happened`` and ``scheduled`` also come
# from comparing the date with the publication date when the text has no cue.
MODALITIES = ("happened", "scheduled", "threatened", "proposed", "cancelled", "reported")

# Predicates whose conditional mention ("if ... would impose") is a threat.
PUNITIVE = frozenset({"impose_tariff", "export_control", "ban", "sanction", "attack"})
# Predicates that act on another one: in "sign a trade deal in November" the date is the
# signing's, in "suspended the tariffs on Monday" the suspension's.
GOVERNING = frozenset({"sign", "suspend", "resume"})
# Predicates with two sides, where "his counterpart" or "the two leaders" points back
# at the participants of the previous mention of the same predicate.
BILATERAL = frozenset({"meet", "call", "talk"})
# Predicates kept when their date cannot be placed ("held a phone call on Monday" on an
# undated page): acts with definite participants that a reader would want listed even
# without a day. Weak or ambient triggers (release, die, deadline) are left out.
UNDATED_PREDICATES = frozenset(
    {
        "meet",
        "call",
        "talk",
        "visit",
        "agree",
        "sign",
        "announce",
        "impose_tariff",
        "cut_tariff",
        "export_control",
        "sanction",
        "ban",
        "suspend",
        "resume",
        "purchase",
        "summon",
        "arrest",
        "resign",
    }
)
# Entity labels that can take part in an event; dates, works and the like cannot.
PARTY_LABELS = frozenset({"PER", "ORG", "GPE", "LOC", "NORP"})


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything language-specific, as compiled patterns.

    ``triggers`` and ``cues`` are alternations of named groups; ``triggers`` run on the
    text with its ASCII letters lowercased. ``trigger_names`` and
    ``cue_names`` map a group name to its predicate (or ``SAY``) and cue kind
    (``negated``, ``cancelled``, ``threatened``, ``proposed``, ``scheduled``, ``past``).
    Patterns used with ``fullmatch`` or ending in ``$`` are applied to a slice given by
    ``pos``/``endpos``.
    """

    triggers: re.Pattern[str]
    trigger_names: dict[str, str]
    cues: re.Pattern[str]
    cue_names: dict[str, str]
    hearsay: re.Pattern[str]  # "reportedly", 据报道: anywhere in the sentence
    conditional: re.Pattern[str]  # "if", 如果: a punitive predicate becomes a threat
    penalty: re.Pattern[str]  # "tariffs": a deadline in the same clause is a threat
    counterpart: re.Pattern[str]  # "his counterpart", 双方
    clause_break: re.Pattern[str]
    fronted: re.Pattern[str]  # clause text before a date that opens the clause ("On ")
    premodifier: re.Pattern[str]  # text between a date and the noun it dates ("'s ", 的)
    postmodifier: re.Pattern[str]  # text between a noun and its date ("calls held earlier")
    # "during the APEC summit", "峰会期间": a noun here anchors a time, it is not the event.
    demote_before: re.Pattern[str]  # text before the trigger, ending at it
    demote_after: re.Pattern[str]  # text right after the trigger
    trailing: re.Pattern[str]  # what may follow a date that ends its clause ("2月5日，")
    dateline: re.Pattern[str]  # right after a date, marks the dispatch date of a report
    refines: re.Pattern[str]  # between a date and a wider one that only places it ("April of this year")
    range_next: re.Pattern[str]  # text between two dates that makes them one range
    range_between: re.Pattern[str]  # before a date, lets "and" join a range ("between ... and")
    range_day: re.Pattern[str]  # (connector, end day) right after a date ("Oct. 24 to 27")
    range_in_month: re.Pattern[str]  # days right after a month-only date (10月24至27日)
    day_only: re.Pattern[str]  # a timex that names just a day ("27", "27日")
    past_form: re.Pattern[str]  # a trigger word that is itself past tense ("met")
    not_past: re.Pattern[str]  # words before such a trigger that undo it ("will be")
    not_party: re.Pattern[str]  # text before a mention that makes it a place ("in ")
    comitative: re.Pattern[str]  # text before a mention that makes it a co-agent ("with ")
    pronoun: re.Pattern[str]  # a subject pronoun opening the agent span: the speaker ("said he will")
    adjective: re.Pattern[str]  # a mention used as an adjective ("Chinese goods")
    title_gap: re.Pattern[str]  # text between a modifier and the person it qualifies
    object_stop: re.Pattern[str]  # words that end the object of a trigger ("to discuss")
    promotable: int  # how far after "announce" its content predicate may start
    left_window: int  # how far before a trigger a cue still applies
    right_window: int  # how far after
    near_window: int  # cues this close outrank the tense of the trigger itself
    negation_reach: int  # negation must sit closer than this
    agent_reach: int  # how far before a trigger its agents may stand
    object_reach: int  # how far after a trigger its objects may stand
    date_first: bool  # the date precedes its predicate (Chinese word order)


def alternation(
    entries: Sequence[tuple[str, str]], flags: int = 0, prefix: str = ""
) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern of named groups from (name, regex) entries, first listed first tried.

    Several entries may share a name (say, a specific pattern listed early and a
    general one late), so groups are numbered and mapped back to the name. ``prefix``
    guards the whole alternation, so that most positions fail before trying any entry.
    """
    groups = [f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(entries)]
    names = {f"g{i}": name for i, (name, _) in enumerate(entries)}
    return re.compile(prefix + "(?:" + "|".join(groups) + ")", flags), names
