-- Schema version 10 on a team server: the stored search copy of each document (see the SQLite
-- text of 0010_search_folds.sql for what it holds).
CREATE TABLE search_folds (
    document_id BIGINT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    text_hash   TEXT COLLATE "C" NOT NULL,
    recipe      TEXT COLLATE "C" NOT NULL,
    patches     BYTEA NOT NULL
);
