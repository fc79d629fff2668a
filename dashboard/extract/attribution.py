"""Who said it: speakers of quotations and reported speech.

Every speech verb outside quotation marks ("said", "noted", "told reporters",
"according to", ...) is an *event* with a subject: the words of its clause
before the verb ("Zakharova said", ", the Russian diplomat said") or, inverted,
after it ("said Zakharova"). Subjects resolve, in document order, to

- a person in the speakers registry (``name``, most sure);
- a name the text gives ("Russian Emergencies Minister Alexander Kurenkov"),
  with the country its role states (``name``);
- a pronoun ("she") — the latest speaker before it (``pronoun``);
- a description ("the Russian diplomat", "the spokeswoman") — whoever held that
  office on the document's date when the description names role and country,
  else the latest speaker (``description``);
- an institution ("the ministry", "Moscow") — no person, but the country (``institution``).

A quotation takes the event right after it (``", Zakharova said"``) or before
it in the same sentence (``Zakharova said: "..."``); failing both, the speaker
of the previous quotation of its paragraph (``continuation``), or at last the
latest speaker of the document (``last_speaker``, least sure). A speech verb
followed by "that" and no quotation marks gives a *reported* statement.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from dataclasses import dataclass

from dashboard.extract.mentions import ActorMatcher
from dashboard.extract.quotes import QuoteSpan
from dashboard.extract.speakers import Person, Registry

_VERBS = (
    "said|says|say|stated|states|noted|notes|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|"
    "underlined|underlines|underscored|underscores|added|adds|recalled|recalls|remarked|remarks|"
    "told|tells|explained|explains|pointed out|points out|continued|continues|concluded|concludes|"
    "declared|declares|announced|announces|warned|warns|insisted|insists|argued|argues|"
    "asserted|asserts|claimed|claims|wrote|writes|tweeted|posted|commented|comments|replied|replies|"
    "responded|responds|answered|answers|asked|asks|urged|urges|called on|calls on|called for|calls for|"
    "reported|reports|confirmed|confirms|acknowledged|acknowledges|admitted|admits|suggested|suggests|"
    "mentioned|mentions|observed|observes|reiterated|reiterates|highlighted|highlights|affirmed|"
    "affirms|accused|accuses|complained|complains|lamented|laments|proposed|proposes|testified|"
    "testifies|recounted|recounts|described|describes|assured|assures|vowed|vows|promised|promises|"
    "specified|specifies|clarified|clarifies|summed up|went on|goes on|was quoted as saying|"
    "is quoted as saying|expressed|expresses|believes|believed|hopes|hoped|thinks|thought|"
    "called|calls|branded|brands|dubbed|praised|praises|joked|jokes|quipped|shouted|exclaimed|"
    "cautioned|cautions|conceded|concedes|retorted|agreed|agrees|criticised|criticized|criticises|"
    "criticizes|condemned|condemns|denounced|denounces|slammed|chimed in|went on to say|"
    "(?i:according to)"
)
_PARTICIPLES = (
    "stating|saying|noting|adding|stressing|emphasi[sz]ing|recalling|explaining|warning|declaring|"
    "insisting|arguing|asserting|claiming|underlining|underscoring|pointing out|telling|remarking|asking"
)
_VERB_RE = re.compile(rf"\b(?:(?P<finite>{_VERBS})|(?P<participle>{_PARTICIPLES}))\b")
#: (Matched at a sentence's start with ``match(text, pos, endpos)``: no copy of a long sentence.)
_SENTENCE_SUBJECT = re.compile(
    r"[\s\"\u201c\u00ab\u2018(]*(?P<np>(?:[^\W\d_][\w'\u2019\-]*\s+){0,4}?[^\W\d_][\w'\u2019\-]*)"
    r"(?=\s+(?:was|is|were|has|had|,|and|also|said|stated|noted|\w+ed)\b|,)"
)
#: A full stop, question mark or ellipsis before a capital or the end, or a line break. The lookahead
#: first skips every other character at once (not two dozen lookbehinds at each); the quote marks
#: and spaces after the mark are read once each (``*?``): a run of a million spaces is not re-read
#: for every way of splitting it.
_SENTENCE_END = re.compile(
    r"(?=[.!?\u2026])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bGen)(?<!\bCol)(?<!\bProf)(?<!\bNo)(?<!\bvs)(?<!\bGov)(?<!\bSen)(?<!\bRep)(?<!\bRev)(?<!\bLt)(?<!\bJr)(?<!\bSr)(?<!\bLtd)(?<!\bInc)(?<!\bCorp)(?<!\bSgt)(?<!\bCapt)(?<!\bMaj)(?<!\bAdm)(?<!\bAmb)"
    r"(?<!\b[A-Z])[.!?\u2026](?=[\s\"\u201d\u2019\u00bb]*?\s[A-Z\"\u201c\u00ab\u2018(]|[\s\"\u201d\u2019\u00bb]*+$)|\n"
)
_AUX_TAIL = re.compile(
    r"(?:\s+(?:has|had|have|also|then|later|further|once again|again|repeatedly|clearly|"
    r"previously|earlier|recently|reportedly|publicly|would|will|was|is|were|are|had also|has also|"
    r"specifically|separately|in turn|for (?:his|her|its|their) part|,))+\s*$",
    re.IGNORECASE,
)
_PRONOUNS = {"he", "she"}
#: How far before a verb its subject is looked for, and how far from a quotation its speech verb,
#: label or dash: the words that matter are a few dozen characters away, and a bound keeps every
#: look linear in the text however long its sentences and lines are.
CLAUSE_WINDOW = 1000
QUOTE_WINDOW = 1000
#: "said that", "said on Thursday that", "told reporters that": the verb introduces reported speech.
_THAT = re.compile(
    r"(?:\s+(?:on|in|at|during|last|this|earlier|later|yesterday|today|\w+day|the|a|an|his|her|"
    r"[A-Z]\w*|\w+ly|to|reporters|journalists|him|her|them|us|again|also|once)){0,5}\s+that\s"
)
_ROLE_WORDS = re.compile(
    r"\b(?:diplomat|spokeswoman|spokesperson|spokesman|minister|president|premier|ambassador|"
    r"representative|official|leader|head|chief|envoy|lawmaker|deputy|senator|chairman|chairwoman|"
    r"speaker|secretary|adviser|advisor|aide|commander|governor|mayor|director|politician|MP|"
    r"chancellor|foreign minister|top diplomat|head of state|witness|victim|prosecutor|judge|expert|"
    r"analyst|professor|activist|ombudsman|ombudsperson)s?\b",
    re.IGNORECASE,
)
_INSTITUTION_WORDS = re.compile(
    r"\b(?:ministry|agency|government|kremlin|office|service|embassy|administration|committee|"
    r"department|side|mission|council|parliament|cabinet|mfa|white house|commission|secretariat|"
    r"headquarters|authorities|press service|presidency|delegation|state department|duma)\b",
    re.IGNORECASE,
)
_ROLE_TO_REGISTRY = (
    (re.compile(r"\b(?:foreign minister|top diplomat|minister of foreign affairs|foreign affairs minister)\b", re.I), "foreign minister"),
    (re.compile(r"\b(?:spokes(?:woman|person|man)|official representative)\b", re.I), "foreign ministry spokesperson"),
    (re.compile(r"\b(?:prime minister|premier)\b", re.I), "prime minister"),
    (re.compile(r"\b(?:president|head of state)\b", re.I), "president"),
)  # fmt: skip
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'\u2019\-]*")
_NOT_NAME = frozenset(
    """the a an this that these those his her its their our my mr mrs ms dr president minister foreign
    prime deputy spokesperson spokeswoman spokesman ambassador secretary general judge victim prosecutor
    senator chairman chairwoman head director chief emergencies ministry affairs defence defense
    official representative first vice state however meanwhile also according during in on at after
    before when while and but he she they we it if as speaking addressing responding commenting
    january february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday special assistant senior acting former
    envoy leader lawmaker governor mayor commander colonel major captain lieutenant sergeant professor
    mp member speaker witness injured party expert analyst correspondent reporter journalist
    tass interfax ria novosti reuters afp ap azertac armenpress trend apa sen rep gov rev lt col gen
    jr sr miss madam sir lord lady even only both all some many most""".split()
)


_HONORIFICS = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "dr": None, "sen": None,
               "rep": None, "gov": None, "rev": None, "prof": None, "gen": None, "col": None, "lt": None,
               "sir": "m", "lord": "m", "lady": "f"}  # fmt: skip
_ORG_WORDS = frozenset(
    """institute university council committee party ministry agency company bank fund organisation
    organization union association center centre foundation group court parliament assembly service
    office department news times post journal corporation inc ltd llc plc republic state states city
    region street square airport school academy club forum summit conference campaign channel tv
    television radio network press gazette herald telegraph daily weekly magazine review index
    commission secretariat house palace embassy consulate mission government administration federation
    alliance coalition front movement church museum theatre theater hospital station fleet army navy
    force forces guard police""".split()
)
_FEMININE_ROLE = re.compile(r"\b(?:spokeswoman|chairwoman|congresswoman|businesswoman|stateswoman)\b", re.I)
_MASCULINE_ROLE = re.compile(r"\b(?:spokesman|congressman|businessman|statesman)\b", re.I)
_FEMININE_SURNAME = re.compile(r"(?:ova|eva|yova|ina|yna|aya|skaya|tskaya|kaya)$")
_MASCULINE_SURNAME = re.compile(r"(?:ov|ev|yov|sky|skiy|skii)$")
#: Verbs after which a bare surname is a person: the common verbs of attribution.
_STRONG_VERBS = frozenset(
    "said says stated noted told added stressed emphasised emphasized recalled explained wrote "
    "underlined warned insisted argued asked replied answered continued concluded".split()
)


def _surname_gender(surname: str) -> str | None:
    low = surname.lower()
    if len(low) < 5:
        return None
    if _FEMININE_SURNAME.search(low):
        return "f"
    if _MASCULINE_SURNAME.search(low):
        return "m"
    return None


@dataclass
class Attribution:
    person: Person | None
    country: str | None
    method: str
    confidence: float

    @property
    def found(self) -> bool:
        return self.person is not None or self.country is not None


NONE = Attribution(None, None, "none", 0.0)


@dataclass
class Event:
    verb_start: int
    verb_end: int
    clause_start: int  # where the clause before the verb starts
    clause_end: int  # end of the inverted subject (after the verb), or the verb's end
    attribution: Attribution
    that_at: int | None  # offset just after "that" when the verb introduces reported speech
    inverted: bool


class Attributor:
    """Resolves the speakers of one document."""

    def __init__(
        self, text: str, quotes: list[QuoteSpan], day: str | None, registry: Registry, actors: ActorMatcher,
        title: str | None = None,
    ):
        self.text = text
        self.day = day
        self.registry = registry
        self.actors = actors
        self.outer = sorted((q for q in quotes if not q.nested), key=lambda q: q.open_mark)
        self.closes = sorted(q.close_mark for q in self.outer)
        self._opens = [q.open_mark for q in self.outer]
        # the furthest closing mark of the quotations opened so far (a single-quoted passage may
        # hold a double-quoted one): whether a position is inside one is a binary search
        self._reach: list[int] = []
        for q in self.outer:
            self._reach.append(max(q.close_mark, self._reach[-1]) if self._reach else q.close_mark)
        self.ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        self.surnames: dict[str, Person] = {}
        self.gender: dict[str, str] = {}
        self.people: list[Person] = []  # people in the order the text brings them forward
        self.last_institution: str | None = None
        # What the registry, the actors table and ``_name`` find in a string depends on the string
        # alone: read once per distinct string (a long text repeats the same subjects thousands of times).
        self._people_cache: dict[str, list[tuple[int, int, Person]]] = {}
        self._mentions_cache: dict[tuple[str, bool], list] = {}
        self._name_cache: dict[tuple[str, str], tuple[str | None, bool, str | None]] = {}
        self._from_title(title)
        self._sentence_people = deque(self._people_opening_sentences())
        self.events = self._events()
        self._verb_starts = [ev.verb_start for ev in self.events]
        # the running tally of ``dominant_before``, kept from one call to the next
        self._tally: tuple[int, dict[str, float], dict[str, tuple[int, Attribution]], str | None] = (0, {}, {}, None)

    def _people_in(self, text: str) -> list[tuple[int, int, Person]]:
        """``registry.find(text, day)`` (the same list each time: not to be changed)."""
        found = self._people_cache.get(text)
        if found is None:
            found = self._people_cache[text] = self.registry.find(text, self.day)
        return found

    def _mentions_in(self, text: str, context_rules: bool = True) -> list:
        """``actors.find(text, context_rules)`` (the same list each time: not to be changed)."""
        key = (text, context_rules)
        found = self._mentions_cache.get(key)
        if found is None:
            found = self._mentions_cache[key] = self.actors.find(text, context_rules=context_rules)
        return found

    def _name_in(self, text: str, source: str | None = None) -> tuple[str | None, bool, str | None]:
        """``_name`` of ``text`` with the actors of ``source`` (``text`` itself, or a string it begins)."""
        key = (text, text if source is None else source)
        found = self._name_cache.get(key)
        if found is None:
            found = self._name_cache[key] = self._name(text, self._mentions_in(key[1], False))
        return found

    @property
    def last_person(self) -> Person | None:
        return self.people[-1] if self.people else None

    # -- geometry --------------------------------------------------------
    def _inside_quote(self, pos: int) -> bool:
        i = bisect.bisect_left(self._opens, pos) - 1
        return i >= 0 and self._reach[i] > pos

    def sentence_start(self, pos: int) -> int:
        i = bisect.bisect_right(self.ends, pos) - 1
        return self.ends[i] if i >= 0 else 0

    def sentence_end(self, pos: int) -> int:
        i = bisect.bisect_right(self.ends, pos)
        return self.ends[i] if i < len(self.ends) else len(self.text)

    def _clause_start(self, pos: int) -> int:
        start = self.sentence_start(pos)
        i = bisect.bisect_left(self.closes, pos) - 1
        if i >= 0 and self.closes[i] + 1 > start:
            start = self.closes[i] + 1
        return start

    # -- events ------------------------------------------------------------
    def _events(self) -> list[Event]:
        events = []
        for m in _VERB_RE.finditer(self.text):
            if self._inside_quote(m.start()):
                continue
            clause_start = self._clause_start(m.start())
            self._absorb_sentence_people(m.start())
            verb = m.group().lower()
            if m.group("participle"):
                head = _SENTENCE_SUBJECT.match(self.text, self.sentence_start(m.start()), m.start())
                candidates = [head["np"]] if head else []
            else:
                # the subject is in the clause's last words: a sentence a whole text long (no full
                # stops) is read from CLAUSE_WINDOW characters before the verb, not from its start
                left = self.text[max(clause_start, m.start() - CLAUSE_WINDOW) : m.start()]
                candidates = _subject_candidates(left)
            inverted = False
            clause_end = m.end()
            if verb == "according to" or not candidates:
                right, clause_end = self._right_subject(m.end())
                candidates, inverted = [right], True
            attribution = self._best_subject(candidates, m.start(), verb in _STRONG_VERBS)
            if not attribution.found:
                continue
            that = _THAT.match(self.text, m.end(), m.end() + 60)
            events.append(
                Event(m.start(), m.end(), clause_start, clause_end, attribution,
                      that.end() if that else None, inverted)
            )  # fmt: skip
        return events

    def _best_subject(self, candidates: list[str], pos: int, strong_verb: bool) -> Attribution:
        """The clause's subject, or the name before an appositive ("Lisa Monaco, the president's adviser, said")."""
        first = self.resolve(candidates[0], pos, strong_verb=strong_verb) if candidates else NONE
        if first.method == "name" or len(candidates) < 2:
            return first
        second = candidates[1]
        name, _, _ = self._name_in(second)
        is_name = bool(name) and _strip_honorific(second) == name and len(second.split()) <= 5
        if is_name or (not first.found and len(second.split()) <= 4):
            found = self.resolve(second, pos, strong_verb=strong_verb, whole=False)
            if found.method == "name" or (not first.found and found.found):
                return found
        return first

    def _from_title(self, title: str | None) -> None:
        """A headline that is not part of the text ("... -- Putin") names whom the lead means by
        "the Russian leader said": the people of the speakers table it names come first."""
        if not title or title.strip() in self.text[: len(title) + 40]:
            return  # a title repeated as the text's first line is read with the text
        for _, _, person in self.registry.find(title, self.day):
            self._person(person)

    def _people_opening_sentences(self) -> list[tuple[int, str]]:
        """Names that open a sentence ("Rasul Jafarov was captured ..."): whom a later "he" means."""
        found = []
        for start in [0, *self.ends]:
            if self._inside_quote(start + 1):
                continue
            head = _SENTENCE_SUBJECT.match(self.text[start : start + 80])
            if head and head["np"].lower() not in _PRONOUNS:
                found.append((start + head.start("np"), head["np"]))
        return found

    def _absorb_sentence_people(self, pos: int) -> None:
        while self._sentence_people and self._sentence_people[0][0] < pos:
            _, np = self._sentence_people.popleft()
            hits = self._people_in(np)
            if hits:
                self._person(hits[0][2])
                continue
            name, _, gender = self._name_in(np)
            prefix = np.strip()[: -len(name)] if name and np.strip().endswith(name) else None
            titled = prefix is not None and all(w.lower() in _NOT_NAME or w.islower() for w in prefix.split())
            if name and len(name.split()) >= 2 and titled:
                known = self.surnames.get(name.split()[-1])
                self._person(known or Person(name), gender)

    def _right_subject(self, pos: int) -> tuple[str, int]:
        """The subject after an inverted verb ("said Rep. Jerry Nadler, a Democrat"): up to a clause break."""
        window = self.text[pos : pos + 120]
        window = re.sub(r"\([^()\n]{0,30}\)", lambda m: " " * len(m.group()), window)
        stop = _RIGHT_STOP.search(window)
        end = pos + (stop.start() if stop else len(window))
        return self.text[pos:end], end

    # -- resolution ---------------------------------------------------------
    def resolve(self, subject: str, pos: int, strong_verb: bool = False, whole: bool = True) -> Attribution:
        subject = re.sub(r"\s*\([^()]{0,40}\)", "", subject).strip(" ,.:;\u2014\u2013-")
        if not subject or len(subject.split()) > 14:
            return NONE
        lowered = subject.lower()
        if " " not in subject and subject in self.surnames:
            return self._person(self.surnames[subject], None, "name", 0.9)
        if lowered in _PRONOUNS:
            person = self._antecedent("f" if lowered == "she" else "m")
            if person:
                if lowered == "she" and person.name not in self.gender:
                    self.gender[person.name] = "f"
                elif lowered == "he" and person.name not in self.gender:
                    self.gender[person.name] = "m"
                self._bring_forward(person)
                return Attribution(person, person.country, "pronoun", 0.8)
            return NONE
        mentions = [m for m in self._mentions_in(subject) if not self.actors.is_historical(m.actor)]
        country = _speaking_for(subject, mentions)
        head = _head(subject)
        hits = self._people_in(head) or self._people_in(subject)
        name, honorific, gender = self._name_in(head, subject)
        if not name:
            name, honorific, gender = self._name_in(subject)
            if name and not subject.rstrip(" .").endswith(name.split()[-1]):
                name = None  # a name inside a later phrase ("strategist in Melbourne") is not the speaker
        if hits:
            hit_end = hits[-1][1]
            later_name = name and len(name.split()) >= 2 and subject.find(name) >= hit_end
            if not later_name:
                return self._person(hits[-1][2], gender, "name", 0.95)
        if name:
            tokens = name.split()
            known = self.surnames.get(tokens[-1])
            if known and (len(tokens) == 1 or known.name.endswith(name) or name.endswith(known.name)):
                if known.country is None and country:
                    known = Person(known.name, known.speaker_id, country, known.role)
                    self.surnames[known.surname] = known
                return self._person(known, gender, "name", 0.9)
            if len(tokens) >= 2:
                return self._person(Person(name, None, country), gender, "name", 0.85)
            if honorific or re.search(_ROLE_WORDS.pattern + r"\s+" + re.escape(name) + r"\b", subject, re.I):
                return self._person(Person(name, None, country), gender, "name", 0.7)
            if strong_verb and whole and subject == name:
                return self._person(Person(name, None, country), gender, "name", 0.6)
        if _ROLE_WORDS.search(subject):
            want = "f" if _FEMININE_ROLE.search(subject) else "m" if _MASCULINE_ROLE.search(subject) else None
            if country:
                for pattern, role in _ROLE_TO_REGISTRY:
                    if pattern.search(subject):
                        holder = self.registry.holder(role, country, self.day)
                        if holder:
                            return self._person(holder, want, "description", 0.85)
                        break
            person = self._antecedent(want)
            if person and (country is None or person.country in (None, country)):
                self._bring_forward(person)
                return Attribution(person, person.country or country, "description", 0.75)
            return Attribution(None, country, "description", 0.5) if country else NONE
        if _INSTITUTION_WORDS.search(subject) or (mentions and _only_actor(subject, mentions)):
            country = country or self.last_institution or (self.last_person.country if self.last_person else None)
            if country:
                self.last_institution = country
                return Attribution(None, country, "institution", 0.7)
        return NONE

    def _antecedent(self, gender: str | None) -> Person | None:
        """The latest person brought forward whose gender does not contradict ``gender``."""
        for person in reversed(self.people):
            known = self.gender.get(person.name)
            if gender is None or known is None or known == gender:
                return person
        return None

    def _bring_forward(self, person: Person) -> None:
        if self.people and self.people[-1] is person:
            return
        self.people.append(person)

    def _person(self, person: Person, gender: str | None = None, method: str = "name", confidence: float = 0.9) -> Attribution:
        if person.surname:
            known = self.surnames.get(person.surname)
            if known is None or (known.country is None and person.country):
                self.surnames[person.surname] = person
        guess = gender or _surname_gender(person.surname)
        if guess and person.name not in self.gender:
            self.gender[person.name] = guess
        self._bring_forward(person)
        return Attribution(person, person.country, method, confidence)

    def _name(self, subject: str, mentions) -> tuple[str | None, bool, str | None]:
        """The last run of capitalised words that are not roles, titles, organisations or actor names.

        Returns the name, whether an honorific ("Ms.", "Sen.") stood before it, and the gender it implies.
        """
        covered = [(m.start, m.end) for m in mentions]
        runs: list[tuple[list[str], bool, str | None]] = []
        current: list[str] = []
        honorific, gender, previous = False, None, ""
        org = False
        for m in _NAME_TOKEN.finditer(subject):
            token = m.group()
            low = token.lower()
            is_actor = any(a <= m.start() < b for a, b in covered)
            possessive = low.endswith(("'s", "\u2019s"))
            initial = len(token) == 1 and token.isupper() and bool(current)
            if initial:
                previous = low
                continue  # "Janet L. Yellen": an initial inside a name
            if is_actor and current and token[0].isupper() and not possessive and low not in _NOT_NAME:
                is_actor = False  # a surname that is also a country: "Paul Jordan", "Lisa Monaco"
            if token[0].isupper() and not is_actor and low not in _NOT_NAME and not token.isupper() and not possessive:
                if not current:
                    honorific = previous in _HONORIFICS
                    gender = _HONORIFICS.get(previous) if honorific else None
                    org = False
                current.append(token)
                org = org or low in _ORG_WORDS
            else:
                if current and not org:
                    runs.append((current, honorific, gender))
                current = []
                org = False
            previous = low
        if current and not org:
            runs.append((current, honorific, gender))
        if not runs:
            return None, False, None
        tokens, honorific, gender = runs[-1]
        return " ".join(tokens[:4]), honorific, gender

    # -- quotes ----------------------------------------------------------------
    def for_quote(self, q: QuoteSpan) -> tuple[Attribution, Event | None]:
        events, text = self.events, self.text
        # right after the closing mark: '", Zakharova said' / '," said Zakharova' (the first event after it)
        i = bisect.bisect_right(self._verb_starts, q.close_mark)
        if i < len(events):
            ev = events[i]
            if ev.clause_start == q.close_mark + 1 and ev.verb_start - q.close_mark <= 160:
                return ev.attribution, ev
        # before the opening mark, in the same sentence: 'Zakharova said: "...' -- the latest such
        # event, so the events are read backwards from the mark (their verbs do not overlap: verb
        # ends are in order too) and no further than QUOTE_WINDOW
        sentence_start = self.sentence_start(q.open_mark)
        k = bisect.bisect_right(self._verb_starts, q.open_mark)
        while k > 0 and events[k - 1].verb_end > q.open_mark:
            k -= 1
        for j in range(k - 1, -1, -1):
            ev = events[j]
            if ev.verb_start < sentence_start or ev.verb_end < q.open_mark - QUOTE_WINDOW:
                break
            gap = text[max(ev.clause_end, ev.verb_end) : q.open_mark]
            if any(c in gap for c in "\"\u201c\u201d\u00ab\u00bb"):
                continue
            if len(gap.split()) <= 12:
                return ev.attribution, ev
        # a label: 'Maria Zakharova: "..."' opening a paragraph; a dash after: '"..." -- Maria Zakharova'
        # (a line longer than QUOTE_WINDOW before or after the quotation holds neither)
        window_start = max(0, q.open_mark - QUOTE_WINDOW)
        line_start = text.rfind("\n", window_start, q.open_mark) + 1
        if line_start or not window_start:
            label = text[line_start : q.open_mark]
            if label.rstrip().endswith(":") and 0 < len(label.split()) <= 10:
                found = self.resolve(label.rstrip()[:-1].split(",")[0], q.open_mark, whole=False)
                if found.found:
                    return Attribution(found.person, found.country, "label", 0.8), None
        line_end = text.find("\n", q.close_mark, q.close_mark + QUOTE_WINDOW)
        if line_end < 0 and q.close_mark + QUOTE_WINDOW >= len(text):
            line_end = len(text)
        if line_end >= 0:
            tail = text[q.close_mark + 1 : line_end]
            dash = re.match(r"^[\s.,]*[\u2015\u2014\u2013-]{1,2}\s*(?P<np>[^\n]{2,80})$", tail)
            if dash and len(dash["np"].split()) <= 10:
                found = self.resolve(dash["np"].split(",")[0], q.close_mark, whole=False)
                if found.found:
                    return Attribution(found.person, found.country, "label", 0.8), None
        return NONE, None

    def dominant_before(self, pos: int) -> Attribution:
        """The person most often given as speaker before ``pos`` (ties: the latest).

        The tally runs on from the previous call when ``pos`` is not earlier (the quotations that
        need it come in order): each event is counted once per document, not once per quotation.
        """
        i, weight, latest, best = self._tally
        if i and self.events[i - 1].verb_start >= pos:
            i, weight, latest, best = 0, {}, {}, None
        while i < len(self.events) and self.events[i].verb_start < pos:
            ev = self.events[i]
            i += 1
            person = ev.attribution.person
            if person is not None:
                name = person.name
                weight[name] = weight.get(name, 0.0) + ev.attribution.confidence
                latest[name] = (ev.verb_start, ev.attribution)
                # only this name's standing rose: it overtakes the leader or the leader stays
                if best is None or (weight[name], latest[name][0]) > (weight[best], latest[best][0]):
                    best = name
        self._tally = (i, weight, latest, best)
        return NONE if best is None else latest[best][1]


