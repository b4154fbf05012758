-- casecode project schema, version 1.
-- Offsets (start, end, text_start) are Unicode code points of documents.text, half-open [start, end).
-- Foreign keys are deferred so that a command may restore rows in any order inside its transaction.

CREATE TABLE project_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE attributes (
    id       INTEGER PRIMARY KEY,
    guid     TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL UNIQUE,
    kind     TEXT NOT NULL CHECK (kind IN ('integer', 'number', 'date', 'text')),
    position INTEGER NOT NULL
);

CREATE TABLE cases (
    id   INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    memo TEXT NOT NULL DEFAULT ''
);

CREATE TABLE attribute_values (
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    attribute_id INTEGER NOT NULL REFERENCES attributes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    value        TEXT NOT NULL,
    PRIMARY KEY (case_id, attribute_id)
) WITHOUT ROWID;
CREATE INDEX attribute_values_attribute ON attribute_values (attribute_id);

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    guid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL UNIQUE,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    text        TEXT NOT NULL,
    chars       INTEGER NOT NULL,
    encoding    TEXT NOT NULL,
    source_path TEXT NOT NULL,
    memo        TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL
);
CREATE INDEX documents_case ON documents (case_id);

CREATE TABLE utterances (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    number      INTEGER NOT NULL,
    speaker     TEXT NOT NULL,
    start       INTEGER NOT NULL,
    text_start  INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    PRIMARY KEY (document_id, number)
) WITHOUT ROWID;

CREATE TABLE frames (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL
);

CREATE TABLE roles (
    id       INTEGER PRIMARY KEY,
    frame_id INTEGER NOT NULL REFERENCES frames (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (frame_id, name)
);

CREATE TABLE codes (
    id         INTEGER PRIMARY KEY,
    guid       TEXT NOT NULL UNIQUE,
    parent_id  INTEGER REFERENCES codes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name       TEXT NOT NULL CHECK (name <> ''),
    definition TEXT NOT NULL DEFAULT '',
    color      TEXT,
    memo       TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL
);
-- Names are unique among siblings (top-level codes are siblings of each other).
CREATE UNIQUE INDEX codes_sibling_name ON codes (ifnull(parent_id, 0), name);

CREATE TABLE code_roles (
    code_id INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    role_id INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (code_id, role_id)
) WITHOUT ROWID;
CREATE INDEX code_roles_role ON code_roles (role_id);

CREATE TABLE codings (
    id          INTEGER PRIMARY KEY,
    guid        TEXT NOT NULL UNIQUE,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    code_id     INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    coder       TEXT NOT NULL,
    memo        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    CHECK (start >= 0 AND start < end),
    UNIQUE (code_id, document_id, start, end, coder)
);
CREATE INDEX codings_document ON codings (document_id, start);

-- The audit trail: every command done, undone or redone, with who and when. Append-only.
CREATE TABLE journal (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    coder  TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('do', 'undo', 'redo')),
    label  TEXT NOT NULL,
    detail TEXT NOT NULL
);

-- The undo/redo stack, persisted so that `casecode undo` works across processes.
-- `undo` holds the inverse command (JSON) while the entry is done; `redo` the command that
-- re-applies it once it has been undone.
CREATE TABLE undo_stack (
    id     INTEGER PRIMARY KEY,
    label  TEXT NOT NULL,
    undo   TEXT,
    redo   TEXT,
    undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
);
