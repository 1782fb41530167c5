-- Suggestions from chat, waiting for (or given) a moderator's decision. Times are Unix seconds.
CREATE TABLE suggestions (
    id           TEXT PRIMARY KEY,
    url          TEXT NOT NULL,
    url_key      TEXT NOT NULL UNIQUE,
    note         TEXT NOT NULL DEFAULT '',
    platform     TEXT NOT NULL,
    channel      TEXT NOT NULL,
    suggester    TEXT NOT NULL,
    suggested_at BIGINT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
    decided_at   BIGINT,
    decided_by   TEXT,
    reason       TEXT
);
CREATE INDEX suggestions_by_status ON suggestions (status, suggested_at);
