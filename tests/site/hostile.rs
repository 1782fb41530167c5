//! Hostile index text on the site: markup, quotes and bidi overrides in a resource or
//! profession come out as inert, visible text on every page and in the search list.

use signpost::index::{load_dir, Index};
use signpost::site::paths::profession_path;
use signpost::site::Site;

use super::{html_pages, page, site_of};
use crate::support::copy_of_data;

/// A title that tries to run a script, break out of an attribute and reverse the text after it.
pub const TITLE: &str =
    "<script>alert(\"x\")</script> \"' onmouseover=\"alert(1)\" \u{202E}txt.exe";

/// A summary that tries to load an image that runs a script.
pub const SUMMARY: &str = "<img src=x onerror=alert(1)> \u{2066}isolated\u{2069} & more";

/// A profession name with a tag in it.
pub const NAME: &str = "Nurse <b onmouseover=\"alert(2)\">bold</b>";

/// The real index with [`TITLE`] and [`SUMMARY`] on the HCPC's 2024 guidance (which replaces
/// the 2017 one) and [`NAME`] as the nurse's name.
pub fn hostile_index(name: &str) -> Index {
    let dir = copy_of_data(name);
    let toml = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\u{202E}', "\\u202E")
            .replace('\u{2066}', "\\u2066")
            .replace('\u{2069}', "\\u2069")
    };
    let resources = std::fs::read_to_string(dir.join("resources.toml")).expect("read");
    let resources = resources
        .replacen(
            "title = \"Guidance on the use of social media\"",
            &format!("title = \"{}\"", toml(TITLE)),
            1,
        )
        .replacen(
            "summary = \"Revised HCPC guidance",
            &format!("summary = \"{} Revised HCPC guidance", toml(SUMMARY)),
            1,
        );
    std::fs::write(dir.join("resources.toml"), resources).expect("write");
    let professions = std::fs::read_to_string(dir.join("professions.toml")).expect("read");
    let professions =
        professions.replacen("name = \"Nurse\"", &format!("name = \"{}\"", toml(NAME)), 1);
    std::fs::write(dir.join("professions.toml"), professions).expect("write");
    load_dir(&dir)
        .expect("hostile text is still a valid index")
        .index
}

/// No file of `site` carries a live tag, an attribute break-out or a bidi control from the
/// hostile text.
pub fn assert_inert(site: &Site) {
    for (path, file) in &site.files {
        let text = std::str::from_utf8(&file.body).expect("UTF-8");
        for hidden in ['\u{202E}', '\u{2066}', '\u{2069}'] {
            assert!(!text.contains(hidden), "{path}: U+{:04X}", hidden as u32);
        }
    }
    for (path, html) in html_pages(site) {
        let scripts = html.matches("<script").count();
        let ours = html
            .matches("<script src=\"search.js\" defer></script>")
            .count();
        assert_eq!(scripts, ours, "{path}: a script that is not ours");
        for live in ["<img", "<b ", "onmouseover=\"alert", "\" onmouseover"] {
            assert!(!html.contains(live), "{path}: live {live}");
        }
    }
}

/// The hostile resource is listed on its professions' pages, escaped and stripped of bidi
/// controls; the hostile name is escaped in the page title and the picker.
#[test]
fn hostile_text_is_rendered_harmless() {
    let index = hostile_index("site-hostile");
    let site = site_of(&index);
    assert_inert(&site);
    let page = page(&site, &profession_path("arts-therapist"));
    assert!(
        page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &quot;' onmouseover=&quot;alert(1)&quot; txt.exe"),
        "the title is shown as text"
    );
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt; isolated &amp; more"));
    let nurse = super::page(&site, &profession_path("nurse"));
    assert!(nurse.contains(
        "<title>Social media guidance: Nurse &lt;b onmouseover=&quot;alert(2)&quot;&gt;bold&lt;/b&gt; — Signpost</title>"
    ));
    let home = super::page(&site, signpost::site::HOME);
    assert!(home.contains("Nurse &lt;b onmouseover="));
    let search: serde_json::Value =
        serde_json::from_slice(&site.get("search.json").expect("search list").body)
            .expect("search list is JSON");
    let titles: Vec<&str> = search
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|e| e["title"].as_str())
        .collect();
    assert!(titles.contains(&TITLE.replace('\u{202E}', "").as_str()));
}
