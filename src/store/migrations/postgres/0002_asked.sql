-- How often each normalised question was missed or each answer given, per day (Unix day number).
-- Holds no user, channel or platform ids: only the scrubbed words.
CREATE TABLE asked (
    day   BIGINT NOT NULL,
    kind  TEXT NOT NULL CHECK (kind IN ('miss', 'answer')),
    text  TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (day, kind, text)
);
