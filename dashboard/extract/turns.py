"""Transcript turns: speaker labels split a briefing, talks or press conference into turns.

A *label* names who speaks next and ends with a colon:

- en.kremlin.ru: ``President of Russia Vladimir Putin:``, ``Prime Minister of the Republic of
  Armenia Nikol Pashinyan:``, ``Question:``, ``Remark:``, ``Question (retranslated):``;
- White House briefings: ``MS. PSAKI:``, ``THE PRESIDENT:``, ``SECRETARY BLINKEN:``, and ``Q``
  opening a journalist's question;
- foreign-ministry briefings and press conferences: ``Maria Zakharova:``, ``Question:``,
  ``Answer:``, ``Journalist (Haberturk):``, ``Q:`` / ``A:``.

A label opens a paragraph, or, in texts scraped as one long line, follows the end of a
sentence. Each paragraph from a label to the next is a statement of that turn's speaker.

Who a label names is resolved through the speakers table (the person in office on the
document's date); an unknown person is kept with the name, role and country the label states
("President of Tajikistan Emomali Rahmon" -> TJK). A role label alone ("THE PRESIDENT") is
whoever held that office for the publishing country on the date. Journalists' questions
(``Q``, ``Question``, ``Remark``, ``Journalist ...``) are turns of kind ``question`` with no
country: no state said them. ``Answer``/``A`` continues the document's own speaker.

Not labels: a colon inside quotation marks, list items ("• Armenia: ...", "1. Baku: ..."),
headings ("Key points:", "The message reads, in part:"), an actor's name ("Azerbaijan:"),
and lines whose text after the colon is a few words without a sentence (a list of names and
posts). In the middle of a paragraph only a label that is sure (a person of the speakers
table, a role and a full name, a question label in a transcript, or a label the same
document uses at the start of a paragraph) opens a turn.

Everything here is linear in the length of the text: one pass over paragraph starts, one
regex pass over the colons, each looked at within a bounded window.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from dashboard.extract.attribution import _ORG_WORDS
from dashboard.extract.mentions import ActorMatcher
from dashboard.extract.speakers import Person, Registry

QUESTION_LABELS = frozenset(
    """q question questions remark comment follow-up reporter journalist journalists correspondent
    audience audience member participant voice voices press media""".split()
)
ANSWER_LABELS = frozenset({"a", "answer", "response", "reply"})
#: Labels of the publishing institution's staff who are not named ("MODERATOR").
STAFF_LABELS = frozenset(
    {"moderator", "senior administration official", "administration official",
     "senior state department official", "state department official", "senior official",
     "official", "spokesperson", "press secretary", "the press secretary", "operator",
     "presenter", "host"}
)  # fmt: skip
#: Role labels resolved to whoever held the office on the date ("THE PRESIDENT").
OFFICE_LABELS = {
    "the president": "president", "president": "president",
    "the vice president": "vice president", "vice president": "vice president",
    "the prime minister": "prime minister", "prime minister": "prime minister",
    "the secretary": "secretary of state", "the minister": "foreign minister",
}  # fmt: skip
#: First words of a line ending in a colon that is a heading, not a person.
_NOT_PEOPLE = frozenset(
    """note notes deadline source sources update updated photo photos video read see agenda date time
    place location subject topic topics attention warning message quote example examples participants
    results background contents summary keywords tags share reference translation transcript excerpts
    excerpt full statement statements press release editor tel phone email fax address website
    key main highlights details follow links link watch listen live breaking urgent context
    venue title theme programme program schedule annex attachment appendix list total
    also meanwhile however thus therefore for from as in on at by with after before during
    then first second third finally today yesterday his her their our its my your this that these
    those there here it we they he she i you what why how who when where corridor region district
    border province city village town river lake sea mountains street square bridge""".split()
)
#: Words of a role, which stand before the name in a label ("Deputy Prime Minister Tatyana Golikova").
_ROLE_WORDS = frozenset(
    """president prime minister deputy first vice chairman chairwoman chairperson chair head secretary
    press spokesperson spokesman spokeswoman ambassador governor mayor director general chief ceo
    executive adviser advisor aide presidential plenipotentiary envoy special representative
    commissioner commander speaker acting foreign defence defense interior finance economic energy
    justice health culture education sport sports transport emergencies agriculture industry trade
    digital development labour labor construction natural resources ecology science communications
    mass affairs security council state federal district region territory republic board chamber
    commerce government national assembly parliament duma supreme court senior administration
    official officer high leader member party founder managing partner professor dr mr mrs ms miss
    sir madam his her excellency hon honourable honorable the of and for on in to at senator
    congressman congresswoman representative rep sen gov admiral colonel major captain lieutenant
    sergeant judge attorney prosecutor ombudsman ombudsperson crown prince king queen emir sheikh
    sultan pope patriarch metropolitan archbishop bishop grand mufti rector minister's administrator
    coordinator surgeon czar envoy""".split()
)
#: Words that end the name of a university, company or agency rather than start a person's name.
_INSTITUTION_TAIL = frozenset(
    """design technologies technology industrial sciences studies research engineering arts economics
    management medicine railways airlines holding group systems""".split()
)
#: The nouns that make a role: a label's words before the name must hold one (or name a country).
_TITLE_NOUNS = frozenset(
    """president minister secretary spokesperson spokesman spokeswoman ambassador governor mayor
    director chief ceo adviser advisor aide envoy representative commissioner commander speaker
    chairman chairwoman chairperson chair head leader senator congressman congresswoman rep sen gov
    admiral general colonel major captain lieutenant sergeant judge attorney prosecutor ombudsman
    ombudsperson prince king queen emir sheikh sultan pope patriarch metropolitan archbishop bishop
    mufti rector administrator coordinator surgeon czar officer official premier chancellor deputy
    founder partner professor dr mr mrs ms miss sir madam excellency hon honourable honorable
    plenipotentiary presidential member counsel""".split()
)
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "madam", "the"})
#: Lower-case particles inside a name ("Mohammed bin Salman", "Ursula von der Leyen").
_PARTICLES = frozenset({"bin", "ibn", "al", "el", "de", "da", "del", "della", "di", "van", "von", "der",
                        "den", "le", "la", "du", "oglu", "ogly", "y"})  # fmt: skip
_CONNECTORS = frozenset({"of", "the", "and", "for", "on", "in", "to", "at", "de", "da", "von", "van",
                         "der", "al", "el", "bin", "ibn", "la", "le", "du", "y", "oglu", "ogly"})  # fmt: skip
#: Words of an office of the state, for unknown people of an official transcript whose label
#: gives no country: in the Kremlin's own transcript, a "Deputy Prime Minister" is Russia's.
_STATE_OFFICE = re.compile(
    r"\b(?:minister|governor|presidential|press secretary|spokes(?:person|man|woman)|aide|envoy|"
    r"plenipotentiary|security council|prosecutor general|chief of (?:the )?general staff|"
    r"commander|head of the (?:federal|presidential|government)|director of the federal|"
    r"secretary of state|national security advis[eo]r|chief of staff)\b",
    re.IGNORECASE,
)
_TOP_OFFICES = (("prime minister", "prime minister"), ("president", "president"), ("chancellor", "chancellor"))
_TOKEN = re.compile(r"[^\s]+")
_PAREN = re.compile(r"\s*\(([^()\n]{0,60})\)\s*$")
_LEAD = re.compile(r"^[\W_]*")  # emoji, bullets and marks before a label's first letter
_LIST_ITEM = re.compile(r"^\s*(?:[-\u2013\u2014\u2022\u25cf\u25aa\u25e6*\u2023\u2043]|\d{1,3}[.)]|[a-z][.)])\s")
_START_LABEL = re.compile(r"(?P<label>[^\n:]{1,120}?)\s*:(?=\s|$)")
_Q_START = re.compile(r"(?P<label>Q)(?:\s*[:.]\s*|\s+)(?=[\"\u201c\u2018'A-Z0-9(\u2014\u2013-])")
_INLINE_COLON = re.compile(r":[ \t\u00a0]+(?=[\"\u201c\u00ab\u2018(\[A-Z0-9\u2014\u2013-])")
_INLINE_BOUNDARY = re.compile(r"(?:[.!?\u2026*\u00bb\u201d\")\]]|\*\s\*\s\*)\s+")
_SENTENCE_END = re.compile(r"[.!?\u2026\"\u201d\u00bb)]\s*$")
MAX_LABEL_WORDS = 14
INLINE_LOOKBACK = 130


@dataclass(frozen=True)
class Label:
    """What a label says: who (as far as the label alone tells) and which kind of turn follows."""

    text: str
    role: str  # person | question | answer | staff | office
    name: str | None = None  # the person's name as written (title-cased from capitals)
    office: str | None = None  # for role labels ("THE PRESIDENT") and the role words before a name
    country: str | None = None  # the country the label states
    strong: bool = False  # sure enough to open a turn in the middle of a paragraph


@dataclass(frozen=True)
class Turn:
    label_start: int
    body_start: int  # just after the label's colon (and spaces)
    end: int  # where the next turn's label starts, or the end of the text
    label: Label
    person: Person | None
    country: str | None
    kind: str  # paragraph | question
    method: str  # label | label_office | label_answer | label_staff
    confidence: float


def _title(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _clean_word(word: str) -> str:
    return word.strip(",;()[]\u201c\u201d\"")


#: Words after which capitalised words name a portfolio or body, not a person ("Minister of Energy").
_PORTFOLIO_LINKS = frozenset({"of", "for", "and", "on", "the", "in", "to"})


@lru_cache(maxsize=8192)
def parse_label(text: str, actors: ActorMatcher) -> Label | None:
    """The label ``text`` (without its colon) read on its own, or None when it is not a label.

    Cached: transcripts repeat the same few labels hundreds of times.
    """
    raw = _LEAD.sub("", text).strip()
    paren = _PAREN.search(raw)
    if paren:
        raw = raw[: paren.start()].strip()
    if not raw or len(raw) > 110:
        return None
    low = " ".join(raw.lower().replace(".", " ").split())
    first = low.split()[0] if low else ""
    if low in QUESTION_LABELS or first in ("question", "journalist", "reporter", "correspondent"):
        return Label(raw, "question", strong=low != "q")
    if low in ANSWER_LABELS:
        return Label(raw, "answer", strong=low != "a")
    if low in STAFF_LABELS:
        return Label(raw, "staff", office=low, strong=True)
    if low in OFFICE_LABELS:
        return Label(raw, "office", office=OFFICE_LABELS[low], strong=raw.isupper() or low.startswith("the "))
    words = [_clean_word(w) for w in _TOKEN.findall(raw)]
    words = [w for w in words if w]
    if not words or len(words) > MAX_LABEL_WORDS or first in _NOT_PEOPLE:
        return None
    if any(ch.isdigit() for ch in raw) or any(c in raw for c in "!?\u00ab\u00bb\u201c\u201d\"=<>{}@#/\\|"):
        return None
    letters = [c for c in raw if c.isalpha()]
    upper = bool(letters) and all(c.isupper() for c in letters)
    if upper and len(words) > 6:
        return None
    for w in words:
        if not w[0].isalpha():
            return None
        if not upper and w[0].islower() and w.lower() not in _CONNECTORS:
            return None
    if words[-1].lower() in _CONNECTORS:
        return None
    if upper:
        words = [_title(w) if w.lower() not in _HONORIFICS else w.title() for w in words]
    # The name: the last run of capitalised words that are not role words, honorifics or actors.
    shown = " ".join(words)
    covered = [(m.start, m.end) for m in actors.find(shown, context_rules=False)]
    spans, pos = [], 0
    for w in words:
        start = shown.index(w, pos)
        spans.append((start, start + len(w)))
        pos = start + len(w)
    name: list[str] = []
    i = len(words) - 1
    while i >= 0:
        w = words[i]
        lw = w.lower().rstrip(".")
        is_actor = any(a <= spans[i][0] < b for a, b in covered)
        particle = lw in _PARTICLES and name and i > 0 and words[i - 1][:1].isupper()
        word = w[:1].isupper() and lw not in _ROLE_WORDS and lw not in _ORG_WORDS and lw not in _INSTITUTION_TAIL and not is_actor
        if not (particle or (word and len(name) < 4)):
            break
        name.insert(0, w)
        i -= 1
    if not name or (i >= 0 and words[i].lower() in _PORTFOLIO_LINKS):
        # "Prime Minister of Armenia" alone, "Russia's EMERCOM", or "Minister of Healthcare" (the
        # capitalised words after "of" or "for" name a portfolio): a role or institution, no person
        return None
    role_words = words[: i + 1]
    role = " ".join(role_words)
    country = _country_of(role, actors) if role else None
    honorific = bool(role_words) and role_words[-1].lower().rstrip(".") in _HONORIFICS
    if role_words and country is None and not any(w.lower().rstrip(".") in _TITLE_NOUNS for w in role_words):
        return None  # "Strengthening the Health Workforce": a heading, not a role and a name
    if upper and not role_words:
        return None  # "TARIFFS WORK": a heading in capitals; people in capitals carry "MR.", "THE", a title
    # A single word after "MS." or "SECRETARY" is a surname; a single word alone is not a label.
    if len(name) == 1 and not role_words:
        return None
    strong = bool(role_words) and not (len(name) == 1 and honorific and not upper)
    if len(name) == 1 and role_words and not (upper or honorific or any(w.lower() in _ROLE_WORDS for w in role_words)):
        return None
    return Label(raw, "person", name=" ".join(name), office=role or None, country=country, strong=strong)


def _country_of(role: str, actors: ActorMatcher) -> str | None:
    """The actor a role speaks for: the first one named, unless it is where they serve ("to Russia")."""
    for m in actors.find(role, context_rules=False):
        if actors.is_historical(m.actor):
            continue
        if not re.search(r"\b(?:to|in|at|with)\s+(?:the\s+)?$", role[: m.start]):
            return m.actor
    return None


@dataclass
class _Candidate:
    label_start: int
    colon_end: int
    label: Label
    at_paragraph_start: bool


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def _body_is_list_entry(text: str, start: int, end: int) -> bool:
    """A few words with no sentence after the colon: "Vladimir Putin: President of Russia", or a
    name with a full stop ("Minister of Defence: Sergei Shoigu.", in a list of appointments)."""
    body = text[start:end].strip()
    name = body[:-1].split()
    if body.endswith(".") and 2 <= len(name) <= 3 and all(w[:1].isupper() for w in name):
        body = body[:-1]  # a name, not a one-word reply ("THE VICE PRESIDENT: Organically.")
    return 0 < len(body.split()) < 4 and not _SENTENCE_END.search(body)


def find_candidates(
    text: str,
    paras: list[tuple[int, int]],
    actors: ActorMatcher,
    quotes: list[tuple[int, int]],
) -> list[_Candidate]:
    """Every label of the text, at paragraph starts and inside paragraphs, in order."""
    quote_starts = [a for a, _ in quotes]
    found: list[_Candidate] = []
    short: list[int] = []  # indexes (in ``paras``) of label lines with a few words and no sentence
    for n, (start, end) in enumerate(paras):
        head = text[start : min(end, start + 160)]
        if _LIST_ITEM.match(head):
            continue
        lead = _LEAD.match(head).end()
        stop = min(end, start + 160)
        # (a label ends in a colon: most paragraphs have none near their start to try the regex on)
        m = _START_LABEL.match(text, start + lead, stop) if text.find(":", start + lead, stop) >= 0 else None
        if m and _body_is_list_entry(text, m.end(), end):
            short.append(n)  # "Minister of Defence: Sergei Shoigu.": a list line, whether or not a label
        label = parse_label(m["label"], actors) if m else None
        if m and label is not None:
            body_start = m.end()
            while body_start < end and text[body_start].isspace():
                body_start += 1
            if body_start >= end or not text[body_start].islower():  # not "Question: at what expense?"
                found.append(_Candidate(start, body_start, label, True))
                continue
        q = _Q_START.match(text, start, end)
        if q:
            found.append(_Candidate(start, q.end(), Label("Q", "question"), True))
    # Label lines in a row, each with a few words and no sentence, are a list of names and posts
    # ("Vladimir Putin: President of Russia"), not turns. One alone opens a turn ("Name: Good afternoon").
    run = {n for i, n in enumerate(short) if (i > 0 and short[i - 1] == n - 1) or
           (i + 1 < len(short) and short[i + 1] == n + 1)}  # fmt: skip
    if run:
        listed = {paras[n][0] for n in run}
        found = [c for c in found if c.label_start not in listed]
    starts_of_paras = {s for s, _ in paras}
    para_ends = [e for _, e in paras]
    for m in _INLINE_COLON.finditer(text):
        colon = m.start()
        i = bisect.bisect_left(para_ends, colon)
        if i >= len(paras):
            continue
        p_start = paras[i][0]
        if colon - p_start < 3 or _inside(quotes, quote_starts, colon):
            continue
        window_start = max(p_start, colon - INLINE_LOOKBACK)
        window = text[window_start:colon]
        boundary = None
        for b in _INLINE_BOUNDARY.finditer(window):
            boundary = b
        if boundary is None:
            continue  # a colon with no sentence end before it in reach: not a new turn
        label_start = window_start + boundary.end()
        if label_start in starts_of_paras or _LIST_ITEM.match(text, label_start, colon):
            continue  # read above as a paragraph-start label, or a list item
        label = parse_label(text[label_start:colon], actors)
        if label is None:
            label_start, label = _label_after_heading(text, label_start, colon, actors)
        if label is None or label.role not in ("person", "question", "answer", "office", "staff"):
            continue
        found.append(_Candidate(label_start, m.end(), label, False))
    found.sort(key=lambda c: c.label_start)
    return found


_WORD_START = re.compile(r"(?<!\S)[A-Z]")


def _label_after_heading(text: str, start: int, colon: int, actors: ActorMatcher) -> tuple[int, Label | None]:
    """A sure label after a heading with no full stop: "* * * Opening remarks at the summit
    President of Russia Vladimir Putin: ...". The longest ending of the line that is a role and
    a name with a country, or a person of the speakers table, opens the turn; nothing shorter."""
    if len(text[start:colon].split()) > 24:
        return start, None
    for m in _WORD_START.finditer(text, start + 1, colon):
        label = parse_label(text[m.start() : colon], actors)
        if label is None or label.role != "person" or not label.strong or not label.country:
            continue
        if len({a.actor for a in actors.find(label.office or "", context_rules=False)}) > 1:
            continue  # "... talks with Turkmenistan President of Russia Vladimir Putin": still heading
        return m.start(), label
    return start, None


def _key(label: Label) -> str:
    return (label.name or label.text).lower()


def find_turns(
    text: str,
    paras: list[tuple[int, int]],
    quotes: list[tuple[int, int]],
    *,
    day: str | None,
    registry: Registry,
    actors: ActorMatcher,
    source_country: str | None,
    source_official: bool,
    document_speaker: Person | None,
) -> list[Turn]:
    """The turns of a transcript, or ``[]`` when the text is not one."""
    candidates = find_candidates(text, paras, actors, quotes)
    if not candidates:
        return []
    at_start = [c for c in candidates if c.at_paragraph_start]
    start_keys = {_key(c.label) for c in at_start}
    resolved: dict[int, tuple[Person | None, str | None]] = {}
    best: dict[str, tuple[Person | None, str | None]] = {}  # the surest reading of each name
    for c in candidates:
        if c.label.role == "person":
            found = _resolve_person(c.label, day, registry, source_country, source_official)
            resolved[c.label_start] = found
            if _sureness(found) > _sureness(best.get(c.label.name or "")):
                best[c.label.name or ""] = found
    by_surname: dict[str, tuple[Person | None, str | None]] = {}
    for name, found in best.items():
        surname = name.split()[-1] if name else ""
        if len(name.split()) >= 2 and _sureness(found) > _sureness(by_surname.get(surname)):
            by_surname[surname] = found
    for start, found in resolved.items():
        # "Denis Manturov:" later in the text is the "Minister of Industry ... Denis Manturov:" of
        # earlier, and "MR. PODESTA:" the "SENIOR ADVISOR JOHN PODESTA:" the briefing introduced
        name = found[0].name if found[0] else ""
        better = best.get(name)
        if " " not in name and name in by_surname and _sureness(by_surname[name]) > _sureness(better):
            better = by_surname[name]
        if _sureness(better) > _sureness(found):
            resolved[start] = better
    known = {k for c in candidates if c.label.role == "person" and resolved[c.label_start][0]
             and resolved[c.label_start][0].speaker_id for k in [_key(c.label)]}  # fmt: skip
    counts: dict[str, int] = {}
    for c in candidates:
        counts[_key(c.label)] = counts.get(_key(c.label), 0) + 1
    has_people = any(c.label.role in ("person", "office", "staff") for c in candidates)
    kept: list[_Candidate] = []
    for c in candidates:
        k = _key(c.label)
        sure = c.label.strong or k in known
        if c.at_paragraph_start:
            if c.label.role in ("question", "answer") and not c.label.strong and not has_people and counts[k] < 2:
                continue  # a lone "Q ..." or "A:" is not a transcript
            if not sure and counts[k] < 2 and len(start_keys) < 2:
                continue  # one unknown "Name Surname:" line: not enough to call it a transcript
        elif c.label.role in ("question", "answer"):
            if not (c.label.strong and has_people):
                continue
        elif not (sure or k in start_keys or counts[k] >= 2):
            continue
        kept.append(c)
    # Inside a transcript (a sure label is there) an unknown full name after a sentence end is a
    # turn too: "Vladimir Putin: Absolutely. Nursultan Nazarbayev: We have built ..."
    transcript = any((c.label.strong or _key(c.label) in known) and c.label.role == "person" for c in kept)
    if transcript:
        kept_at = {c.label_start for c in kept}
        kept += [c for c in candidates if c.label_start not in kept_at and not c.at_paragraph_start
                 and c.label.role == "person" and len((c.label.name or "").split()) >= 2]  # fmt: skip
        kept.sort(key=lambda c: c.label_start)
    if not kept:
        return []
    turns: list[Turn] = []
    previous: Person | None = None
    previous_country: str | None = None
    for n, c in enumerate(kept):
        end = kept[n + 1].label_start if n + 1 < len(kept) else len(text)
        label = c.label
        kind, method, confidence = "paragraph", "label", 0.85
        person, country = None, None
        if label.role == "question":
            kind, method, confidence = "question", "label_question", 0.9
        elif label.role == "answer":
            person = document_speaker or previous
            country = (document_speaker.country if document_speaker else previous_country)
            method, confidence = "label_answer", 0.8
        elif label.role == "staff":
            country = source_country
            method, confidence = "label_staff", 0.7
            person = Person(label.text.title() if label.text.isupper() else label.text, None, country, label.office)
        elif label.role == "office":
            holder = registry.holder(label.office or "", source_country, day) if source_country else None
            if holder is None and document_speaker and label.office and document_speaker.role == label.office:
                holder = document_speaker
            person = holder or Person(label.text.title() if label.text.isupper() else label.text, None,
                                      source_country, label.office)  # fmt: skip
            country = person.country or source_country
            method, confidence = "label_office", 0.85 if holder else 0.6
        else:
            person, country = resolved[c.label_start]
            confidence = 0.95 if person and person.speaker_id else (0.85 if country else 0.7)
            if country is None and person and person.speaker_id is None and _asks(text, c.colon_end, end):
                kind, method, confidence = "question", "label_question", 0.6  # an interviewer
        turns.append(Turn(c.label_start, c.colon_end, end, label, person, country, kind, method, confidence))
        if kind != "question":
            previous, previous_country = person, country
    return turns


def _sureness(found: tuple[Person | None, str | None] | None) -> int:
    if not found or found[0] is None:
        return 0
    person, country = found
    return 3 if person.speaker_id else (2 if country else 1)


def _asks(text: str, start: int, end: int) -> bool:
    """A turn of an unknown, stateless person that ends with a question: an interviewer's."""
    body = text[start:end].rstrip()
    return body.endswith("?") or body[-300:].count("?") >= 1 and len(body) < 600


def _resolve_person(
    label: Label, day: str | None, registry: Registry, source_country: str | None, source_official: bool
) -> tuple[Person | None, str | None]:
    name = label.name or ""
    hits = registry.find(name, day) or registry.find(label.text, day)
    if hits:
        person = hits[-1][2]
        return person, person.country or label.country  # the table knows whom they spoke for then
    country = label.country
    office_of_state = bool(label.office) and bool(_STATE_OFFICE.search(label.office))
    if country is None and source_official and source_country and office_of_state:
        country = source_country
        for word, office in _TOP_OFFICES:
            if re.search(rf"\b{word}\b", label.office, re.I) and not re.search(r"\b(?:deputy|vice)\b", label.office, re.I):
                holder = registry.holder(office, source_country, day)
                if holder is None or holder.surname != name.split()[-1]:
                    country = None  # a president or prime minister not known as the host's: a visitor
                break
    return Person(name, None, country, label.office), country
