-- Schema version 4: how each document came to be, as a JSON object
-- {"format": "docx", "filters": ["aozora", "timestamps"], "notes": ["…"]}: the source format, the
-- cleanup filters applied (in order) before the text was stored, and what the import noted
-- (tracked changes accepted, headers left out). Documents imported before it read as '{}'.

ALTER TABLE documents ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
