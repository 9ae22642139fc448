"""English event triggers and modality cues."""

from __future__ import annotations

import re

from .events_rules import SAY, Lexicon, alternation

_I = re.IGNORECASE
_TARIFF = r"(?:tariffs?|duties|levies)"
_CUT = (
    r"(?:cut|cuts|cutting|lower(?:s|ed|ing)?|reduc(?:e|es|ed|ing)|slash(?:es|ed|ing)?|halv(?:e|es|ed|ing)|"
    r"roll(?:s|ed|ing)? back|lift(?:s|ed|ing)?|remov(?:e|es|ed|ing)|eas(?:e|es|ed|ing)|scrap(?:s|ped|ping)?)"
)

# Order matters where two entries can start at the same word: the specific first.
TRIGGERS: tuple[tuple[str, str], ...] = (
    ("cut_tariff", rf"\b{_CUT}\s+(?:\S+\s+){{0,3}}?{_TARIFF}\b"),
    ("cut_tariff", r"\btariffs?\s+(?:cuts?|reductions?|relief|rollbacks?)\b"),
    ("cut_tariff", rf"\b(?:reductions?|cuts?)\s+(?:in|of|to)\s+(?:\S+\s+){{0,2}}?{_TARIFF}\b"),
    (
        "export_control",
        r"\bexport\s+(?:controls?|restrictions?|curbs?|bans?|licen[cs]es?|limits?|measures?)\b"
        r"|\b(?:restrictions?|curbs?|controls?|limits?|bans?)\s+on\s+(?:the\s+)?(?:\S+\s+){0,3}?exports?\b"
        r"|\brestrict(?:s|ed|ing)?\s+(?:\S+\s+){0,3}?exports?\b|\bentity list\b",
    ),
    ("impose_tariff", rf"\b{_TARIFF}\b"),
    ("call", r"\b(?:phone|video|telephone)\s+(?:calls?|conversations?|talks)\b"),
    ("call", r"\bcalls?(?=\s+(?:with|between)\b)"),
    ("call", r"\bspo(?:ke|ken) (?:by|over the) (?:tele)?phone\b"),
    ("investigate", r"\blaunch\w*\s+(?:a|an)\s+(?:\S+\s+){0,2}?(?:investigation|probe|inquiry)\b"),
    ("investigate", r"\b(?:investigat(?:e|es|ed|ing|ion|ions)|probes?|probed|inquiry)\b"),
    ("landfall", r"\blandfall\b"),
    ("meet", r"\b(?:meet|meets|meeting|meetings|met|summit|summits|sit-down)\b"),
    ("talk", r"\b(?:talks|negotiat(?:e|es|ed|ing|ion|ions)|consultations?|discussions?)\b"),
    ("talk", r"\bdiscuss(?:es|ed|ing)?\b"),
    ("visit", r"\b(?:visit(?:s|ed|ing)?|trips?|tour)\b"),
    ("visit", r"\btravel(?:s|led|ed|ling|ing)?(?=\s+to\b)|\barriv(?:e|es|ed|ing)(?=\s+in\b)"),
    ("agree", r"\b(?:agree(?:s|d|ing)?|agreements?|deals?|accords?|consensus)\b"),
    ("agree", r"\b(?:truce|ceasefire|framework|pact)\b"),
    ("sign", r"\b(?:sign(?:s|ed|ing)?|signature)\b(?!\s+of\b)"),
    ("expire", r"\b(?:expir(?:e|es|ed|ing|y|ation)|runs? out|lapse[sd]?)\b"),
    ("deadline", r"\b(?:deadlines?|due date|cut-?off date)\b"),
    ("announce", r"\b(?:announc(?:e|es|ed|ing|ement|ements)|unveil(?:s|ed|ing)?)\b"),
    ("threaten", r"(?<!-)\bthreat(?:en|ens|ened|ening|s)?\b"),
    ("purchase", r"\b(?:purchas(?:e|es|ed|ing)|buy(?:s|ing)?|bought|procurement)\b(?![-\s]tax)"),
    ("sell", r"\b(?:sell(?:s|ing)?|sold|sales?)\b"),
    ("ban", r"\bban(?:s|ned|ning)?\b"),
    ("sanction", r"\b(?:sanction(?:s|ed|ing)?|blacklist(?:s|ed|ing)?)\b"),
    ("suspend", r"\b(?:suspend(?:s|ed|ing)?|suspension|paus(?:e|es|ed|ing)|halt(?:s|ed|ing)?)\b"),
    ("suspend", r"\b(?:froze|frozen|freez(?:e|es|ing))\b"),
    ("resume", r"\b(?:resum(?:e|es|ed|ing|ption)|restart(?:s|ed|ing)?|reopen(?:s|ed|ing)?)\b"),
    ("elect", r"\b(?:elect(?:s|ed|ing|ion|ions)?|vote[sd]?|voting|sworn in|inaugurat(?:e|ed|ion))\b"),
    ("attack", r"\b(?:attack(?:s|ed|ing)?|air ?strikes?|bomb(?:s|ed|ing|ings)?|shell(?:ed|ing))\b"),
    ("attack", r"\b(?:invad(?:e|es|ed|ing)|invasion)\b"),
    # Only a strike on something: "struck a deal" is no attack.
    ("attack", r"\b(?:strikes?|struck)(?=\s+(?:on|at|against|near|targets?|positions?)\b)"),
    ("die", r"\b(?:die[sd]?|dying|deaths?|killed|passed away)\b"),
    ("arrest", r"\b(?:arrest(?:s|ed|ing)?|detain(?:s|ed|ing)?|detention|taken into custody)\b"),
    ("launch", r"\b(?:launch(?:es|ed|ing)?|lift-?off|blast(?:s|ed)? off)\b"),
    ("land", r"\b(?:land(?:s|ed|ing)|touch(?:es|ed)? down|splash(?:ed)? ?down)\b"),
    ("land", r"\breturn(?:s|ed|ing)? to earth\b"),
    ("dock", r"\bdock(?:s|ed|ing)\b"),
    ("theft", r"\b(?:heists?|theft|thefts|stole|stolen|robbery|robbed|burglary)\b"),
    ("testify", r"\b(?:testif(?:y|ies|ied|ying)|testimony|hearings?)\b"),
    ("summon", r"\bsummon(?:s|ed|ing)?\b"),
    ("resign", r"\b(?:resign(?:s|ed|ing|ation)?|step(?:s|ped)? down)\b"),
    ("release", r"\b(?:releas(?:e|es|ed|ing)|publish(?:es|ed|ing)?)\b"),
    (
        SAY,
        r"\b(?:say|says|said|saying|told|tells?|added|noted|stated|stress(?:ed|es)|emphasi[sz](?:ed|es)|"
        r"mentioned|hinted|wrote|posted|tweeted|explained|confirm(?:s|ed|ing)?|reported|commented|insisted|"
        r"argued|claimed|revealed|disclosed|remarked|acknowledged|responded|replied)\b",
    ),
)

