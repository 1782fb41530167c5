//! What the generated pages hold: every profession and resource where people will look for it,
//! links that resolve, no mirrors, and superseded material after what replaced it.

use signpost::index::{is_mirror, Kind, Status};
use signpost::site::paths::{profession_path, ABOUT, ABUSE, ARTICLES, TIPS};
use signpost::site::HOME;
use url::Url;

use super::{escaped, hrefs, html_pages, page, site_of};
use crate::support::index;

/// Each profession is in the home page's picker and has a page listing all of its guidance,
/// its regulators, and the command that gives the same answer in chat.
#[test]
fn every_profession_has_a_page_with_its_resources() {
    let index = index();
    let site = site_of(index);
    let home = page(&site, HOME);
    for p in &index.professions {
        let path = profession_path(&p.id);
        assert!(
            home.contains(&format!("href=\"{path}\"")),
            "{path} not picked"
        );
        let html = page(&site, &path);
        assert!(html.contains(&escaped(&p.name)), "{path}: no name");
        for &r in &p.resources {
            let title = escaped(&index.resources[r].title);
            assert!(html.contains(&title), "{path}: missing {title}");
        }
        for regulator in &p.regulators {
            assert!(html.contains(&escaped(regulator)), "{path}: {regulator}");
        }
        assert!(html.contains(&format!("<code>!guidance {}</code>", p.id)));
    }
    for u in &index.uncovered {
        let html = page(&site, &profession_path(&u.id));
        assert!(html.contains(&escaped(&u.name)), "{}", u.id);
    }
}

/// The abuse-help page has every platform with its reporting pages, and the UK lines with their
/// phone numbers and hours as the index gives them; the list pages hold their kinds of resource.
#[test]
fn list_pages_hold_their_resources() {
    let index = index();
    let site = site_of(index);
    let abuse = page(&site, ABUSE);
    for p in &index.platforms {
        assert!(abuse.contains(&escaped(&p.name)), "{}", p.name);
        for &r in &p.reporting {
            assert!(abuse.contains(&escaped(&index.resources[r].title)));
        }
        assert!(abuse.contains(&format!("<code>!abuse-help {}</code>", p.id)));
    }
    let lines = index
        .by_kind(Kind::Helpline)
        .into_iter()
        .filter(|r| r.status == Status::Current);
    for line in lines {
        if let Some(phone) = &line.phone {
            assert!(abuse.contains(&escaped(phone)), "{phone}");
        }
        if let Some(hours) = &line.hours {
            assert!(abuse.contains(&escaped(hours)), "{hours}");
        }
    }
    let articles = page(&site, ARTICLES);
    for r in index.by_kind(Kind::Article) {
        assert!(articles.contains(&escaped(&r.title)), "{}", r.title);
    }
    let tips = page(&site, TIPS);
    for tip in &index.tips {
        assert!(tips.contains(&escaped(&tip.text)), "{}", tip.text);
    }
    let home = page(&site, HOME);
    for r in index.by_kind(Kind::GettingStarted) {
        assert!(home.contains(&escaped(&r.title)), "{}", r.title);
    }
    let about = page(&site, ABOUT);
    assert!(about.contains(&escaped(&index.provenance.reviewed)));
    assert!(about.contains(&escaped(&index.provenance.source_title)));
}

/// Every resource in the index is shown on some page.
#[test]
fn every_resource_is_on_some_page() {
    let index = index();
    let site = site_of(index);
    let pages = html_pages(&site);
    for r in &index.resources {
        let title = escaped(&r.title);
        assert!(
            pages.iter().any(|(_, html)| html.contains(&title)),
            "{} is on no page",
            r.id
        );
    }
}

