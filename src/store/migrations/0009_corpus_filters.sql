-- Schema version 9: what the word-frequency list and KWIC leave out.
-- `stop_words` holds base forms the researcher does not want counted (こと, 思う …).
-- `speaker_roles` overrides casecode's guess of who the interviewer is: a row says whether a
-- speaker label (NFKC-normalised, as stored in `utterances.speaker`) is an interviewer.
-- Labels without a row follow the built-in list (I, Q, インタビュアー, 聞き手, 調査者 …).
-- Both are project data, changed by undoable commands.

CREATE TABLE stop_words (
    word TEXT PRIMARY KEY CHECK (word <> '')
);

CREATE TABLE speaker_roles (
    speaker     TEXT PRIMARY KEY CHECK (speaker <> ''),
    interviewer INTEGER NOT NULL CHECK (interviewer IN (0, 1))
);
