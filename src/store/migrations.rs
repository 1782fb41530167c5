//! Numbered schema migrations, one SQL file per step per backend (`migrations/<backend>/`).
//! Each backend records the steps it has applied in a `schema_migrations` table and, when it
//! connects, applies the missing ones in order, each in its own transaction, so a database is
//! never left half-way through a step. A database with a step this build does not know was
//! written by a newer version, and is refused rather than guessed at.
//!
//! A step is never edited once released: a change is a new step.

/// One migration step.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its number: steps apply in increasing order, starting at 1, with no gaps.
    pub version: u32,
    /// Its file name, for errors.
    pub name: &'static str,
    /// The SQL, possibly several statements.
    pub sql: &'static str,
}

macro_rules! step {
    ($version:literal, $backend:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("migrations/", $backend, "/", $name, ".sql")),
        }
    };
}

/// SQLite's steps.
pub const SQLITE: &[Migration] = &[
    step!(1, "sqlite", "0001_suggestions"),
    step!(2, "sqlite", "0002_asked"),
    step!(3, "sqlite", "0003_shared"),
    step!(4, "sqlite", "0004_local"),
];

/// PostgreSQL's steps: the same schema in its types.
pub const POSTGRES: &[Migration] = &[
    step!(1, "postgres", "0001_suggestions"),
    step!(2, "postgres", "0002_asked"),
    step!(3, "postgres", "0003_shared"),
    step!(4, "postgres", "0004_local"),
];

/// The table that records applied steps, in SQL both backends accept.
pub const TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
     version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

/// The steps after `applied`, or an error when the database is ahead of this build.
pub fn pending(
    steps: &'static [Migration],
    applied: u32,
) -> Result<&'static [Migration], super::StoreError> {
    let known = steps.last().map_or(0, |m| m.version);
    if applied > known {
        return Err(super::StoreError::TooNew {
            found: applied,
            known,
        });
    }
    Ok(&steps[applied as usize..])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both backends number their steps 1, 2, … with no gaps, and have the same steps.
    #[test]
    fn steps_are_numbered() {
        for steps in [SQLITE, POSTGRES] {
            for (n, step) in steps.iter().enumerate() {
                assert_eq!(step.version as usize, n + 1, "{}", step.name);
            }
        }
        let names = |steps: &[Migration]| steps.iter().map(|m| m.name).collect::<Vec<_>>();
        assert_eq!(names(SQLITE), names(POSTGRES));
        let known = SQLITE.len() as u32;
        assert!(
            pending(SQLITE, known + 1).is_err(),
            "a newer database is refused"
        );
        assert_eq!(pending(SQLITE, 1).unwrap().len(), SQLITE.len() - 1);
        assert!(pending(SQLITE, known).unwrap().is_empty());
    }
}