/// Every link between pages names a file the site has, and every `#fragment` an id on it.
#[test]
fn every_internal_link_resolves() {
    let site = site_of(index());
    let mut checked = 0;
    for (path, html) in html_pages(&site) {
        for href in hrefs(html) {
            if href.starts_with("https://") || href.starts_with("http://") {
                continue;
            }
            let (file, fragment) = href.split_once('#').unwrap_or((&href, ""));
            let target = if file.is_empty() {
                path.to_string()
            } else {
                resolve(path, file)
            };
            let target_html = super::page(&site, &target);
            if !fragment.is_empty() {
                assert!(
                    target_html.contains(&format!("id=\"{fragment}\"")),
                    "{path}: {href} has no #{fragment}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links");
}

/// `href` (relative, or absolute from `/`) from the page at `from`, as a path from the root.
fn resolve(from: &str, href: &str) -> String {
    if let Some(rooted) = href.strip_prefix('/') {
        return rooted.to_string();
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in href.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// No link on any page, nor in the search list, points at a third-party mirror, and every link
/// out is a web address.
#[test]
fn no_external_link_is_a_mirror() {
    let site = site_of(index());
    let mut external = 0;
    for (path, html) in html_pages(&site) {
        for href in hrefs(html) {
            if href.contains("://") {
                let url = Url::parse(&href).unwrap_or_else(|e| panic!("{path}: {href}: {e}"));
                assert!(matches!(url.scheme(), "https" | "http"), "{href}");
                assert!(!is_mirror(&url), "{path}: mirror {href}");
                external += 1;
            }
        }
    }
    assert!(external > 50, "only {external} external links");
}

/// On every page, a superseded item comes after the item that replaced it, and says what
/// replaced it next to a text badge.
#[test]
fn superseded_items_follow_their_replacement() {
    let index = index();
    let site = site_of(index);
    let mut pairs = 0;
    for (path, html) in html_pages(&site) {
        for old in index
            .resources
            .iter()
            .filter(|r| r.status == Status::Superseded)
        {
            let Some(old_at) = item_heading(html, &old.title) else {
                continue;
            };
            let rest = &html[old_at..];
            let end = rest.find("</li>").expect("item ends");
            assert!(rest[..end].contains("Status: </span>superseded"), "{path}");
            let Some(new) = old.superseded_by.map(|n| &index.resources[n]) else {
                continue;
            };
            assert!(rest[..end].contains("Replaced by: "), "{path}: {}", old.id);
            if let Some(new_at) = item_heading(html, &new.title) {
                assert!(new_at < old_at, "{path}: {} before {}", old.id, new.id);
                pairs += 1;
            }
        }
    }
    assert!(
        pairs > 0,
        "no page shows a superseded item with its replacement"
    );
}

/// Where the item titled `title` starts on a page (its heading, not a "Replaced by" mention).
fn item_heading(html: &str, title: &str) -> Option<usize> {
    let heading = format!(">{}</a></h", escaped(title));
    let plain = format!(">{}</h", escaped(title));
    html.find(&heading).or_else(|| html.find(&plain))
}

/// Every page says when it was generated and, but for the 404 page, which chat commands give
/// its answer.
#[test]
fn every_page_says_when_and_which_command() {
    let site = site_of(index());
    for (path, html) in html_pages(&site) {
        assert!(
            html.contains("<time datetime=\"2026-12-31T23:08:18Z\">31 Dec 2026, 23:08 UTC</time>"),
            "{path}"
        );
        if path != signpost::site::NOT_FOUND {
            assert!(html.contains("The same answer in chat"), "{path}");
            assert!(html.contains("<code>!"), "{path}");
        }
        for landmark in ["<header", "<nav", "<main", "<footer", "class=\"skip\""] {
            assert!(html.contains(landmark), "{path}: no {landmark}");
        }
    }
}

/// `signpost site OUT_DIR` writes the same files the library builds.
#[test]
fn the_command_writes_the_site() {
    let out = crate::support::temp_dir("site-cli");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_signpost"))
        .arg("site")
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SIGNPOST__BOT__PREFIX")
        .env_remove("SIGNPOST__BOT__DATA_DIR")
        .output()
        .expect("run signpost site");
    assert!(status.status.success(), "{status:?}");
    let site = site_of(index());
    for path in site.files.keys() {
        assert!(out.join(path).is_file(), "{path} not written");
    }
    let nurse = std::fs::read_to_string(out.join(profession_path("nurse"))).expect("nurse page");
    assert!(nurse.contains("<code>!guidance nurse</code>"));
}
