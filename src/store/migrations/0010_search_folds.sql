-- Schema version 10: the stored search copy of each document (issue 17).
-- A substring search matches the query against an NFKC-normalised, lower-cased copy of every
-- text (ＮＩＣＵ finds nicu, ｶﾞ finds ガ). Folding 30 MB of text took most of a cold search, so
-- the copy is kept here, once per text: `patches` lists only the clusters whose folded form
-- differs from the text (a few bytes a line of Japanese; see `FoldedText::patches`).
-- Derived data, outside undo: a row counts only while `text_hash` equals the document's own
-- `documents.text_hash` and `recipe` names the fold casecode does now (the fold's version and
-- the Unicode tables it used). Otherwise the text is folded again and the row replaced, so an
-- edit or revision can never leave a stale copy in use.

CREATE TABLE search_folds (
    document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    text_hash   TEXT NOT NULL,
    recipe      TEXT NOT NULL,
    patches     BLOB NOT NULL
);
