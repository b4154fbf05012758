-- Schema version 7: transcript revisions after coding.
-- documents.text_hash is the SHA-256 (hex) of the stored UTF-8 text, written with every document
-- row and every revision (rows of older projects are filled in when the project is opened), so
-- that an import can tell "the same document" from "a revised document".
-- coding_reviews flags codings a revision clipped or replaced (要確認), keyed by the coding's
-- GUID, which is never reused, with the text they covered before.
-- orphans keeps codings whose whole text a revision deleted: the coding row as JSON (id, GUID,
-- code, coder, memo, exemplar, old span), the old text and the summaries that cited it, until the
-- researcher re-attaches it to a span or deletes it. No foreign keys: an orphan outlives the
-- deletion of its code (re-attaching then says so) and comes back with it on undo.

ALTER TABLE documents ADD COLUMN text_hash TEXT NOT NULL DEFAULT '';

CREATE TABLE coding_reviews (
    coding_guid TEXT PRIMARY KEY,
    reason      TEXT NOT NULL CHECK (reason IN ('clipped', 'replaced')),
    old_text    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE orphans (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL,
    code_id     INTEGER NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('deleted', 'duplicate')),
    old_text    TEXT NOT NULL,
    coding      TEXT NOT NULL,
    summary_ids TEXT NOT NULL DEFAULT '[]',
    orphaned_at TEXT NOT NULL
);
CREATE INDEX orphans_document ON orphans (document_id);
