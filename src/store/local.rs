//! Each community's own resources (`!local`) on both backends. The SQL text is shared; adding
//! is one statement that inserts only while the community has fewer than [`MAX_LOCAL`] entries
//! and not the same page, so replicas adding at once cannot push a community past the limit
//! (PostgreSQL takes a per-community advisory lock for the count; SQLite has one writer).

use postgres::Client;
use rusqlite::{params, Connection, OptionalExtension};

use super::columns::ID_ATTEMPTS;
use super::postgres::PostgresStore;
use super::sqlite::SqliteStore;
use super::{new_id, StoreError};
use crate::command::local::shelf::LocalShelf;
use crate::records::{AddedLocal, Local, NewLocal, MAX_LOCAL};

/// The columns every query reads an entry from, in [`Local`] order.
const COLUMNS: &str = "id, community, url, url_key, title, added_by, added_us";

/// Inserts an entry while its community has room. Parameters: id, community, url, url_key,
/// title, added_by, added_us, the limit.
const ADD: &str = "INSERT INTO local_resources \
     (id, community, url, url_key, title, added_by, added_us) \
     SELECT $1, $2, $3, $4, $5, $6, CAST($7 AS BIGINT) \
     WHERE (SELECT COUNT(*) FROM local_resources WHERE community = $2) < CAST($8 AS BIGINT) \
     ON CONFLICT DO NOTHING";

/// How many entries a community has. Parameter: community.
const COUNT: &str = "SELECT COUNT(*) FROM local_resources WHERE community = $1";

/// Deletes one entry of one community. Parameters: community, id.
const REMOVE: &str = "DELETE FROM local_resources WHERE community = $1 AND id = $2";

fn same_page() -> String {
    format!("SELECT {COLUMNS} FROM local_resources WHERE community = $1 AND url_key = $2")
}

fn of_community() -> String {
    format!("SELECT {COLUMNS} FROM local_resources WHERE community = $1 ORDER BY added_us, id")
}

fn everything() -> String {
    format!("SELECT {COLUMNS} FROM local_resources ORDER BY community, added_us, id")
}

/// What to say when the insert changed nothing: the same page, a full community, or (neither)
/// an id that clashed, to try again.
fn not_added(existing: Option<Local>, count: i64) -> Option<AddedLocal> {
    match existing {
        Some(e) => Some(AddedLocal::Existing(e)),
        None if count >= MAX_LOCAL as i64 => Some(AddedLocal::Full),
        None => None,
    }
}

const CLASHED: StoreError = StoreError::Corrupt {
    operation: "add a local resource",
    column: "id",
};

fn sqlite_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Local> {
    Ok(Local {
        id: row.get(0)?,
        new: NewLocal {
            community: row.get(1)?,
            url: row.get(2)?,
            url_key: row.get(3)?,
            title: row.get(4)?,
            added_by: row.get(5)?,
            at_us: row.get(6)?,
        },
    })
}

fn sqlite_add(c: &mut Connection, new: NewLocal) -> Result<AddedLocal, StoreError> {
    const OP: &str = "add a local resource";
    let failed = super::sqlite::failed;
    for _ in 0..ID_ATTEMPTS {
        let id = new_id();
        let n = &new;
        let inserted = c
            .execute(
                ADD,
                params![
                    id,
                    n.community,
                    n.url,
                    n.url_key,
                    n.title,
                    n.added_by,
                    n.at_us,
                    MAX_LOCAL as i64
                ],
            )
            .map_err(failed(OP))?;
        if inserted == 1 {
            return Ok(AddedLocal::Stored(Local { id, new }));
        }
        let existing = c
            .query_row(
                &same_page(),
                params![new.community, new.url_key],
                sqlite_row,
            )
            .optional()
            .map_err(failed(OP))?;
        let count: i64 = c
            .query_row(COUNT, [&new.community], |r| r.get(0))
            .map_err(failed(OP))?;
        if let Some(answer) = not_added(existing, count) {
            return Ok(answer);
        }
    }
    Err(CLASHED)
}

impl LocalShelf for SqliteStore {
    fn add(&self, new: NewLocal) -> Result<AddedLocal, StoreError> {
        self.pool
            .call("add a local resource", move |c| sqlite_add(c, new))
    }

