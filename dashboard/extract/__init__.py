"""Extraction: one document's text and metadata in, statements with speakers, mentions, topics and tone out.

Pure functions; no I/O beyond the reference tables handed in.

- A *first-person* document (speech, briefing, UN General Debate statement, or
  any document whose metadata names its speaker) gives one statement per
  paragraph, spoken by the metadata's speaker.
- A *reported* document (news) gives its direct quotations and its reported
  speech ("Zakharova noted that ..."), each attributed to a speaker (see
  ``attribution``).

Bump ``EXTRACTION_VERSION`` whenever the output changes: ingest re-extracts
documents stored by an older version.
"""

from __future__ import annotations

from dashboard.extract.attribution import NONE, Attribution, Attributor
from dashboard.extract.dates import HEADER, find_date
from dashboard.extract.mentions import matcher_for
from dashboard.extract.quotes import find_quotes, paragraphs, word_count
from dashboard.extract.speakers import Person, registry_for
from dashboard.extract.topics import topic_matcher_for
from dashboard.records import ExtractedDocument, RawDocument, Statement
from dashboard.reference import Reference
from dashboard.tone import score_statement

EXTRACTION_VERSION = 4

#: Paragraphs shorter than this (in words) are headings or bylines, not statements.
MIN_PARAGRAPH_WORDS = 4


def _para_of(paras: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in paras:
        if start <= pos < end or (pos == end and start < end):
            return start, end
    return pos, pos


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _statement(text, kind, start, end, paras, attribution: Attribution) -> Statement:
    start, end = _trim(text, start, end)
    para_start, para_end = _para_of(paras, start)
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


def _first_person(raw: RawDocument, ref: Reference, date: str | None, paras) -> list[Statement]:
    registry = registry_for(ref)
    person = None
    if raw.speaker:
        hits = registry.find(raw.speaker, date)
        person = hits[0][2] if hits else Person(raw.speaker, None, raw.speaker_country, raw.speaker_role)
    country = raw.speaker_country or (person.country if person else None)
    if person and raw.speaker_role and not person.role:
        person = Person(person.name, person.speaker_id, person.country, raw.speaker_role)
    attribution = Attribution(person, country, "metadata", 1.0)
    statements = []
    for start, end in paras:
        chunk = raw.text[start:end]
        if HEADER.match(chunk) or word_count(chunk) < MIN_PARAGRAPH_WORDS:
            continue
        statements.append(_statement(raw.text, "paragraph", start, end, paras, attribution))
    return statements


def _reported(raw: RawDocument, ref: Reference, date: str | None, paras) -> list[Statement]:
    text = raw.text
    quotes = find_quotes(text, paras)
    attributor = Attributor(text, quotes, date, registry_for(ref), matcher_for(ref), title=raw.title)
    found: list[Statement] = []
    quote_paras = [_para_of(paras, q.open_mark) for q in quotes]
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
    for i in pending:
        # a later quotation of the same paragraph may carry the attribution ("X" ... "Y," she said)
        later = next(
            (results[j] for j in range(i + 1, len(quotes))
             if quote_paras[j] == quote_paras[i] and results[j].found and not quotes[j].nested),
            None,
        )  # fmt: skip
        if later:
            results[i] = Attribution(later.person, later.country, "continuation", 0.7)
        else:
            last = attributor.dominant_before(quotes[i].open_mark)
            results[i] = Attribution(last.person, last.country, "last_speaker", 0.3) if last.found else NONE
    for q, attribution in zip(quotes, results, strict=True):
        found.append(_statement(text, "quote", q.start, q.end, paras, attribution))
    # reported speech: 'Zakharova noted that ...' with no quotation in the rest of the sentence
    for ev in attributor.events:
        if ev.that_at is None:
            continue
        end = attributor.sentence_end(ev.that_at)
        body = text[ev.that_at : end]
        if any(c in body for c in "\"\u201c\u201d\u00ab\u00bb") or word_count(body) < MIN_PARAGRAPH_WORDS:
            continue
        found.append(_statement(text, "reported", ev.that_at, end, paras, ev.attribution))
        found[-1].attribution_method = f"reported_{ev.attribution.method}"
    found.sort(key=lambda s: s.start)
    return found


def extract_document(raw: RawDocument, ref: Reference) -> ExtractedDocument:
    """Statements, speakers, mentions, topics, tone and date of one document."""
    text = raw.text
    date, date_source = find_date(text, raw.date)
    doc_type = raw.doc_type or ("first_person" if (raw.speaker or raw.speaker_country) else "reported")
    paras = paragraphs(text)
    if doc_type == "first_person":
        statements = _first_person(raw, ref, date, paras)
    else:
        statements = _reported(raw, ref, date, paras)
    matcher = matcher_for(ref)
    topics = topic_matcher_for(ref)
    for st in statements:
        st.mentions = matcher.find(st.text)
        st.topics = topics.find(st.text)
        score_statement(st)
    return ExtractedDocument(
        date=date,
        date_source=date_source,
        doc_type=doc_type,
        statements=statements,
        mentions=matcher.find(text),
        title=raw.title,
    )
