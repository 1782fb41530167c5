-- How often each normalised question was missed or each answer given, per day (Unix day number).
-- Holds no user, channel or platform ids: only the scrubbed words.
CREATE TABLE asked (
    day   INTEGER NOT NULL,
    kind  TEXT NOT NULL CHECK (kind IN ('miss', 'answer')),
    text  TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, kind, text)
);