# Cue kinds, tried in this order where two start at the same word.
CUES: tuple[tuple[str, str], ...] = (
    ("threatened", r"\b(?:possibility|threat\w*|warn\w*) (?:of|to) cancel\w*"),
    ("scheduled", r"\baccept\w* (?:\S+ )?invitation\b|\bagreed to\b"),
    ("negated", r"\b(?:not|never|no longer|no plans? to|avoid(?:s|ed|ing)?)\b|n['’]t\b"),
    (
        "cancelled",
        r"\b(?:cancel\w*|call(?:s|ed|ing)? off|postpon\w*|scrap(?:s|ped|ping)?|shelved|put off|"
        r"delay(?:s|ed|ing)?|scuttl\w*|abandon(?:s|ed|ing)?|pull(?:s|ed)? out of)\b",
    ),
    ("threatened", r"(?<!-)\b(?:threat\w*|warn(?:s|ed|ing)?|ultimatum|vow(?:s|ed)? to retaliate)\b"),
    ("proposed", r"\b(?:propos\w*|suggest\w*|offer(?:s|ed|ing)?|invit\w*|floated|call(?:s|ed|ing)? for)\b"),
    (
        "scheduled",
        r"\b(?:will|shall|would|set to|scheduled|slated|due to|expect(?:s|ed|ing)?|poised to|going to|"
        r"plan(?:s|ned|ning)?|upcoming|anticipated|intend(?:s|ed)? to|aim(?:s|ed)? to|hope[sd]? to|"
        r"is to|are to|prepar\w+ (?:to|for)|looms|ahead)\b|['’]ll\b",
    ),
    ("past", r"\b(?:was|were|had|did|has|have|held|made|took|struck|reached|wrapped up|\w{2,}ed)\b"),
)

