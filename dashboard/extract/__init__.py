"""Extraction: one document's text and metadata in, statements with speakers, mentions, topics and tone out.

Pure functions; no I/O beyond the reference tables handed in.

- A *first-person* document (speech, briefing, UN General Debate statement, or any
  document whose metadata names its speaker) gives one statement per paragraph, spoken
  by the metadata's speaker.
- A *transcript* (talks, briefing, press conference, interview) is first-person turn by
  turn: speaker labels split it into turns (see ``turns``), each paragraph is a statement
  of its turn's speaker, journalists' questions are statements of kind ``question`` with no
  country, and the narration before the first label (a readout's lead) is the publishing
  institution's. A news document whose paragraphs are labelled turns is read the same way.
- A document from an *official* source of the registry (a ministry's channel, a
  presidency's site) with no speaker is that institution's own statement: its paragraphs
  are statements with the institution's country, except the quotations and reported
  speech it attributes to someone else, which keep their speakers. A title that names
  whose words the text is ("Foreign Minister Sergey Lavrov's remarks at ...") makes them
  that person's.
- A *reported* document (news) gives its direct quotations and its reported speech
  ("Zakharova noted that ..."), each attributed to a speaker (see ``attribution``).

Bump ``EXTRACTION_VERSION`` whenever the output changes: ingest re-extracts
documents stored by an older version.
"""

from __future__ import annotations

import bisect
import re

from dashboard.extract.attribution import NONE, Attribution, Attributor
from dashboard.extract.dates import HEADER, find_date
from dashboard.extract.mentions import matcher_for
from dashboard.extract.quotes import QuoteSpan, find_quotes, paragraphs, quote_spans
from dashboard.extract.scan import scanner_for
from dashboard.extract.speakers import Person, registry_for
from dashboard.extract.topics import topic_matcher_for
from dashboard.extract.turns import Turn, find_turns
from dashboard.records import ExtractedDocument, Mention, RawDocument, Statement
from dashboard.reference import Reference, Source
from dashboard.sources import country_names_for
from dashboard.sources import registry_for as sources_for
from dashboard.tone import TextTokens, cue_signs_within, gdelt_from_counts, score_statements

EXTRACTION_VERSION = 6

#: Paragraphs shorter than this (in words) are headings or bylines, not statements.
MIN_PARAGRAPH_WORDS = 4
#: A turn or paragraph longer than this (characters) is cut at sentence ends into statements of
#: about this size: texts scraped as one line hold whole speeches in one "paragraph".
MAX_STATEMENT_CHARS = 1500
_SENTENCE_BREAK = re.compile(r"(?<=[.!?\u2026])[\"\u201d\u00bb)]?\s+(?=[\"\u201c\u00ab(A-Z0-9])")
#: "Sergey Lavrov's remarks at ...", "Statement by the Foreign Ministry", "Article by X, Director of ...".
_TITLE_WORDS = (
    r"(?:opening |closing |introductory |keynote |video |joint |concluding )?"
    r"(?:remarks|statement|interview|speech|address|answers|comments?|article|op-ed|message|"
    r"greetings|replies|response|briefing|opinion piece|video address|congratulations)"
)
_TITLE_POSSESSIVE = re.compile(rf"(?P<who>[^:|]{{3,160}}?)['\u2019]s\s+{_TITLE_WORDS}\b", re.IGNORECASE)
_TITLE_BY = re.compile(rf"\b{_TITLE_WORDS}\s+(?:by|of)\s+(?P<who>[^:|(]{{3,160}})", re.IGNORECASE)
_DECORATION = re.compile(r"[\W_]*")