    fn remove(&self, community: &str, id: &str) -> Result<bool, StoreError> {
        const OP: &str = "remove a local resource";
        let (community, id) = (community.to_string(), id.to_string());
        self.pool.call(OP, move |c| {
            c.execute(REMOVE, params![community, id])
                .map(|n| n > 0)
                .map_err(super::sqlite::failed(OP))
        })
    }

    fn list(&self, community: &str) -> Result<Vec<Local>, StoreError> {
        let community = community.to_string();
        self.pool.call("list local resources", move |c| {
            sqlite_all(c, &of_community(), &[&community])
        })
    }

    fn everything(&self) -> Result<Vec<Local>, StoreError> {
        self.pool.call("export local resources", |c| {
            sqlite_all(c, &everything(), &[])
        })
    }
}

fn sqlite_all(
    c: &mut Connection,
    sql: &str,
    values: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Local>, StoreError> {
    const OP: &str = "list local resources";
    let failed = super::sqlite::failed;
    let mut statement = c.prepare_cached(sql).map_err(failed(OP))?;
    let rows = statement
        .query_map(values, sqlite_row)
        .map_err(failed(OP))?;
    rows.collect::<Result<_, _>>().map_err(failed(OP))
}

fn postgres_row(row: &postgres::Row) -> Local {
    Local {
        id: row.get(0),
        new: NewLocal {
            community: row.get(1),
            url: row.get(2),
            url_key: row.get(3),
            title: row.get(4),
            added_by: row.get(5),
            at_us: row.get(6),
        },
    }
}

fn postgres_add(client: &mut Client, new: NewLocal) -> Result<AddedLocal, StoreError> {
    const OP: &str = "add a local resource";
    let failed = super::postgres::failed;
    let limit = MAX_LOCAL as i64;
    for _ in 0..ID_ATTEMPTS {
        let id = new_id();
        let mut tx = client.transaction().map_err(failed(OP))?;
        // Two replicas counting the same community at once would both see room for one more.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext($1))",
            &[&new.community],
        )
        .map_err(failed(OP))?;
        let n = &new;
        let inserted = tx
            .execute(
                ADD,
                &[
                    &id,
                    &n.community,
                    &n.url,
                    &n.url_key,
                    &n.title,
                    &n.added_by,
                    &n.at_us,
                    &limit,
                ],
            )
            .map_err(failed(OP))?;
        if inserted == 1 {
            tx.commit().map_err(failed(OP))?;
            return Ok(AddedLocal::Stored(Local { id, new }));
        }
        let existing = tx
            .query_opt(&same_page(), &[&new.community, &new.url_key])
            .map_err(failed(OP))?
            .map(|row| postgres_row(&row));
        let count: i64 = tx
            .query_one(COUNT, &[&new.community])
            .map_err(failed(OP))?
            .get(0);
        tx.commit().map_err(failed(OP))?;
        if let Some(answer) = not_added(existing, count) {
            return Ok(answer);
        }
    }
    Err(CLASHED)
}

impl LocalShelf for PostgresStore {
    fn add(&self, new: NewLocal) -> Result<AddedLocal, StoreError> {
        self.pool
            .call("add a local resource", move |c| postgres_add(c, new))
    }

    fn remove(&self, community: &str, id: &str) -> Result<bool, StoreError> {
        const OP: &str = "remove a local resource";
        let (community, id) = (community.to_string(), id.to_string());
        self.pool.call(OP, move |c| {
            c.execute(REMOVE, &[&community, &id])
                .map(|n| n > 0)
                .map_err(super::postgres::failed(OP))
        })
    }

    fn list(&self, community: &str) -> Result<Vec<Local>, StoreError> {
        const OP: &str = "list local resources";
        let community = community.to_string();
        self.pool.call(OP, move |c| {
            c.query(&of_community(), &[&community])
                .map(|rows| rows.iter().map(postgres_row).collect())
                .map_err(super::postgres::failed(OP))
        })
    }

    fn everything(&self) -> Result<Vec<Local>, StoreError> {
        const OP: &str = "export local resources";
        self.pool.call(OP, |c| {
            c.query(&everything(), &[])
                .map(|rows| rows.iter().map(postgres_row).collect())
                .map_err(super::postgres::failed(OP))
        })
    }
}
