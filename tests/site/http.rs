//! The site served by the HTTP listener every service mode shares: the same pages at `/` and
//! `/<page>`, with entity tags that make revalidation a `304`, read-only, a small 404 page, and
//! new pages as soon as the index is replaced.

use std::net::SocketAddr;
use std::sync::Arc;

use signpost::adapters::Mount;
use signpost::adapters::Service;
use signpost::http;
use signpost::index::load_dir;
use signpost::Signpost;

use crate::support::copy_of_data;

/// A running listener on 127.0.0.1 for `core`, as `signpost run` starts it; stops when the
/// returned service's shutdown token is cancelled.
pub async fn listen(core: Arc<Signpost>) -> (SocketAddr, Service) {
    let service = Service::new(core, Default::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("address");
    let router = http::router(&service, Arc::new(Mount::default()));
    let serving = service.clone();
    tokio::spawn(async move { http::serve(listener, router, &serving).await });
    (addr, service)
}

/// `/` is the home page with caching headers; asking again with its tag gets a bodiless 304;
/// `HEAD` answers like `GET` without the body.
#[tokio::test]
async fn pages_are_served_with_etags() {
    let core = Arc::new(Signpost::new(crate::support::index_owned(), "!"));
    let (addr, service) = listen(core).await;
    let client = reqwest::Client::new();
    let home = client
        .get(format!("http://{addr}/"))
        .send()
        .await
        .expect("GET /");
    assert_eq!(home.status(), 200);
    let headers = home.headers().clone();
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-cache");
    assert!(headers["content-security-policy"]
        .to_str()
        .expect("ASCII")
        .contains("script-src 'self'"));
    let etag = headers["etag"].to_str().expect("ASCII").to_string();
    let body = home.text().await.expect("body");
    assert!(body.contains("Find your profession"), "{body:.200}");

    let again = client
        .get(format!("http://{addr}/"))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("GET / again");
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.bytes().await.expect("body").is_empty());

    let same = client
        .get(format!("http://{addr}/index.html"))
        .send()
        .await
        .expect("GET /index.html");
    assert_eq!(same.headers()["etag"], etag.as_str());

    let head = client
        .head(format!("http://{addr}/professions/nurse.html"))
        .send()
        .await
        .expect("HEAD");
    assert_eq!(head.status(), 200);
    assert!(head.bytes().await.expect("body").is_empty());

    let css = client
        .get(format!("http://{addr}/style.css"))
        .send()
        .await
        .expect("GET /style.css");
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    service.shutdown.cancel();
}

/// Unknown paths get the small HTML 404 page; writes to a page are refused; the ops routes
/// still answer beside the site.
#[tokio::test]
async fn unknown_paths_and_writes() {
    let core = Arc::new(Signpost::new(crate::support::index_owned(), "!"));
    let (addr, service) = listen(core).await;
    let client = reqwest::Client::new();
    let missing = client
        .get(format!("http://{addr}/professions/no-such.html"))
        .send()
        .await
        .expect("GET missing");
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    let body = missing.text().await.expect("body");
    assert!(body.contains("Page not found"));
    assert!(
        body.contains("href=\"/style.css\""),
        "root links at any depth"
    );

    let post = client
        .post(format!("http://{addr}/"))
        .body("x")
        .send()
        .await
        .expect("POST /");
    assert_eq!(post.status(), 405);
    assert_eq!(post.headers()["allow"], "GET, HEAD");

    let health = client
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .expect("GET /healthz");
    assert_eq!(health.text().await.expect("body"), "ok");
    service.shutdown.cancel();
}

/// Replacing the index (as a reload does) changes the pages served: a resource added to the
/// index appears, and the old tag no longer gets a 304.
#[tokio::test]
async fn a_reload_updates_the_pages() {
    let dir = copy_of_data("site-reload");
    let core = Arc::new(Signpost::new(load_dir(&dir).expect("valid").index, "!"));
    let (addr, service) = listen(Arc::clone(&core)).await;
    let client = reqwest::Client::new();
    let url = format!("http://{addr}/articles.html");
    let before = client.get(&url).send().await.expect("GET");
    let etag = before.headers()["etag"]
        .to_str()
        .expect("ASCII")
        .to_string();
    let before = before.text().await.expect("body");
    assert!(!before.contains("Reloaded extra article"));

    let extra = "\n[[resource]]\nid = \"reloaded-extra\"\ntitle = \"Reloaded extra article\"\npublisher = \"Test\"\ndate = \"2025\"\nurl = \"https://example.org/\"\nkind = \"article\"\nstatus = \"current\"\nsummary = \"An extra test resource.\"\n";
    let resources = std::fs::read_to_string(dir.join("resources.toml")).expect("read");
    std::fs::write(dir.join("resources.toml"), format!("{resources}{extra}")).expect("write");
    core.reload(&signpost::index::Source::Dir(dir))
        .expect("valid reload");

    let after = client
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("GET after reload");
    assert_eq!(after.status(), 200, "the old tag is stale");
    assert_ne!(after.headers()["etag"], etag.as_str());
    assert!(after
        .text()
        .await
        .expect("body")
        .contains("Reloaded extra article"));
    service.shutdown.cancel();
}