_RIGHT_STOP = re.compile(
    r"(?<!\bRep)(?<!\bSen)(?<!\bGov)(?<!\bGen)(?<!\bCol)(?<!\bLt)(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)"
    r"(?<!\bRev)(?<!\bSt)(?<!\bJr)(?<!\bProf)(?<!\b[A-Z])[.!?]|[,;:\n\"\u201c\u201d\u00ab\u00bb(]"
    r"|\s(?:in|at|on|during|after|that|to|when|while|who|which|as|because)\s"
)
_HEAD_CUT = re.compile(r"\s(?:of|at|from|for|with|in|on behalf of)\s|\(")


def _strip_honorific(text: str) -> str:
    words = [w for w in re.findall(r"[^\W\d_][\w'\u2019\-]*", text)
             if w.lower() not in _HONORIFICS and not (len(w) == 1 and w.isupper())]  # fmt: skip
    return " ".join(words)


def _head(subject: str) -> str:
    """The subject up to its first prepositional phrase: "Craig Holman of Public Citizen" -> "Craig Holman"."""
    cut = _HEAD_CUT.search(subject)
    return subject[: cut.start()] if cut else subject


def _subject_candidates(left: str) -> list[str]:
    """Subjects of a clause ending just before its verb: the last comma-separated part, then the one before it.

    The second covers an appositive: "Chris Weston, chief strategist at a bank, said".
    """
    left = _AUX_TAIL.sub("", left)
    parts = [p.strip() for p in re.split(r"[,;:\u2014\u2013]|\s-\s", left)]
    parts = [p for p in parts if p]
    if not parts:
        return []
    out = [" ".join(parts[-1].split()[-14:])]
    if len(parts) >= 2:
        out.append(" ".join(parts[-2].split()[-14:]))
    return out


def _speaking_for(subject: str, mentions) -> str | None:
    """The actor a subject speaks for: the first one named, unless it is where they serve ("ambassador to Hanoi")."""
    for m in mentions:
        if not re.search(r"\b(?:to|in|at|for|with|from|on|toward|towards|against)\s+(?:the\s+)?$", subject[: m.start]):
            return m.actor
    return mentions[0].actor if mentions else None


def _only_actor(subject: str, mentions) -> bool:
    rest = subject
    for m in reversed(mentions):
        rest = rest[: m.start] + rest[m.end :]
    return not re.sub(r"\b(?:the|official|also|and)\b|[^\w]", "", rest, flags=re.IGNORECASE).strip()