EN = Lexicon(
    # Triggers are matched on lowercased text: a case-blind alternation is six times slower,
    # and so is \b against a plain check that a word starts here.
    *alternation(TRIGGERS, prefix=r"(?<![a-z])(?=[a-z])"),
    *alternation(CUES, _I),
    hearsay=re.compile(
        r"\b(?:reportedly|reported(?= that| on| \w+day)|according to (?:\S+\s+){0,3}?(?:reports?|sources?|"
        r"people|media|insiders|individuals)|sources? (?:said|say|told|close|familiar)|people (?:familiar|"
        r"close|briefed)|(?:is|are|was|were) said to|it is understood|rumou?r\w*|insiders)\b",
        _I,
    ),
    conditional=re.compile(r"\b(?:if|unless|otherwise|or else)\b", _I),
    penalty=re.compile(
        r"\b(?:tariffs?|sanctions?|penalt\w+|bans?|duties|restrictions?|curbs?|retaliat\w+|consequences)\b",
        _I,
    ),
    counterpart=re.compile(
        r"\b(?:counterparts?|him|her|them|each other|the two|both (?:leaders|sides|men|presidents))\b",
        _I,
    ),
    # Subordinators open a clause only before a subject: "since Trump returned", not "since January".
    clause_break=re.compile(
        r"[;:](?!\d)|\s[—–-]{1,2}\s|[()]|\b(?:that|which|who|whom|whose|while|whereas|although|though|because|"
        r"when|whereupon|but)\b|\b(?:since|after|before|until|once|if|unless)\b(?=\s+(?:[A-Z]|(?:he|she|they|it|"
        r"we)\b))"
    ),
    fronted=re.compile(
        r"\W*(?:(?:on|in|at|by|since|from|during|as of|until|last|earlier|later|early|late|this|next|the|and|"
        r"but|so|then|also|as early as)\s+)*",
        _I,
    ),
    premodifier=re.compile(r"(?:['’]s)?\s"),
    postmodifier=re.compile(
        r"\s+(?:held|scheduled|planned|set|slated|due|expected|taking place|that took place)\s+"
        r"(?:for\s+|on\s+|in\s+)?",
        _I,
    ),
    demote_before=re.compile(
        r"\b(?:during|ahead of|before|after|since|following|amid|at|on the sidelines of)\s+"
        r"(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?(?:\S+\s+){0,2}$",
        _I,
    ),
    demote_after=re.compile(r"(?!)"),
    trailing=re.compile(r"[\s,]*"),
    # "PARIS, Oct 19 (Meridian Wire) -": the date of the report, not of an event.
    dateline=re.compile(r"\s*\([^()]{2,40}\)\s*[-—–]"),
    refines=re.compile(r"\s*,?\s*(?:of\s+)?"),
    range_next=re.compile(r"\s*(?:-|–|—|to|through|thru|until|till)\s*", _I),
    range_between=re.compile(r"\bbetween\s+$", _I),
    range_day=re.compile(
        r"\s*(-|–|—|to|through|thru|until|till|and)\s*(\d{1,2})\b(?![.,]?\d|\s*(?:%|percent\b|:))", _I
    ),
    range_in_month=re.compile(r"(?!)"),
    day_only=re.compile(r"\d{1,2}"),
    past_form=re.compile(r"\w+ed|met|held|spoke|sold|bought|struck|took|made|won|fought|stole|stolen", _I),
    not_past=re.compile(r"\b(?:be|been|being|to|will|would|is|are)\s+$", _I),
    # "in Busan", "in the Amazon city of Belém", "in the far north of the Philippines".
    not_party=re.compile(
        r"(?:\b(?i:in|at|near|from|across|inside|outside|around|throughout|within|during|on the sidelines of|"
        r"into|toward|towards|via|aboard)\s+(?:the\s+)?|\b(?i:on)\s+the\s+(?=[a-z]+\s+(?:[a-z]+\s+)?of\b))"
        r"(?:(?:[A-Z][\w-]*\s+){0,2}(?i:city|town|capital|province|region|state|port|village|county|island|coast)"
        r"\s+of\s+|(?:[a-z]+\s+){1,3}of\s+(?:the\s+)?)?$"
    ),
    comitative=re.compile(r"\b(?:with|and)\s+$", _I),
    pronoun=re.compile(r"\s*(?:that\s+)?(?:he|she|they)\b", _I),
    # "Chinese" in "his Chinese counterpart" qualifies a noun; it does not take part.
    adjective=re.compile(r"[A-Z][a-z]+(?:ese|ian|ean|can|ish)(?=\s+[a-z])|\S+(?=\s+(?:local\s+)?time\b)"),
    title_gap=re.compile(
        r"\.?(?:['’]s?)?(?:\s+(?:[A-Z][\w.-]*|vice|deputy|former|then|acting|presidential|national|security|"
        r"foreign|trade|commerce|finance|defen[cs]e|chief|top|prime|press|state|senior|minister|secretary|"
        r"adviser|advisor|president|premier|spokes(?:person|man|woman)|ambassador|envoy|negotiator|leader|"
        r"official|director|chairman|chief executive|ceo|head|general|governor|senator|lawmaker))*\s+"
    ),
    # Case matters: "to discuss" ends the object, "to Beijing" does not.
    object_stop=re.compile(
        r"\b(?:to (?!the\b|an?\b|his\b|her\b|its\b|their\b)[a-z]\w*|as part of|amid|after|before|because|"
        r"while|since|ahead of|despite|if|unless|and (?:is|are|was|were|will|has|have|had|[a-z]+ed)|about|"
        r"over)\b"
        r"|,\s*and\b"
    ),
    promotable=40,
    left_window=60,
    right_window=15,
    near_window=25,
    negation_reach=20,
    agent_reach=120,
    object_reach=80,
    date_first=False,
)
