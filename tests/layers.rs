//! The library's layers, held: reads every `crate::`, `super::` and `self::` path in `src/` and
//! fails, naming the import, when a module reaches a layer above its own or when modules import
//! each other, directly or through others.
//!
//! The layers are named once, in the `# Layout` tour at the top of `src/lib.rs`: each numbered
//! entry is a layer, lowest first, and the top-level modules it links (`[`name`]`) are in it.
//! A module in no layer is an error too, so a new module is placed when it is added.
//!
//! What counts as an import: a path in code (a `use`, a type, a call), resolved to the file of
//! the deepest module it names; a path to something a parent module re-exports counts as an
//! import of that parent, so siblings name each other by their own paths. A module's own
//! children are part of it (it declares them and may re-export them), so a parent naming its
//! child is no edge; a child naming its parent, siblings naming each other and paths across the
//! tree are. Doc comments, test
//! modules (`#[cfg(test)] mod …` to the end of a file, and `*_tests.rs`) and the binary
//! (`main.rs` and `cli/`, which see only the library's public items) are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module's path from the crate root, e.g. `["command", "table"]`; empty for `lib.rs`.
type ModPath = Vec<String>;

/// The library's source files, by module path.
fn modules(src: &Path) -> BTreeMap<ModPath, PathBuf> {
    let mut found = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let Some(rel) = path.strip_prefix(src).ok().and_then(|r| r.to_str()) else {
                continue;
            };
            let Some(rel) = rel.strip_suffix(".rs") else {
                continue;
            };
            // The binary (`main.rs` and its `cli/`) sees only the library's public items.
            if rel == "main" || rel.starts_with("cli/") || rel.ends_with("tests") {
                continue;
            }
            let mut parts: ModPath = rel.split('/').map(str::to_string).collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            found.insert(parts, path);
        }
    }
    found
}

/// The code of a file without comments and without its test module.
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod ") && next.contains('{'))
        {
            break;
        }
        let kept = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        out.push_str(kept);
        out.push('\n');
    }
    out
}

/// Reads an identifier at the start of `s`.
fn ident(s: &str) -> Option<&str> {
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(s.len(), |(i, _)| i);
    (end > 0).then(|| &s[..end])
}

/// Every path a `use` tree or an inline path names, starting at `s` just after the first
/// `::`, each prefixed with `base`. Groups (`{a, b::{c}}`) are expanded.
fn paths(base: &[String], s: &str, out: &mut Vec<ModPath>) {
    let s = s.trim_start();
    if let Some(group) = s.strip_prefix('{') {
        // Split the group at top-level commas.
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    paths(base, &group[start..i], out);
                    return;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    paths(base, &group[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        return;
    }
    if s.starts_with('*') {
        out.push(base.to_vec());
        return;
    }
    let Some(name) = ident(s) else {
        return;
    };
    let mut next = base.to_vec();
    if name != "self" {
        next.push(name.to_string());
    }
    match s[name.len()..].trim_start().strip_prefix("::") {
        Some(rest) => paths(&next, rest, out),
        None => out.push(next),
    }
}

/// The module paths a file's code names, resolved against the file's own module `me`.
fn named(me: &[String], code: &str) -> Vec<ModPath> {
    let mut out = Vec::new();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(start).map(|i| i + from) {
            from = at + start.len();
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            // `self` is the file's own module; `super` its parent, once per `super`.
            let mut base: ModPath = match start {
                "crate::" => Vec::new(),
                _ => me.to_vec(),
            };
            let mut rest = &code[at..];
            if start == "crate::" {
                rest = &rest["crate::".len()..];
            } else {
                loop {
                    if let Some(r) = rest.strip_prefix("super::") {
                        base.pop();
                        rest = r;
                    } else if let Some(r) = rest.strip_prefix("self::") {
                        rest = r;
                    } else {
                        break;
                    }
                }
            }
            paths(&base, rest, &mut out);
        }
    }
    out
}

/// The deepest module `path` names, and its file, if any (not the crate root).
fn resolve<'a>(
    mods: &'a BTreeMap<ModPath, PathBuf>,
    path: &[String],
) -> Option<(&'a ModPath, &'a PathBuf)> {
    (1..=path.len())
        .rev()
        .find_map(|n| mods.get_key_value(&path[..n].to_vec()))
}

/// The layers named in `lib.rs`'s `# Layout` tour, lowest first: each numbered entry's name
/// and the top-level modules it links.
fn layers(lib: &str, tops: &BTreeSet<String>) -> Vec<(String, BTreeSet<String>)> {
    let tour = lib
        .split("//! # Layout")
        .nth(1)
        .expect("lib.rs has a `# Layout` tour");
    let mut out: Vec<(String, BTreeSet<String>)> = Vec::new();
    for line in tour.lines().skip(1).take_while(|l| l.starts_with("//!")) {
        let text = line.trim_start_matches("//!");
        let numbered = text.trim_start().split_once(". ").filter(|(n, _)| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with("  ")
        });
        if let Some((_, rest)) = numbered {
            let name = rest
                .split(':')
                .next()
                .unwrap_or(rest)
                .trim_matches('*')
                .to_string();
            out.push((name, BTreeSet::new()));
        }
        let Some((_, members)) = out.last_mut() else {
            continue;
        };
        for link in text.split("[`").skip(1) {
            let name = link.split('`').next().unwrap_or("");
            if tops.contains(name) {
                members.insert(name.to_string());
            }
        }
    }
    out
}

