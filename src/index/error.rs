//! Problems found while loading the index, each naming the file, entry and field at fault.

use std::fmt;
use std::path::PathBuf;

/// One problem with the index files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// The file could not be read at all.
    #[error("{}: cannot read: {source}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not have the expected shape (toml says where).
    #[error("{}: {message}", file.display())]
    Parse {
        /// The file.
        file: PathBuf,
        /// toml's message, with line and column.
        message: String,
    },
    /// A field's value is wrong.
    #[error("{}: {entry}, field `{field}`: {problem}", file.display())]
    Invalid {
        /// The file.
        file: PathBuf,
        /// Which entry (`resource "nmc-social-media-guidance"`).
        entry: String,
        /// Which field.
        field: &'static str,
        /// What is wrong, naming the bad value.
        problem: String,
    },
}

/// Every problem found in one load; loading reports them all at once so a curator can fix a
/// batch of mistakes in one pass.
#[derive(Debug, thiserror::Error)]
pub struct IndexErrors(pub Vec<IndexError>);

impl fmt::Display for IndexErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} in the index",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            write!(f, "\n  - {e}")?;
        }
        Ok(())
    }
}
