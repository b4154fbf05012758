-- Schema version 3: the Japanese text layer.
-- The token index is derived data (rebuilt whenever missing or made with another dictionary),
-- so it is not part of undo: `lexemes` holds each distinct (surface, base form, POS, reading)
-- once; `token_index` holds per document a compact blob of (gap, length, lexeme) varints with
-- code-point offsets. `user_terms` is the project's own user dictionary (project data, changed
-- by undoable commands).

CREATE TABLE lexemes (
    id        INTEGER PRIMARY KEY,
    surface   TEXT NOT NULL,
    base_form TEXT NOT NULL,
    pos1      TEXT NOT NULL,
    pos2      TEXT NOT NULL,
    pos3      TEXT NOT NULL,
    pos4      TEXT NOT NULL,
    reading   TEXT NOT NULL,
    UNIQUE (surface, base_form, pos1, pos2, pos3, pos4, reading)
);
CREATE INDEX lexemes_base_form ON lexemes (base_form);

CREATE TABLE token_index (
    document_id    INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    dictionary_key TEXT NOT NULL,
    token_count    INTEGER NOT NULL,
    tokens         BLOB NOT NULL
);

CREATE TABLE user_terms (
    surface        TEXT PRIMARY KEY CHECK (surface <> ''),
    part_of_speech TEXT NOT NULL,
    reading        TEXT NOT NULL
);
