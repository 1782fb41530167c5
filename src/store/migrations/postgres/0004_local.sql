-- Each community's own resources (`!local`), added by its moderators. Times are Unix
-- microseconds, fine enough to keep a community's entries in the order they were added.
-- `community` is platform-qualified (`discord:<guild>`, `slack:<team>`, `matrix:<room>`).
CREATE TABLE local_resources (
    id        TEXT PRIMARY KEY,
    community TEXT NOT NULL,
    url       TEXT NOT NULL,
    url_key   TEXT NOT NULL,
    title     TEXT NOT NULL,
    added_by  TEXT NOT NULL,
    added_us  BIGINT NOT NULL,
    UNIQUE (community, url_key)
);
CREATE INDEX local_resources_by_community ON local_resources (community, added_us);
