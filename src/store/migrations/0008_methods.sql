-- Schema version 8 (issue 16): SCAT worksheets and M-GTA analysis worksheets.
-- Keyed by GUIDs, not row ids, and without foreign keys on purpose: a worksheet outlives the
-- deletion of its document or code so that undoing the deletion (which restores the same GUID)
-- brings it back; readers show only worksheets whose document or code exists.

-- One SCAT worksheet per document: the three free-text blocks under the table.
CREATE TABLE scat_sheets (
    document_guid TEXT PRIMARY KEY,
    storyline     TEXT NOT NULL DEFAULT '',
    theory        TEXT NOT NULL DEFAULT '',
    issues        TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Its rows, in order: a span [start, end) of the document's text in code points, and 〈1〉–〈5〉.
CREATE TABLE scat_rows (
    document_guid TEXT NOT NULL REFERENCES scat_sheets (document_guid) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    speaker       TEXT NOT NULL DEFAULT '',
    start         INTEGER NOT NULL,
    end           INTEGER NOT NULL CHECK (end >= start),
    step1         TEXT NOT NULL DEFAULT '',
    step2         TEXT NOT NULL DEFAULT '',
    step3         TEXT NOT NULL DEFAULT '',
    step4         TEXT NOT NULL DEFAULT '',
    step5         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (document_guid, position)
) WITHOUT ROWID;

-- M-GTA: the researcher's order of a concept's variations (its codings) and which are hidden.
-- Codings without an entry follow the listed ones in order of addition.
CREATE TABLE mgta_variations (
    code_guid   TEXT NOT NULL,
    coding_guid TEXT NOT NULL,
    position    INTEGER NOT NULL,
    hidden      INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    PRIMARY KEY (code_guid, coding_guid)
) WITHOUT ROWID;

-- 理論的メモ: dated entries on a concept's worksheet, or (code_guid NULL) in the project's
-- 理論的メモノート.
CREATE TABLE mgta_memos (
    id        INTEGER PRIMARY KEY,
    code_guid TEXT,
    date      TEXT NOT NULL,
    coder     TEXT NOT NULL,
    text      TEXT NOT NULL
);
CREATE INDEX mgta_memos_code ON mgta_memos (code_guid);

-- 結果図: boxes (categories and concepts) with positions, and labelled arrows between them.
CREATE TABLE mgta_diagram_boxes (
    code_guid TEXT PRIMARY KEY,
    x         REAL NOT NULL,
    y         REAL NOT NULL
) WITHOUT ROWID;

CREATE TABLE mgta_diagram_arrows (
    id        INTEGER PRIMARY KEY,
    from_guid TEXT NOT NULL,
    to_guid   TEXT NOT NULL,
    label     TEXT NOT NULL DEFAULT ''
);
