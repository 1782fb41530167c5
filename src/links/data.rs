//! Records the day a link was found working as `last_verified` in `resources.toml`, with
//! toml_edit so the file keeps its comments, order and spacing: the only change a reviewer sees
//! in the diff is one line per resource.

use std::collections::HashSet;
use std::path::Path;

use toml_edit::{DocumentMut, Item, Value};

use super::LinkError;
use crate::calendar::CivilDate;

/// Sets `last_verified = "<day>"` on each `[[resource]]` of `dir/resources.toml` whose id is in
/// `ids`: a new key goes after the resource's last one, an existing one is replaced in place.
/// Returns how many resources were stamped.
pub fn mark_verified(dir: &Path, ids: &[&str], day: CivilDate) -> Result<usize, LinkError> {
    let path = dir.join("resources.toml");
    let io_failed = |source| LinkError::DataFile {
        path: path.clone(),
        source,
    };
    let text = std::fs::read_to_string(&path).map_err(io_failed)?;
    let mut document: DocumentMut = text.parse().map_err(|source| LinkError::DataParse {
        path: path.clone(),
        source,
    })?;
    let wanted: HashSet<&str> = ids.iter().copied().collect();
    let stamped = stamp(&mut document, &wanted, day);
    if stamped > 0 {
        let partial = path.with_extension("toml.partial");
        std::fs::write(&partial, document.to_string()).map_err(io_failed)?;
        std::fs::rename(&partial, &path).map_err(io_failed)?;
    }
    Ok(stamped)
}

fn stamp(document: &mut DocumentMut, wanted: &HashSet<&str>, day: CivilDate) -> usize {
    let Some(resources) = document
        .get_mut("resource")
        .and_then(Item::as_array_of_tables_mut)
    else {
        return 0;
    };
    let mut stamped = 0;
    for table in resources.iter_mut() {
        let id = table.get("id").and_then(Item::as_str).unwrap_or_default();
        if !wanted.contains(id) {
            continue;
        }
        let new: Value = day.to_string().into();
        match table.get_mut("last_verified").and_then(Item::as_value_mut) {
            Some(old) => {
                // Keep the spacing and any comment after the old value.
                let decor = old.decor().clone();
                *old = new;
                *old.decor_mut() = decor;
            }
            None => {
                table.insert("last_verified", Item::Value(new));
            }
        }
        stamped += 1;
    }
    stamped
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stamping adds one line to each named resource and changes nothing else; stamping again
    /// replaces the day in place, keeping its comment.
    #[test]
    fn one_line_per_resource() {
        let before = "# Header comment\n\n[[resource]]\nid = \"a\"\nurl = \"https://a.example/\"  # the link\n\n# Next one\n[[resource]]\nid = \"b\"\nurl = \"https://b.example/\"\n";
        let mut document: DocumentMut = before.parse().unwrap();
        let day = CivilDate::parse("2026-11-30").unwrap();
        assert_eq!(stamp(&mut document, &HashSet::from(["a"]), day), 1);
        let after = document.to_string();
        assert_eq!(
            after,
            before.replace(
                "# the link\n",
                "# the link\nlast_verified = \"2026-11-30\"\n"
            )
        );
        let again = after.replace("\"2026-11-30\"", "\"2026-01-01\" # by hand");
        let mut document: DocumentMut = again.parse().unwrap();
        stamp(&mut document, &HashSet::from(["a", "c"]), day);
        assert_eq!(
            document.to_string(),
            after.replace("\"2026-11-30\"", "\"2026-11-30\" # by hand")
        );
    }
}
