-- Schema version 2: what the case-code matrix needs besides codings.
-- A researcher's 要約 per (case, code) cell with the segments that support it, a cell state
-- ("explicitly negative": not the same as "not mentioned"), and the exemplar flag (代表的語り)
-- that picks Table 2 quotes.

ALTER TABLE codings ADD COLUMN exemplar INTEGER NOT NULL DEFAULT 0 CHECK (exemplar IN (0, 1));

CREATE TABLE summaries (
    id         INTEGER PRIMARY KEY,
    guid       TEXT NOT NULL UNIQUE,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    code_id    INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    text       TEXT NOT NULL,
    author     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (case_id, code_id)
);
CREATE INDEX summaries_code ON summaries (code_id);

CREATE TABLE summary_segments (
    summary_id INTEGER NOT NULL REFERENCES summaries (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    coding_id  INTEGER NOT NULL REFERENCES codings (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (summary_id, coding_id)
) WITHOUT ROWID;
CREATE INDEX summary_segments_coding ON summary_segments (coding_id);

CREATE TABLE cell_states (
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    code_id INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    state   TEXT NOT NULL CHECK (state IN ('negative')),
    PRIMARY KEY (case_id, code_id)
) WITHOUT ROWID;
CREATE INDEX cell_states_code ON cell_states (code_id);
