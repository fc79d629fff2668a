-- The database the ingest command builds and the app reads (read-only).
-- Dates are denormalised onto statements and mentions so that the pages'
-- aggregates need no join at a million statements.

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id              INTEGER PRIMARY KEY,
    started_at          TIMESTAMP NOT NULL,
    finished_at         TIMESTAMP,
    paths               VARCHAR,        -- the paths given on the command line, joined by newlines
    files_seen          INTEGER,
    documents_added     INTEGER,
    documents_updated   INTEGER,        -- re-extracted because their extraction version was stale
    duplicates          INTEGER,
    files_rejected      INTEGER,
    statements_added    INTEGER,
    mentions_added      INTEGER,
    extraction_version  INTEGER,
    seconds             DOUBLE
);

CREATE TABLE IF NOT EXISTS rejects (
    run_id      INTEGER NOT NULL,
    path        VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    detail      VARCHAR,             -- e.g. the line number of a malformed row
    rejected_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS documents (
    doc_id              VARCHAR PRIMARY KEY,  -- hash of the normalised text
    source_path         VARCHAR,
    source_format       VARCHAR,
    title               VARCHAR,
    outlet              VARCHAR,
    url                 VARCHAR,
    language            VARCHAR,
    doc_type            VARCHAR NOT NULL,     -- reported | first_person
    date                DATE,                 -- null when neither metadata nor text gives it
    date_source         VARCHAR,              -- metadata | header | dateline | none
    speaker             VARCHAR,              -- first-person documents: whose words
    speaker_country     VARCHAR,
    text                VARCHAR NOT NULL,
    n_chars             INTEGER,
    n_words             INTEGER,
    gdelt_tone          DOUBLE,               -- 100 * (positive - negative words) / words
    extraction_version  INTEGER NOT NULL,
    run_id              INTEGER,
    ingested_at         TIMESTAMP,
    source_name         VARCHAR,              -- the institution or outlet of data/sources.csv
    outlet_country      VARCHAR,              -- its country (actor code)
    source_kind         VARCHAR,              -- official | state_media | media | other
    attribution         VARCHAR               -- shown with every statement (a licence may require it)
);

CREATE TABLE IF NOT EXISTS statements (
    statement_id            BIGINT PRIMARY KEY,
    doc_id                  VARCHAR NOT NULL,
    seq                     INTEGER NOT NULL,    -- order within the document
    kind                    VARCHAR NOT NULL,    -- quote | reported | paragraph | question
    start_char              INTEGER NOT NULL,    -- offsets into documents.text
    end_char                INTEGER NOT NULL,
    para_start              INTEGER,
    para_end                INTEGER,
    text                    VARCHAR NOT NULL,
    speaker_id              VARCHAR,
    speaker                 VARCHAR,             -- canonical name, or as the text gives it
    speaker_role            VARCHAR,
    speaker_country         VARCHAR,
    attribution_method      VARCHAR,
    attribution_confidence  DOUBLE,
    tone                    DOUBLE,              -- -1 hostile .. +1 warm
    tone_band               VARCHAR,
    date                    DATE,                -- the document's date
    source_kind             VARCHAR,             -- the document's, for filters without a join
    outlet_country          VARCHAR,
    tone_confidence         DOUBLE               -- 0..1: the tone model's probability of the tone's sign
);

-- A database built before the sources registry gains its columns; ingest then re-extracts
-- every document (the extraction version changed), so the new columns are filled.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS source_name VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS outlet_country VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS source_kind VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS attribution VARCHAR;
ALTER TABLE statements ADD COLUMN IF NOT EXISTS source_kind VARCHAR;
ALTER TABLE statements ADD COLUMN IF NOT EXISTS outlet_country VARCHAR;
ALTER TABLE statements ADD COLUMN IF NOT EXISTS tone_confidence DOUBLE;

CREATE TABLE IF NOT EXISTS mentions (
    statement_id    BIGINT NOT NULL,
    doc_id          VARCHAR NOT NULL,
    actor           VARCHAR NOT NULL,
    surface         VARCHAR NOT NULL,
    start_char      INTEGER,             -- offsets into statements.text
    end_char        INTEGER,
    tone_toward     DOUBLE,
    speaker_country VARCHAR,             -- denormalised from the statement
    date            DATE,
    toward_confidence DOUBLE             -- 0..1: the tone model's probability of the stance's sign
);
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS toward_confidence DOUBLE;

CREATE TABLE IF NOT EXISTS document_actors (
    doc_id      VARCHAR NOT NULL,
    actor       VARCHAR NOT NULL,
    surfaces    VARCHAR,                 -- distinct surface forms, joined by ' | '
    n           INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS statement_topics (
    statement_id    BIGINT NOT NULL,
    topic           VARCHAR NOT NULL
);

-- Mentions summed per day, speaker country and actor: what the Countries and Tone pages read
-- when only dates, speaker countries and actors are filtered. Rebuilt at the end of every ingest.
CREATE TABLE IF NOT EXISTS mention_rollup (
    date            DATE,
    speaker_country VARCHAR,
    actor           VARCHAR NOT NULL,
    n               BIGINT NOT NULL,     -- mentions
    n_tone          BIGINT NOT NULL,     -- mentions with a tone toward the actor
    sum_tone        DOUBLE,              -- sum of tone_toward
    sum_tone2       DOUBLE,              -- sum of squares, for the standard deviation
    n_hostile       BIGINT NOT NULL,     -- mentions per tone band (the bands of records.TONE_BANDS)
    n_critical      BIGINT NOT NULL,
    n_neutral       BIGINT NOT NULL,
    n_cooperative   BIGINT NOT NULL,
    n_warm          BIGINT NOT NULL
);

-- Statements summed per day, speaker country and kind: the Overview's timelines when no
-- actor, speaker, topic, tone or text filter applies. Rebuilt at the end of every ingest.
CREATE TABLE IF NOT EXISTS statement_rollup (
    date            DATE,
    speaker_country VARCHAR,
    kind            VARCHAR NOT NULL,
    n               BIGINT NOT NULL,
    n_tone          BIGINT NOT NULL,
    sum_tone        DOUBLE,
    sum_tone2       DOUBLE
);

-- Reference tables: copies of the editable CSV files in data/, refreshed on every ingest.
CREATE TABLE IF NOT EXISTS actors (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    kind        VARCHAR,                 -- state | organisation
    aliases     VARCHAR
);

CREATE TABLE IF NOT EXISTS speakers (
    speaker_id      VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    aliases         VARCHAR,
    role            VARCHAR,
    country         VARCHAR,
    in_office_from  DATE,
    in_office_to    DATE
);

CREATE TABLE IF NOT EXISTS topics (
    topic       VARCHAR PRIMARY KEY,
    label       VARCHAR NOT NULL,
    keywords    VARCHAR
);

CREATE TABLE IF NOT EXISTS events (
    date        DATE NOT NULL,
    label       VARCHAR NOT NULL,
    description VARCHAR,
    actors      VARCHAR,
    source      VARCHAR,
    importance  INTEGER,                 -- 1 key (labelled on timelines), 2 notable, 3 minor
    short       VARCHAR                  -- the label a key event is drawn with
);
ALTER TABLE events ADD COLUMN IF NOT EXISTS importance INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS short VARCHAR;

CREATE TABLE IF NOT EXISTS sources (
    source_id       VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,    -- official | state_media | media | other
    country         VARCHAR,
    domains         VARCHAR,
    url_prefixes    VARCHAR,
    outlet_names    VARCHAR,
    telegram        VARCHAR,
    attribution     VARCHAR
);

-- Contested place names, a copy of data/names.csv (one row per variant, in the file's order),
-- and which statements use which variant: rebuilt from both at the end of every ingest
-- (dashboard.names), so an edited names.csv takes effect on the next ingest.
CREATE TABLE IF NOT EXISTS names (
    seq         INTEGER NOT NULL,
    name_group  VARCHAR NOT NULL,        -- the place, e.g. "Stepanakert / Khankendi"
    variant     VARCHAR NOT NULL,        -- e.g. "Khankendi"
    patterns    VARCHAR NOT NULL,        -- the spellings that count, joined by ' | '
    side        VARCHAR,                 -- who typically says it
    note        VARCHAR
);

CREATE TABLE IF NOT EXISTS statement_names (
    statement_id    BIGINT NOT NULL,
    name_group      VARCHAR NOT NULL,
    variant         VARCHAR NOT NULL,
    n               INTEGER NOT NULL,    -- times the statement uses the variant
    date            DATE,                -- denormalised from the statement, as on mentions
    speaker_country VARCHAR
);

-- Views the pages read. A view costs nothing to keep and names what a page shows.

-- One row per statement with its document's source, for tables, drill-down and citations.
CREATE OR REPLACE VIEW statement_details AS
SELECT
    s.statement_id, s.date, s.kind, s.speaker, s.speaker_role, s.speaker_country,
    s.attribution_method, s.attribution_confidence, s.tone, s.tone_band, s.text,
    s.start_char, s.end_char, s.para_start, s.para_end,
    d.doc_id, d.title, d.outlet, d.url, d.doc_type, d.source_path, d.date_source,
    d.extraction_version, d.source_name, d.outlet_country, d.source_kind, d.attribution
FROM statements s
JOIN documents d USING (doc_id);

-- Who talks about whom: one row per (speaker country, actor mentioned) with n and mean tone toward
-- (over the stances the tone model gives at least 50% probability, as on the charts).
CREATE OR REPLACE VIEW speaker_actor_tone AS
SELECT speaker_country, actor, count(*) AS n,
       count(*) FILTER (WHERE tone_toward IS NOT NULL AND coalesce(toward_confidence, 1) >= 0.5) AS n_tone,
       avg(tone_toward) FILTER (WHERE coalesce(toward_confidence, 1) >= 0.5) AS mean_tone_toward
FROM mentions
WHERE speaker_country IS NOT NULL
GROUP BY ALL;

-- What the database holds, per source format and outlet.
CREATE OR REPLACE VIEW holdings AS
SELECT
    source_format, outlet, source_kind, outlet_country, count(*) AS documents, min(date) AS first_date, max(date) AS last_date,
    count(*) FILTER (WHERE date IS NULL) AS undated, max(extraction_version) AS extraction_version
FROM documents
GROUP BY ALL;
