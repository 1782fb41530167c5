//! `index.toml`: where the index comes from and when it was last reviewed.

use crate::index::check::{parse_date, Checker};
use crate::index::model::Provenance;
use crate::index::raw::RawMeta;

const FILE: &str = "index.toml";

/// Checks the review date and keeps the rest as the index's provenance.
pub(super) fn validate_meta(meta: RawMeta, checker: &mut Checker) -> Provenance {
    if parse_date(&meta.reviewed).is_none() {
        checker.entry(FILE, "index".into()).error(
            "reviewed",
            format!("`{}` is not a YYYY-MM-DD date", meta.reviewed),
        );
    }
    Provenance {
        title: meta.title,
        source_title: meta.source_title,
        source_publisher: meta.source_publisher,
        source_updated: meta.source_updated,
        reviewed: meta.reviewed,
        notes: meta.notes,
    }
}
