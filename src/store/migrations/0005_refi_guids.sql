-- Schema version 5 (REFI-QDA exchange): the GUIDs a .qdpx gave to things casecode keeps no row
-- for — users (key: the coder name), text selections (key: '<document guid>:<start>:<end>') and
-- the notes that carry memos (key: the GUID of the code, document or coding whose memo it is).
-- Without an entry, an export derives a stable name-based GUID; with one, it writes the file's
-- GUID again, so a project that came from another tool goes back to it with the same GUIDs.
CREATE TABLE refi_guids (
    kind TEXT NOT NULL CHECK (kind IN ('user', 'selection', 'note')),
    key  TEXT NOT NULL,
    guid TEXT NOT NULL UNIQUE,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
