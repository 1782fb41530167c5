//! The site in a real browser: Debian's headless Chromium loads the pages from the real HTTP
//! listener on 127.0.0.1, screenshots them at 375 px and 1280 px (kept under a temporary folder
//! for CI to collect), checks nothing scrolls sideways at 320 px, runs the axe-core audit on
//! every kind of page, uses the search box, and loads the pages again with JavaScript off.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::json;
use signpost::Signpost;

use super::http::listen;
use crate::support::chromium::{chromium_path, Browser};

/// One page of each kind, by path.
const PAGES: &[&str] = &[
    "/",
    "/professions/social-worker.html",
    "/professions/practitioner-psychologist.html",
    "/professions/pharmacist.html",
    "/abuse-help.html",
    "/articles.html",
    "/tips.html",
    "/about.html",
    "/all.html",
    "/no-such-page",
];

/// Where screenshots go: `$SIGNPOST_SITE_SHOTS`, else `signpost-site-shots` in the temp folder.
fn shots_dir() -> PathBuf {
    let dir = std::env::var_os("SIGNPOST_SITE_SHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("signpost-site-shots"));
    std::fs::create_dir_all(&dir).expect("create the screenshot folder");
    dir
}

/// A file name for a page path.
fn shot_name(path: &str, width: u32, js: &str) -> String {
    let stem = path.trim_matches('/').replace(['/', '.'], "-");
    let stem = if stem.is_empty() { "home" } else { &stem };
    format!("{stem}-{width}-{js}.png")
}

/// With JavaScript on, every page passes the axe-core audit (WCAG 2.2 AA and best practices)
/// with no violations at 1280 px and at 375 px, nothing scrolls sideways at 320 px, the search
/// box appears and finds links; screenshots are saved at both widths.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_pass_the_accessibility_audit() {
    assert!(
        chromium_path().exists(),
        "{} is missing: apt-get install chromium",
        chromium_path().display()
    );
    let core = Arc::new(Signpost::new(crate::support::index_owned(), "!"));
    let (addr, service) = listen(core).await;
    let mut browser = Browser::start(&crate::support::temp_dir("chromium-js")).await;
    let shots = shots_dir();
    for width in [1280, 375] {
        browser.set_width(width).await;
        for path in PAGES {
            browser.navigate(&format!("http://{addr}{path}")).await;
            if *path == "/" {
                browser
                    .until(
                        "the search box",
                        "!document.getElementById('site-search').hidden",
                    )
                    .await;
            }
            let violations = browser.axe_violations().await;
            assert_eq!(
                violations,
                json!([]),
                "{path} at {width} px: {violations:#}"
            );
            browser
                .screenshot(&shots.join(shot_name(path, width, "js")))
                .await;
        }
    }
    browser.set_width(320).await;
    for path in PAGES {
        browser.navigate(&format!("http://{addr}{path}")).await;
        let fits = browser
            .eval("document.documentElement.scrollWidth <= window.innerWidth")
            .await;
        assert_eq!(fits, json!(true), "{path} scrolls sideways at 320 px");
    }
    browser.set_width(1280).await;
    browser.navigate(&format!("http://{addr}/")).await;
    browser
        .until(
            "the search box",
            "!document.getElementById('site-search').hidden",
        )
        .await;
    let found = browser
        .eval("const i = document.getElementById('search-words'); i.value = 'hcpc'; i.dispatchEvent(new Event('input')); document.querySelectorAll('#search-results a').length")
        .await;
    assert!(found.as_u64().unwrap_or(0) > 0, "search found {found}");
    let target = browser
        .eval("document.querySelector('#search-results a').getAttribute('href')")
        .await;
    browser
        .navigate(&format!("http://{addr}/{}", target.as_str().expect("href")))
        .await;
    println!("screenshots: {}", shots.display());
    service.shutdown.cancel();
}

/// With JavaScript off every page still has all its content and links, the search box stays
/// out of the way, and screenshots are saved at both widths.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_work_without_javascript() {
    assert!(chromium_path().exists(), "apt-get install chromium");
    let core = Arc::new(Signpost::new(crate::support::index_owned(), "!"));
    let (addr, service) = listen(core).await;
    let site = super::site_of(crate::support::index());
    let mut browser = Browser::start(&crate::support::temp_dir("chromium-nojs")).await;
    browser
        .call(
            "Emulation.setScriptExecutionDisabled",
            json!({ "value": true }),
        )
        .await;
    let shots = shots_dir();
    for width in [375, 1280] {
        browser.set_width(width).await;
        for path in PAGES {
            browser.navigate(&format!("http://{addr}{path}")).await;
            let html = browser.outer_html().await;
            let file = path.trim_start_matches('/');
            let file = if file.is_empty() { "index.html" } else { file };
            if let Some(page) = site.get(file) {
                let served = std::str::from_utf8(&page.body).expect("UTF-8");
                let links = super::hrefs(served).len();
                assert_eq!(super::hrefs(&html).len(), links, "{path}: links lost");
            }
            if *path == "/" {
                assert!(html.contains(
                    "id=\"site-search\" role=\"search\" aria-label=\"Search every link\" hidden"
                ));
            }
            browser
                .screenshot(&shots.join(shot_name(path, width, "nojs")))
                .await;
        }
    }
    println!("screenshots: {}", shots.display());
    service.shutdown.cancel();
}
