-- Schema version 12 on a team server: the character index of the search copies (see the
-- SQLite text of 0012_search_index.sql for what it holds). A server search scans the texts;
-- the tables are here so that a published file's index travels to the server and back, and
-- the trigger keeps it honest there too: a text changed on the server drops its row.
CREATE TABLE search_index_documents (
    document_id BIGINT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    text_hash   TEXT COLLATE "C" NOT NULL,
    recipe      TEXT COLLATE "C" NOT NULL,
    fold_map    BYTEA NOT NULL
);

CREATE TABLE search_postings (
    code_point  BIGINT NOT NULL,
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    positions   BYTEA NOT NULL,
    PRIMARY KEY (code_point, document_id)
);
CREATE INDEX search_postings_document ON search_postings (document_id);

CREATE FUNCTION search_index_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_index_documents WHERE document_id = OLD.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_index_stale AFTER UPDATE OF text ON documents
    FOR EACH ROW EXECUTE FUNCTION search_index_stale();
