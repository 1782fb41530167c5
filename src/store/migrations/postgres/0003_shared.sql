-- State that replicas sharing this store must agree on. Times are Unix milliseconds.

-- Event ids already answered (a platform's retries may reach another replica), until expiry.
CREATE TABLE seen (
    key        TEXT PRIMARY KEY,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX seen_by_expiry ON seen (expires_ms);

-- Cooldown buckets (GCRA: `tat_ms` is when the bucket would be full again). Keys are keyed
-- hashes, never platform ids. `now_ms`, `period_ms` and `window_ms` are the last check's
-- inputs, kept in the row so one upsert can compute the outcome from it (see store::shared).
CREATE TABLE cooldowns (
    key            TEXT PRIMARY KEY,
    now_ms         BIGINT NOT NULL,
    period_ms      BIGINT NOT NULL,
    window_ms      BIGINT NOT NULL,
    tat_ms         BIGINT NOT NULL,
    quiet_until_ms BIGINT NOT NULL,
    outcome        BIGINT NOT NULL
);
CREATE INDEX cooldowns_by_tat ON cooldowns (tat_ms);

-- The secret every replica hashes cooldown keys with, made once by this step.
CREATE TABLE shared_salt (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    value TEXT NOT NULL
);
INSERT INTO shared_salt (id, value) VALUES (1, md5(gen_random_uuid()::text) || md5(gen_random_uuid()::text));