/// Nothing imports a layer above its own, no module is in two layers or none, and no modules
/// import each other, directly or through others.
#[test]
fn layers_hold_and_imports_have_no_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&src);
    let tops: BTreeSet<String> = mods.keys().filter_map(|m| m.first().cloned()).collect();
    let lib = fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let layers = layers(&lib, &tops);
    assert!(
        layers.len() >= 5,
        "the tour names too few layers: {layers:?}"
    );

    let mut layer_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (n, (name, members)) in layers.iter().enumerate() {
        for m in members {
            if let Some(before) = layer_of.insert(m, n) {
                problems.push(format!(
                    "`{m}` is in two layers: {} and {name}",
                    layers[before].0
                ));
            }
        }
    }
    for top in &tops {
        if !layer_of.contains_key(top.as_str()) {
            problems.push(format!(
                "`{top}` is in no layer: link it in lib.rs's # Layout tour"
            ));
        }
    }

    // The file graph.
    let mut edges: BTreeMap<&PathBuf, BTreeSet<&PathBuf>> = BTreeMap::new();
    for (me, file) in &mods {
        if me.is_empty() {
            continue; // lib.rs declares and re-exports; it is the top.
        }
        let text = fs::read_to_string(file).expect("a source file");
        for path in named(me, &code(&text)) {
            let Some((target_mod, target)) = resolve(&mods, &path) else {
                continue;
            };
            // A module's own children are part of it: it declares them and may re-export
            // them, so only imports from a child up, between siblings and across the tree
            // make edges.
            if target == file || target_mod.starts_with(me) {
                continue;
            }
            edges.entry(file).or_default().insert(target);
            let (from, to) = (&me[0], &path[0]);
            if let (Some(&a), Some(&b)) = (layer_of.get(from.as_str()), layer_of.get(to.as_str())) {
                if b > a {
                    problems.push(format!(
                        "{} (layer {}) imports crate::{} (layer {}), a layer above",
                        file.strip_prefix(&src).unwrap_or(file).display(),
                        layers[a].0,
                        path.join("::"),
                        layers[b].0
                    ));
                }
            }
        }
    }

    for cycle in cycles(&edges) {
        let names: Vec<String> = cycle
            .iter()
            .map(|f| f.strip_prefix(&src).unwrap_or(f).display().to_string())
            .collect();
        let members: BTreeSet<&PathBuf> = cycle.iter().copied().collect();
        let mut ties = Vec::new();
        for a in &cycle {
            for b in edges.get(a).into_iter().flatten() {
                if members.contains(b) {
                    ties.push(format!(
                        "{} -> {}",
                        a.strip_prefix(&src).unwrap_or(a).display(),
                        b.strip_prefix(&src).unwrap_or(b).display()
                    ));
                }
            }
        }
        problems.push(format!(
            "these modules import each other: {}\n    {}",
            names.join(", "),
            ties.join("\n    ")
        ));
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The strongly connected groups of more than one file (Tarjan's algorithm).
fn cycles<'a>(edges: &BTreeMap<&'a PathBuf, BTreeSet<&'a PathBuf>>) -> Vec<Vec<&'a PathBuf>> {
    struct Walk<'a, 'e> {
        edges: &'e BTreeMap<&'a PathBuf, BTreeSet<&'a PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        stack: Vec<&'a PathBuf>,
        found: Vec<Vec<&'a PathBuf>>,
    }
    impl<'a> Walk<'a, '_> {
        fn visit(&mut self, v: &'a PathBuf) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            for &w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.stack.contains(&w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let at = self
                    .stack
                    .iter()
                    .rposition(|x| *x == v)
                    .expect("on the stack");
                let group = self.stack.split_off(at);
                if group.len() > 1 {
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for &v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

/// The reader finds paths inside groups, nested groups and `super` chains, so an import cannot
/// hide from the layering test in a `use` tree.
#[test]
fn use_trees_are_read_whole() {
    let me: ModPath = vec!["command".into(), "table".into()];
    let found = named(
        &me,
        "use crate::a::{b, c::{d, e}};\nuse super::super::f::*;\nlet x = crate::g::h();\nuse super::self_::X;",
    );
    let want: Vec<ModPath> = vec![
        vec!["a".into(), "b".into()],
        vec!["a".into(), "c".into(), "d".into()],
        vec!["a".into(), "c".into(), "e".into()],
        vec!["g".into(), "h".into()],
        vec!["f".into()],
        vec!["command".into(), "self_".into(), "X".into()],
    ];
    for w in &want {
        assert!(found.contains(w), "{w:?} not in {found:?}");
    }
    assert_eq!(
        code("a // crate::x\n#[cfg(test)]\nmod tests {\nuse crate::y;\n}\n"),
        "a \n"
    );
}
