-- Schema version 6 (team coding): coders are rows of their own, with a GUID (the REFI-QDA
-- User) and a colour. Codings and summaries refer to them by id, so renaming a coder renames
-- every coding's coder, and merging two coders is a repointing, not a text search. The
-- journal keeps the name as written at the time (an audit trail is not rewritten) and refers
-- to the coder as well.
--
-- Codings and summaries are rebuilt (SQLite cannot add a reference to an existing column);
-- ids are kept, so summary links and undo entries stay valid. The store runs this migration
-- with foreign keys off, as SQLite's documented table rebuild requires, and checks them after.
-- GUIDs written here as 'pending:<name>' are replaced by the store right after this file:
-- the GUID a REFI-QDA import stored for the user, else the name-based one an export derived.
-- An empty coder name (never written by casecode) becomes 不明.

CREATE TABLE coders (
    id    INTEGER PRIMARY KEY,
    guid  TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL UNIQUE CHECK (name <> ''),
    color TEXT
);

INSERT INTO coders (guid, name)
SELECT 'pending:' || name, name FROM (
    SELECT CASE WHEN trim(coder) = '' THEN '不明' ELSE coder END AS name FROM codings
    UNION SELECT CASE WHEN trim(author) = '' THEN '不明' ELSE author END FROM summaries
    UNION SELECT CASE WHEN trim(coder) = '' THEN '不明' ELSE coder END FROM journal
    UNION SELECT key FROM refi_guids WHERE kind = 'user' AND trim(key) <> ''
)
ORDER BY name;

CREATE TABLE codings_v6 (
    id          INTEGER PRIMARY KEY,
    guid        TEXT NOT NULL UNIQUE,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    code_id     INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    coder_id    INTEGER NOT NULL REFERENCES coders (id) DEFERRABLE INITIALLY DEFERRED,
    memo        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    exemplar    INTEGER NOT NULL DEFAULT 0 CHECK (exemplar IN (0, 1)),
    CHECK (start >= 0 AND start < end),
    UNIQUE (code_id, document_id, start, end, coder_id)
);
INSERT INTO codings_v6 (id, guid, document_id, code_id, start, end, coder_id, memo, created_at, exemplar)
SELECT c.id, c.guid, c.document_id, c.code_id, c.start, c.end, k.id, c.memo, c.created_at, c.exemplar
FROM codings c
JOIN coders k ON k.name = CASE WHEN trim(c.coder) = '' THEN '不明' ELSE c.coder END;
DROP TABLE codings;
ALTER TABLE codings_v6 RENAME TO codings;
CREATE INDEX codings_document ON codings (document_id, start);
CREATE INDEX codings_coder ON codings (coder_id);

CREATE TABLE summaries_v6 (
    id         INTEGER PRIMARY KEY,
    guid       TEXT NOT NULL UNIQUE,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    code_id    INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    text       TEXT NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES coders (id) DEFERRABLE INITIALLY DEFERRED,
    updated_at TEXT NOT NULL,
    UNIQUE (case_id, code_id)
);
INSERT INTO summaries_v6 (id, guid, case_id, code_id, text, author_id, updated_at)
SELECT s.id, s.guid, s.case_id, s.code_id, s.text, k.id, s.updated_at
FROM summaries s
JOIN coders k ON k.name = CASE WHEN trim(s.author) = '' THEN '不明' ELSE s.author END;
DROP TABLE summaries;
ALTER TABLE summaries_v6 RENAME TO summaries;
CREATE INDEX summaries_code ON summaries (code_id);

ALTER TABLE journal ADD COLUMN coder_id INTEGER REFERENCES coders (id) ON DELETE SET NULL;
UPDATE journal SET coder_id =
    (SELECT id FROM coders WHERE name = CASE WHEN trim(journal.coder) = '' THEN '不明' ELSE journal.coder END);