def _para_of(paras: list[tuple[int, int]], pos: int, starts: list[int] | None = None) -> tuple[int, int]:
    """The paragraph holding ``pos`` (a binary search: documents may have a million paragraphs)."""
    starts = starts if starts is not None else [a for a, _ in paras]
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0:
        start, end = paras[i]
        if start <= pos < end or (pos == end and start < end):
            return start, end
    return pos, pos


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _statement(text, kind, start, end, paras, attribution: Attribution, starts=None) -> Statement:
    start, end = _trim(text, start, end)
    para_start, para_end = _para_of(paras, start, starts)
    person = attribution.person
    return Statement(
        kind=kind,
        text=text[start:end],
        start=start,
        end=end,
        para_start=para_start,
        para_end=max(para_end, end) if para_start <= start else end,
        speaker=person.name if person else None,
        speaker_id=person.speaker_id if person else None,
        speaker_country=attribution.country,
        speaker_role=person.role if person else None,
        attribution_method=attribution.method,
        confidence=attribution.confidence,
    )


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` as it is, or cut at sentence ends into parts of about MAX_STATEMENT_CHARS."""
    if end - start <= MAX_STATEMENT_CHARS:
        return [(start, end)]
    out, piece = [], start
    last_break = None
    for m in _SENTENCE_BREAK.finditer(text, start, end):
        if m.start() - piece > MAX_STATEMENT_CHARS and last_break is not None and last_break > piece:
            out.append((piece, last_break))
            piece = last_break
        last_break = m.end()
        if m.start() - piece >= MAX_STATEMENT_CHARS * 2 // 3:
            out.append((piece, m.start() + (len(m.group()) - len(m.group().lstrip()))))
            piece = m.end()
            last_break = None
    out.append((piece, end))
    return [(a, b) for a, b in out if b > a]


#: MIN_PARAGRAPH_WORDS words or more (found at once, without counting every word of a long paragraph).
_ENOUGH_WORDS = re.compile(
    # possessive: a word is never split to make up the count ("MC-21" is one word)
    r"\w[\w'\u2019\-]*+(?:[^\w]++\w[\w'\u2019\-]*+){" + str(MIN_PARAGRAPH_WORDS - 1) + "}"
)


#: A transcript's clock lines: "10:02 A.M. EDT", "END 1:56 P.M. EST".
_CLOCK_LINE = re.compile(r"\s*(?:END\s+)?\d{1,2}:\d{2}\s*[AaPp]\.?\s?[Mm]\.?(?:\s+[A-Z]{2,5})?\s*$")


_HEADING_WORD = re.compile(r"[^\W\d_][\w'\u2019\-.]*")
_HEADING_SMALL = frozenset("a an the of and or in on at to for with by from de la".split())


def _is_heading(chunk: str) -> bool:
    """A short line in title case with no sentence end: "Ministry of Foreign Affairs of Armenia"."""
    words = _HEADING_WORD.findall(chunk)
    if len(words) > 12 or re.search(r"[.!?\u2026:;,\"\u201d\u00bb)]\s*$", chunk):
        return False
    content = [w for w in words if w.lower() not in _HEADING_SMALL]
    return bool(content) and sum(w[0].isupper() for w in content) / len(content) >= 0.8


def _is_statement(text: str, start: int, end: int) -> bool:
    """Not a header, clock line or heading, and at least MIN_PARAGRAPH_WORDS words (as
    ``quotes.word_count`` counts them)."""
    head = text[start : min(end, start + 80)]
    if HEADER.match(head) or (end - start <= 40 and _CLOCK_LINE.match(head)):
        return False
    if end - start <= 120 and _is_heading(text[start:end]):
        return False
    return _ENOUGH_WORDS.search(text, start, end) is not None


def _undecorated(text: str) -> str:
    """``text`` without the marks and spaces around it. (Not one regex from both ends: a search for
    a run that reaches the end would start again at every character of a long run of marks.)"""
    lead = _DECORATION.match(text).end()
    if lead == len(text):
        return ""
    return text[lead : len(text) - _DECORATION.match(text[::-1]).end()]


def _same_as_title(chunk: str, title: str | None) -> bool:
    if not title:
        return False
    a = " ".join(_undecorated(chunk).split()).casefold()
    b = " ".join(_undecorated(title).split()).casefold()
    # A heading repeats the title; a first paragraph that runs on past a cut title is text.
    return bool(a) and (a == b or (len(b) >= 20 and a.startswith(b) and len(a) <= len(b) + 40))


def _paragraph_statements(
    raw: RawDocument, paras, attribution: Attribution, lo: int = 0, hi: int | None = None, starts=None,
    kind: str = "paragraph",
) -> list[Statement]:
    """One statement per paragraph (or per piece of a long one) of ``[lo, hi)``."""
    text = raw.text
    hi = len(text) if hi is None else hi
    out = []
    first = bisect.bisect_right(starts, lo) - 1 if starts else 0
    for start, end in paras[max(first, 0) :]:
        if start >= hi:
            break
        a, b = max(start, lo), min(end, hi)
        if b <= a:
            continue
        if a == start and start == paras[0][0] and _same_as_title(text[a:b], raw.title):
            continue  # the title repeated as the text's first line is a heading, not a statement
        for x, y in _pieces(text, a, b):
            if _is_statement(text, x, y):
                out.append(_statement(text, kind, x, y, paras, attribution, starts))
    return out


def _metadata_person(
    raw: RawDocument, ref: Reference, date: str | None, country: str | None, source: Source | None = None
) -> Person | None:
    if not raw.speaker:
        return None
    if source is not None and sources_for(ref).names_source(raw.speaker, source):
        # "Kremlin press service" on an en.kremlin.ru page: the registry's name for the institution
        return Person(source.name, None, source.country or country, None)
    hits = registry_for(ref).find(raw.speaker, date)
    person = hits[0][2] if hits else Person(raw.speaker, None, country, raw.speaker_role)
    if raw.speaker_role and not person.role:
        person = Person(person.name, person.speaker_id, person.country, raw.speaker_role)
    return person


def _institution(source: Source | None, raw: RawDocument, country: str | None) -> Person | None:
    if source is not None:
        return Person(source.name, None, source.country or None, None)
    if raw.outlet:
        return Person(raw.outlet, None, country, None)
    return None


def _title_speaker(raw: RawDocument, ref: Reference, date: str | None, source: Source | None) -> Person | None:
    """The person a title says the text is by: "Foreign Minister Sergey Lavrov's remarks at ..."."""
    if not raw.title:
        return None
    m = _TITLE_POSSESSIVE.search(raw.title) or _TITLE_BY.search(raw.title)
    if not m:
        return None
    who = m["who"]
    hits = registry_for(ref).find(who, date)
    if hits:
        return hits[0][2]
    from dashboard.extract.turns import parse_label

    label = parse_label(who.split(",")[0], matcher_for(ref))
    if label is None or label.role != "person" or not label.name or len(label.name.split()) < 2:
        return None
    country = label.country or (source.country if source else None)
    return Person(label.name, None, country, label.office)


def _turn_statements(raw: RawDocument, turns: list[Turn], paras, starts, narrator: Person | None,
                     narrator_country: str | None) -> list[Statement]:  # fmt: skip
    statements = []
    if narrator is not None or narrator_country:
        lead = Attribution(narrator, narrator_country, "narration", 0.8)
        statements += _paragraph_statements(raw, paras, lead, 0, turns[0].label_start, starts)
    for turn in turns:
        attribution = Attribution(
            turn.person, None if turn.kind == "question" else turn.country, turn.method, turn.confidence
        )
        statements += _paragraph_statements(raw, paras, attribution, turn.body_start, turn.end, starts, turn.kind)
    return statements


def _first_person(raw, ref, date, paras, starts, quotes, source, country) -> list[Statement]:
    person = _metadata_person(raw, ref, date, country, source)
    country = country or (person.country if person else None)
    official = source is not None and source.kind == "official"
    if person is None and official:
        person = _title_speaker(raw, ref, date, source)
        country = country or (person.country if person else None) or source.country
    turns = _turns(raw, ref, date, paras, quotes, source, person)
    if turns:
        narrator = _institution(source, raw, country) if official or person is None else person
        narrator_country = narrator.country if narrator else country
        if not official and person is not None:
            narrator, narrator_country = person, country
        return _turn_statements(raw, turns, paras, starts, narrator, narrator_country)
    return _paragraph_statements(raw, paras, Attribution(person, country, "metadata", 1.0), starts=starts)


def _turns(raw, ref, date, paras, quotes: list[QuoteSpan], source, person) -> list[Turn]:
    return find_turns(
        raw.text, paras, [(q.open_mark, q.close_mark) for q in quotes if not q.nested],
        day=date, registry=registry_for(ref), actors=matcher_for(ref),
        source_country=source.country if source else (person.country if person else None),
        source_official=source is not None and source.kind == "official",
        document_speaker=person,
    )  # fmt: skip


class _Spans:
    """Spans ``[a, b)``, asked whether any holds a position or starts inside a range (binary searches)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = []  # the furthest end of the spans that start at or before each
        for _, b in spans:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def meets(self, start: int, end: int) -> bool:
        """Whether a span holds ``start`` (``a <= start < b``) or starts in ``[start, end)``."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.reach[i] > start:
            return True
        j = bisect.bisect_left(self.starts, start)
        return j < len(self.starts) and self.starts[j] < end


def _official(raw, ref, date, paras, starts, quotes, source) -> list[Statement]:
    """An official channel's own post: its paragraphs are the institution's (or the titled person's),
    the quotations and reported speech it attributes to others keep their speakers."""
    person = _title_speaker(raw, ref, date, source)
    own = Attribution(person or _institution(source, raw, source.country),
                      person.country if person and person.country else source.country,
                      "title" if person else "source", 0.9 if person else 0.85)  # fmt: skip
    turns = _turns(raw, ref, date, paras, quotes, source, person)
    if turns:
        institution = _institution(source, raw, source.country)
        return _turn_statements(raw, turns, paras, starts, person or institution, own.country)
    reported = _reported(raw, ref, date, paras, starts, quotes)
    for st in reported:
        if st.attribution_method in ("none", "last_speaker", "nested") or not (st.speaker or st.speaker_country):
            # an unattributed quotation in a ministry's post is the ministry's own wording
            st.speaker, st.speaker_id, st.speaker_role = own.person.name, own.person.speaker_id, own.person.role
            st.speaker_country, st.attribution_method, st.confidence = own.country, own.method, 0.6
    covered = _Spans([(st.para_start, st.para_end) for st in reported])
    statements = list(reported)
    for st in _paragraph_statements(raw, paras, own, starts=starts):
        if not covered.meets(st.start, st.end):
            statements.append(st)
    statements.sort(key=lambda s: s.start)
    return statements


def _reported(raw: RawDocument, ref: Reference, date: str | None, paras, starts, quotes) -> list[Statement]:
    text = raw.text
    attributor = Attributor(text, quotes, date, registry_for(ref), matcher_for(ref), title=raw.title)
    found: list[Statement] = []
    quote_paras = [_para_of(paras, q.open_mark, starts) for q in quotes]
    previous: dict[tuple[int, int], Attribution] = {}  # last attribution per paragraph
    pending: list[int] = []  # quotes with no attribution of their own yet
    results: list[Attribution] = []
    for i, (q, para) in enumerate(zip(quotes, quote_paras, strict=True)):
        if q.nested:
            attribution = Attribution(None, None, "nested", 0.5)
        else:
            attribution, _ = attributor.for_quote(q)
            if not attribution.found and para in previous:
                prev = previous[para]
                attribution = Attribution(prev.person, prev.country, "continuation", 0.8)
            if not attribution.found:
                pending.append(i)
        results.append(attribution)
        if attribution.found and not q.nested:
            previous[para] = attribution
    # a later quotation of the same paragraph may carry the attribution ("X" ... "Y," she said):
    # the next one of each quotation's paragraph that has one, found in one backward pass (the
    # quotations are in order, so a paragraph's are together)
    carrier: list[Attribution | None] = [None] * len(quotes)
    for j in range(len(quotes) - 2, -1, -1):
        if quote_paras[j + 1] == quote_paras[j]:
            found_next = results[j + 1].found and not quotes[j + 1].nested
            carrier[j] = results[j + 1] if found_next else carrier[j + 1]
    for i in pending:
        later = carrier[i]
        if later:
            results[i] = Attribution(later.person, later.country, "continuation", 0.7)
        else:
            last = attributor.dominant_before(quotes[i].open_mark)
            results[i] = Attribution(last.person, last.country, "last_speaker", 0.3) if last.found else NONE
    for q, attribution in zip(quotes, results, strict=True):
        found.append(_statement(text, "quote", q.start, q.end, paras, attribution, starts))
    # reported speech: 'Zakharova noted that ...' with no quotation in the rest of the sentence
    # (where the quotation marks are is looked up, not searched for in every sentence again)
    marks = [m.start() for m in _QUOTE_MARK.finditer(text)] if attributor.events else []
    for ev in attributor.events:
        if ev.that_at is None:
            continue
        end = attributor.sentence_end(ev.that_at)
        if bisect.bisect_left(marks, end) > bisect.bisect_left(marks, ev.that_at):
            continue
        if _ENOUGH_WORDS.search(text, ev.that_at, end) is None:
            continue
        found.append(_statement(text, "reported", ev.that_at, end, paras, ev.attribution, starts))
        found[-1].attribution_method = f"reported_{ev.attribution.method}"
    found.sort(key=lambda s: s.start)
    return found


_QUOTE_MARK = re.compile("[\"\u201c\u201d\u00ab\u00bb]")


def _document_tone(tokens: TextTokens, statements: list[Statement], n_words: int) -> float:
    """GDELT-style tone of the whole text from its statements' cue counts plus the text between them."""
    if not n_words:
        return 0.0
    text = tokens.text
    pos = neg = 0
    covered = 0
    for st in sorted((s for s in statements if s.cue_signs is not None), key=lambda s: s.start):
        if st.start < covered:
            continue  # overlapping spans (a quote inside reported speech) count once
        if st.start > covered:
            p, n = cue_signs_within(tokens, covered, st.start)
            pos, neg = pos + p, neg + n
        pos, neg = pos + st.cue_signs[0], neg + st.cue_signs[1]
        covered = st.end
    if covered < len(text):
        p, n = cue_signs_within(tokens, covered, len(text))
        pos, neg = pos + p, neg + n
    return gdelt_from_counts(pos, neg, n_words)


def _mentions_within(mentions: list[Mention], starts: list[int], start: int, end: int) -> list[Mention]:
    """The document's mentions inside ``[start, end)``, with offsets into that statement's text.

    The whole text is matched once; each statement takes its share (a statement is a slice of it).
    """
    i, j = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    return [Mention(m.actor, m.surface, m.start - start, m.end - start)
            for m in mentions[i:j] if m.end <= end]  # fmt: skip


def _news_transcript(raw, ref, date, paras, starts, quotes, source) -> list[Statement] | None:
    """A news item that is a labelled interview or briefing transcript: turns after its lead."""
    turns = _turns(raw, ref, date, paras, quotes, source, None)
    labelled = [t for t in turns if t.kind != "question" and t.label.role == "person"]
    at_start = {t.label_start for t in turns} & set(starts)
    if len(turns) < 2 or not labelled or len(at_start) < 2:
        return None
    covered = sum(t.end - t.body_start for t in turns)
    if covered < 0.5 * len(raw.text):
        return None
    lead = [st for st in _reported(raw, ref, date, paras, starts, quotes) if st.end <= turns[0].label_start]
    return lead + _turn_statements(raw, turns, paras, starts, None, None)


def extract_document(raw: RawDocument, ref: Reference) -> ExtractedDocument:
    """Statements, speakers, mentions, topics, tone and date of one document."""
    text = raw.text
    date, date_source = find_date(text, raw.date)
    country, matched = country_names_for(ref).code(raw.speaker_country)
    match = sources_for(ref).match(raw.outlet, raw.url)
    source = match.source if match else None
    official = source is not None and source.kind == "official"
    paras = paragraphs(text)
    starts = [a for a, _ in paras]
    if raw.doc_type == "first_person" or (raw.doc_type is None and (raw.speaker or country)):
        doc_type = "first_person"
        # a first-person text needs its quotation marks only to skip colons inside them
        statements = _first_person(raw, ref, date, paras, starts, quote_spans(text, paras), source, country)
    elif official and raw.doc_type is None:
        doc_type = "first_person"
        statements = _official(raw, ref, date, paras, starts, find_quotes(text, paras), source)
    else:
        doc_type = "reported"
        quotes = find_quotes(text, paras)
        statements = _news_transcript(raw, ref, date, paras, starts, quotes, source)
        if statements is None:
            statements = _reported(raw, ref, date, paras, starts, quotes)
    topics = topic_matcher_for(ref)
    mentions, topic_hits = scanner_for(ref).scan(text)  # one pass for both
    mention_starts = [m.start for m in mentions]
    topic_starts = [h[0] for h in topic_hits]
    scored = []
    for st in statements:
        st.mentions = _mentions_within(mentions, mention_starts, st.start, st.end)
        st.topics = topics.within(topic_hits, topic_starts, st.start, st.end)
        if st.kind == "question":
            st.speaker_country = None  # no state asked it: no country, no tone
            for m in st.mentions:
                m.tone_toward = None
        else:
            scored.append(st)
    tokens = TextTokens(text)  # tokenised once for the tone of every statement and the whole
    score_statements(scored, tokens=tokens)
    n_words = tokens.word_count()
    return ExtractedDocument(
        n_words=n_words,
        gdelt_tone=_document_tone(tokens, statements, n_words),
        date=date,
        date_source=date_source,
        doc_type=doc_type,
        statements=statements,
        mentions=mentions,
        title=raw.title,
        speaker_country=country,
        unmatched_country=None if matched else country,
        source_name=source.name if source else None,
        outlet_country=source.country or None if source else None,
        source_kind=source.kind if source else None,
        attribution=(source.attribution or None) if source else None,
        url=None if raw.url else sources_for(ref).telegram_url(raw.outlet, raw.native_id),
    )
