"""English attribution vocabulary for ``quotes_en``: cue verbs and nouns, function words, roles.

The cue lists were mined from PolNeAR's training data and kept where a word,
when it appears, is an annotated cue often enough to pay for its false hits.
"""

from __future__ import annotations

import re

__all__ = [
    "ARTICLES",
    "ASIDES",
    "AUX",
    "BELIEF",
    "BOUNDARY",
    "CLAUSE_BREAKS",
    "CLAUSE_OPENERS",
    "CUE_TAIL",
    "CUE_WORDS",
    "DETERMINERS",
    "FINDERS",
    "FINITE",
    "IMPERSONAL",
    "INVERTED_ONLY",
    "LEMMA",
    "MODIFIERS",
    "NOT_COMPLEMENT",
    "NOT_SPEAKERS",
    "NOUNS",
    "NOUN_CUES",
    "OBJECTS",
    "PARTICIPLES",
    "PARTICLE",
    "PASSIVE",
    "PERSONAL",
    "PLACE_PREPS",
    "PLURAL_SUBJECTS",
    "POSSESSIVES",
    "PREPS",
    "PRONOUNS",
    "PUNCT",
    "QUANTIFIERS",
    "QUESTION_WORDS",
    "ROLES",
    "ROLE_PREP",
    "SPEECH",
    "STANCE",
    "STOPS",
    "TAIL_PREPS",
    "TAIL_WORDS",
    "TAKES_OBJECT",
    "TIME_LEADS",
    "TIME_WORDS",
    "TITLES",
    "WEEKDAYS",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(text: str) -> frozenset[str]:
    return frozenset(" ".join(p.split()) for p in text.split("|"))


def _regular(verb: str, double: bool) -> list[str]:
    """The -s, -ed and -ing forms of a regular verb ("slam+" doubles: "slammed")."""
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = verb + "es"
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        third = verb[:-1] + "ies"
    else:
        third = verb + "s"
    if double:
        return [third, verb + verb[-1] + "ed", verb + verb[-1] + "ing"]
    if verb.endswith("e"):
        return [third, verb + "d", verb[:-1] + "ing"]
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return [third, verb[:-1] + "ied", verb + "ing"]
    return [third, verb + "ed", verb + "ing"]


def _inflect(spec: str) -> dict[str, str]:
    """{form: lemma} from "praise slam+ say:says:said:saying =stated" (regular, doubled, listed, single)."""
    out = {}
    for item in spec.split():
        if item.startswith("="):
            out[item[1:]] = item[1:]
            continue
        lemma = item.split(":")[0].rstrip("+")
        forms = item.split(":") if ":" in item else [lemma, *_regular(lemma, item.endswith("+"))]
        out.update(dict.fromkeys(forms, lemma))
    return out


# Verbs that report speech: they take a clause or a quotation, and the
# inverted order after one ('"...," said Jackson'). Forms are left out where
# they are mostly nouns or adjectives ("the state", "the answering machine").
SPEECH = _inflect(
    """say:says:said:saying add write:writes:wrote:writing tell:tells:told:telling note explain argue claim
    insist acknowledge admit+ declare =stated =stating tweet warn recall concede contend assert complain
    conclude confirm reveal emphasize emphasise stress respond reply counter:countered allege predict
    promise pledge vow observe remark:remarked joke quip+ boast suggest announce report ask
    continue:continues:continued answer:answered retort exclaim shout yell testify repeat reiterate deny
    caution post lament recount:recounted muse wonder agree:agrees:agreed read:reads assure inform chant
    scream:screamed cry:cried"""
)
# Verbs of belief and finding: "X believes (that) ...", "the poll found ...".
BELIEF = _inflect(
    """believe think:thinks:thought:thinking hope fear worry:worries:worried know:knows:knew
    expect:expects:expected doubt:doubts:doubted suspect:suspects:suspected find:finds:found
    show:shows:showed:shown:showing indicate learn:learns:learned:learnt realize:realizes:realized
    understand:understands:understood imply:implies:implied estimate:estimates:estimated
    =sees =seen =feel =reminded =remarking =titled =ruled =attacked =attacking =pushing =favor =aimed
    =recognized =supports"""
)
# Verbs whose object is what is attributed: "Cruz criticized the deal". Kept
# are those right at least a third of the time on PolNeAR's training data (below
# that a cue costs F1); "support", "attack" and "plan" did not make it.
STANCE = _inflect(
    """criticize criticise praise endorse accuse defend reject blast dismiss urge blame call describe cite
    question denounce condemn slam+ mock echo order refuse decline express mention discuss challenge label
    =labelled dub+ thank applaud hail lambaste tout propose offer seek:seeks:sought:seeking oppose back
    welcome rip+ chide scold rebuke berate ridicule insult demand want:wants:wanted decide:decides:decided
    refer+ point characterize talk =voiced portray decry highlight rail =emailed plead threaten prefer+
    disclose signal =signalled quote retweet assail reference:referenced:referencing liken apologize invoke
    bemoan =commented interject:interjected deride speculate congratulate outline advocate proclaim rebuff
    remember list nominate:nominated hint attribute
    =see =supported =clear =looking =seem =view =assertion =named =encouraged =pushed =recognize
    =identified =comparing =voted =shared =intended =considering =considered =sounded =passed =ignored
    =blocked =approved =noticed =considers =requested =devoted"""
)
# Verbs that are cues only with their particle: "pointed out", "went on".
PARTICLE = {
    **dict.fromkeys(("point", "points", "pointed", "pointing"), ("out", "to")),
    **dict.fromkeys(("went", "goes"), ("on",)),
}
# Prepositions that belong to the cue when they follow it: "referring to", "talked about".
PREPS = {
    item.split(":")[0]: tuple(item.split(":")[1].split(","))
    for item in _words(
        """refer:to talk:about respond:to reply:to apologize:for call:for,on rail:against advocate:for
        plead:for agree:to,with commented:on speculate:about,on warn:of,about,against complain:about
        ask:about testify:about write:about say:of boast:about joke:about worry:about hope:for
        think:about,of know:about learn:about,of express:support hint:at
        pushing:for favor:of aimed:at devoted:to"""
    )
}
LEMMA = {**STANCE, **BELIEF, **SPEECH, "went": "go", "goes": "go"}
# Forms that are more often nouns ("the state", "his support", "a post").
NOUNS = _words(
    """state states post posts support supports attack attacks back backs challenge challenges rebuke call
    calls plan plans offer offers order orders report reports claim claims question questions fear fears
    hope hopes doubt doubts thanks demand demands echo echoes knock knocks label labels dub welcome cry
    tweet tweets answer promise promises pledge pledges vow vows estimate estimates show shows find
    finds mention mentions charge counter joke jokes remark remarks note notes repeat insult ridicule
    reply comment read recount quip cite cites decline declines rip rips"""
)
# Cues that only count after a quotation ('"...," he continued').
INVERTED_ONLY = frozenset({"continue", "read", "answer", "go", "cry", "scream"})
TAKES_OBJECT = frozenset({"tell", "assure", "remind", "inform", "warn", "ask"})
PARTICIPLES = frozenset(f for f in LEMMA if f.endswith("ing"))
PASSIVE = _words("be been being is was are were am 's ’s")

PRONOUNS = _words("he she they i we it you who which")
PERSONAL = _words("he she they i we")
OBJECTS = _words("him her them me us you reporters supporters voters journalists")
DETERMINERS = _words(
    """the a an his her their its our my your this these those many some most several both all other others
    few one two three four five each another any such"""
)
TITLES = _words(
    """mr mrs ms dr sen sens rep reps gov gen lt col sgt prof rev st jr sr adm capt cmdr maj pres supt hon
    messrs"""
)
AUX = _words(
    """has have had also later previously repeatedly recently publicly once then would will could might may
    did does do not never often always just already even still first again long earlier quickly simply
    flatly privately openly reportedly initially ultimately immediately specifically further famously
    frequently last week yesterday has’s"""
)
TAIL_WORDS = _words(
    """later earlier too again recently then also last this yesterday today tonight publicly privately
    repeatedly flatly simply afterward afterwards"""
)
ARTICLES = _words("the a an this that these those every another no")
# Verbs that attribute a view to nobody in particular: "the race appears closer".
IMPERSONAL = _words("seems seemed appear appears appeared expected")
# Nouns that report a stance with their preposition: "criticism of", "support for".
NOUN_CUES = {
    item.split(":")[0]: item.split(":")[1]
    for item in _words(
        """criticism:of support:for attacks:on attack:on opposition:to endorsement:of questions:about
        concerns:about criticisms:of praise:for calls:for call:for complaints:about doubts:about
        assessment:of description:of"""
    )
}
CUE_WORDS = frozenset({*LEMMA, *NOUN_CUES, "according", "that", *IMPERSONAL})
CLAUSE_BREAKS = _words("while after before although though whereas with which who")
CLAUSE_OPENERS = _words("""that because and but or while when where if although though since so as""")
QUANTIFIERS = _words("some many most others few several both all one another each")
MODIFIERS = _words("former longtime veteran senior top chief then fellow")
PLURAL_SUBJECTS = _words(
    """voters polls surveys studies observers residents opponents protesters activists sources documents
    records data results advocates scientists investigators prosecutors lawmakers legislators people
    americans delegates superdelegates donors pollsters republicans democrats conservatives liberals
    progressives independents candidates organizers authorities police officials critics analysts
    experts aides advisers supporters economists leaders members reporters"""
)
TAIL_PREPS = _words("""in at on during after before from with of via for about through amid by""")
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
TIME_WORDS = _words(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tonight morning afternoon
    evening night week weekend month"""
)
TIME_LEADS = _words("on last this early late earlier later")
# Words that make a clause of what follows a cue, so it is content, not a modifier.
FINITE = _words(
    """that is was are were be been has have had will would can could should may might must do does did am
    's ’s 're ’re 'll ’ll"""
)
PLACE_PREPS = _words("in on at during to after before while")
# Words that close the subject on its left.
BOUNDARY = _words(
    """that because and but or while when as after before since although though if so where whether than
    until unless how why what whom whose yet nor to of in on at for with from by about into over under
    against during without through between among amid despite like per"""
)
# Prepositions allowed inside a source after a role noun ("a spokesman for Sanders").
ROLE_PREP = frozenset({"for", "of", "at", "with", "from", "in"})
ROLES = _words(
    """spokesman spokeswoman spokesperson aide aides adviser advisers advisor advisors director chairman
    chairwoman chair member members official officials secretary leader leaders head president minister
    professor analyst analysts spokespeople representative representatives manager strategist
    strategists expert experts fellow researcher researchers economist economists executive executives
    founder lawyer lawyers attorney senator governor mayor reporter editor correspondent staffer
    staffers counsel ceo officer officers supporter supporters critic critics friend friends author
    authors group spokesmen"""
)
# Short asides between a subject and its verb: "Rogers, for example, said".
ASIDES = _phrases(
    """for example|however|though|too|meanwhile|in turn|instead|for instance|also|moreover|in
    fact"""
)
PUNCT = frozenset(",;:.!?()[]—–\"“”''«»")
STOPS = frozenset(".!?;")

_TIME = (
    r"(?:(?:on|last|this|early|late|earlier|later)\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight)"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:last|this|earlier this|later this)\s+(?:week|month|year|morning|weekend)|earlier|later|recently"
)
_MEDIUM = (
    r"(?:statement|interview|speech|tweet|email|e-mail|letter|post|op-ed|memo|release|video|analysis"
    r"|report|column|editorial|essay|message|posting|note|appearance|address|conversation)"
)
_NAME = r"[A-Z][\w.’'&-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w.’'&-]*)*"
# What may follow a cue before its content: "said Monday in a statement to CNN that".
CUE_TAIL = re.compile(
    rf"(?:\s*,?\s*(?:{_TIME}"
    rf"|(?:in|during|on)\s+(?:a|an|his|her|their|its|the)\s+(?:[\w’'-]+\s+){{0,3}}{_MEDIUM}s?"
    rf"(?:\s+(?:with|to|on|from|for)\s+(?:the\s+)?{_NAME})?"
    rf"|on\s+(?:Twitter|Facebook|Instagram|{_NAME}(?:[’']s)?(?:\s+[“\"]?{_NAME}[”\"]?)?)"
    r"|to\s+(?:reporters|supporters|the\s+\w+|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)"
    r"|at\s+(?:a|an|the|his|her)\s+(?:[\w-]+\s+){0,2}(?:conference|rally|hearing|briefing|event|debate"
    r"|meeting|forum|speech|dinner|luncheon|appearance|town hall)"
    r"|publicly|privately|repeatedly|again|also|then|too|afterward|afterwards|flatly|simply|bluntly"
    r"|in\s+(?:an?\s+)?(?:court\s+)?(?:filings?|documents?|testimony|remarks)))+"
)


# Line labels that are not speakers: "UPDATE: ...", "Editor's note: ...".
NOT_SPEAKERS = _phrases(
    """update|updated|breaking|the latest|contributing|twitter|revealed|byline|wow|editor’s note|
    editor's note|name|note|related|watch|read more|photo|photos|source|sources|correction|exclusive|
    analysis|opinion|video|listen|warning|see also|delegate update|pledged|q|a"""
)
QUESTION_WORDS = _words("whether if what how why who when where which")
# Words before "that" that do not attribute: "so that", "is that", "such that".
NOT_COMPLEMENT = FINITE | BOUNDARY | AUX | _words("such now given means ensured ensures")
POSSESSIVES = _words("his her their its our my")
# Sources that are documents: "the poll shows", "a new survey finds".
FINDERS = _words("poll survey study report analysis data research review audit")
