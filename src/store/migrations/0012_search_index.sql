-- Schema version 12: the character index of the search copies (issue 17).
-- A cold substring search read and scanned every text (30 MB: most of half a second). The
-- index keeps, for each document's folded search copy (see 0010), the positions of every code
-- point: a query is answered from the positions of its own characters (a position p matches
-- when the query's i-th character stands at p + i for each i), without reading any text.
-- `search_index_documents.fold_map` maps the copy's positions back to the stored text (the
-- clusters that fold to something else, with their original text), so hits keep their exact
-- code-point offsets and text.
-- Derived data, outside undo, made by the first search that finds a document without it. A
-- document's row counts only while its `recipe` names the fold casecode does now; the trigger
-- below removes it the moment the document's text changes (edit, revision, replace, their
-- undo and redo all go through one UPDATE of `documents.text`), so a stale index is never
-- read: that document is scanned, and indexed again. Postings of a document without its row
-- are ignored and replaced when it is indexed again.

CREATE TABLE search_index_documents (
    document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    text_hash   TEXT NOT NULL,
    recipe      TEXT NOT NULL,
    fold_map    BLOB NOT NULL
);

CREATE TABLE search_postings (
    code_point  INTEGER NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    -- Folded code-point positions, ascending, as LEB128 varints of the gaps.
    positions   BLOB NOT NULL,
    PRIMARY KEY (code_point, document_id)
) WITHOUT ROWID;
CREATE INDEX search_postings_document ON search_postings (document_id);

CREATE TRIGGER search_index_stale AFTER UPDATE OF text ON documents
BEGIN
    DELETE FROM search_index_documents WHERE document_id = OLD.id;
END;
