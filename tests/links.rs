//! `signpost links` against a local web server: every kind of answer classified, the per-host
//! and global limits held, and the binary's exit status, saved results and `--write-data`.
//!
//! A "host" is a host and port, so servers on different ports of 127.0.0.1 (and one on
//! 127.0.0.2) count as different hosts, each with its own limit.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use signpost::index::Status;
use signpost::links::{self, Checked, Dead, Group, Link, Settings, Unreachable, Verdict};
use url::Url;

use crate::support::link_server::{refused_port, Concurrency, LinkServer};

const LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// The checker's own defaults: a generous timeout, so a busy machine never turns an answer into
/// a timeout. Only the check of `/slow` (which never answers) uses a short one.
fn quick() -> Settings {
    Settings::default()
}

async fn check_one(url: &str) -> Checked {
    check_within(url, quick().timeout).await
}

async fn check_within(url: &str, timeout: Duration) -> Checked {
    let url = Url::parse(url).unwrap();
    let settings = Settings {
        timeout,
        ..Settings::default()
    };
    let mut checked = links::check_urls(vec![url], &settings, |_| {})
        .await
        .expect("the client starts");
    checked.pop().expect("one result")
}

/// Each answer of the local server gets its verdict: 200 ok; 301 to a 200 moved, with the final
/// address; 404 and 500 dead; a redirect loop dead; a page slower than the timeout, a refused
/// connection, a TLS handshake with a plain-HTTP server and a 403 unreachable; HEAD refused but
/// GET served is ok, after two requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_answer_is_classified() {
    let server = LinkServer::start(LOCAL, None, Duration::ZERO);
    let ok = check_one(&server.url("/ok")).await;
    assert_eq!(ok.verdict, Verdict::Ok { status: 200 });
    assert_eq!((ok.final_url, ok.requests), (None, 1));

    let moved = check_one(&server.url("/moved")).await;
    assert_eq!(
        moved.verdict,
        Verdict::Moved {
            status: 200,
            permanent: true
        }
    );
    assert_eq!(moved.final_url.unwrap().as_str(), server.url("/ok"));

    let gone = check_one(&server.url("/gone")).await;
    assert_eq!(gone.verdict, Verdict::Dead(Dead::Status(404)));
    assert_eq!(gone.requests, 2, "a HEAD 404 is confirmed with GET");
    let broken = check_one(&server.url("/broken")).await;
    assert_eq!(broken.verdict, Verdict::Dead(Dead::Status(500)));

    let looped = check_one(&server.url("/loop")).await;
    assert!(
        matches!(&looped.verdict, Verdict::Dead(Dead::RedirectLoop(u)) if u.path() == "/loop"),
        "{looped:?}"
    );

    let slow = check_within(&server.url("/slow"), Duration::from_millis(300)).await;
    assert_eq!(slow.verdict, Verdict::Unreachable(Unreachable::Timeout));

    let refused = check_one(&format!("http://127.0.0.1:{}/ok", refused_port())).await;
    assert_eq!(
        refused.verdict,
        Verdict::Unreachable(Unreachable::ConnectionRefused)
    );

    let tls = check_one(&format!("https://{}/ok", server.addr)).await;
    assert!(
        matches!(tls.verdict, Verdict::Unreachable(Unreachable::Tls(_))),
        "{tls:?}"
    );

    let private = check_one(&server.url("/private")).await;
    assert_eq!(
        private.verdict,
        Verdict::Unreachable(Unreachable::Refused(403))
    );

    let head_refused = check_one(&server.url("/head-refused")).await;
    assert_eq!(head_refused.verdict, Verdict::Ok { status: 200 });
    assert_eq!(head_refused.requests, 2, "HEAD, then GET");
}

/// However many links one host has, the checker never holds more than two requests to it at
/// once, nor more than the global ceiling across hosts; every link is still checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_and_global_limits_hold() {
    let everywhere = Arc::new(Concurrency::default());
    // Long enough that requests the checker lets overlap do overlap at the server.
    let hold = Duration::from_millis(20);
    let mut servers: Vec<LinkServer> = (0..3)
        .map(|_| LinkServer::start(LOCAL, Some(Arc::clone(&everywhere)), hold))
        .collect();
    // A second loopback address where the system has one (Linux answers on all of 127/8).
    if std::net::TcpListener::bind("127.0.0.2:0").is_ok() {
        let other = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
        servers.push(LinkServer::start(
            other,
            Some(Arc::clone(&everywhere)),
            hold,
        ));
    }
    let per_server = 12;
    let urls: Vec<Url> = servers
        .iter()
        .flat_map(|s| {
            (0..per_server).map(move |n| Url::parse(&s.url(&format!("/ok?{n}"))).unwrap())
        })
        .collect();
    let settings = Settings {
        per_host: 2,
        max_in_flight: 5,
        ..quick()
    };
    let mut done = 0;
    let checked = links::check_urls(urls, &settings, |_| done += 1)
        .await
        .expect("the client starts");
    assert_eq!(done, checked.len());
    assert!(checked
        .iter()
        .all(|c| c.verdict == Verdict::Ok { status: 200 }));
    for server in &servers {
        assert_eq!(server.concurrency.total(), per_server, "{}", server.addr);
        let max = server.concurrency.max();
        assert!((1..=2).contains(&max), "{} held {max} at once", server.addr);
    }
    assert!(everywhere.max() <= 5, "{} at once in all", everywhere.max());
}

/// The report groups links by verdict, puts links the index marks unconfirmed in their own group
/// whatever their verdict, reports one URL's check for every resource that uses it, and fails
/// the run only for a dead link on a current resource.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_groups() {
    let server = LinkServer::start(LOCAL, None, Duration::ZERO);
    let link = |id: &str, path: &str, status, confirmed| Link {
        resource: id.to_string(),
        url: Url::parse(&server.url(path)).unwrap(),
        status,
        confirmed,
    };
    let all = vec![
        link("fine", "/ok", Status::Current, true),
        link("same-url", "/ok", Status::Historic, true),
        link("moved", "/moved", Status::Current, true),
        link("guess", "/gone", Status::Current, false),
        link("old-dead", "/gone", Status::Historic, true),
        link("down", "/private", Status::Current, true),
    ];
    let report = links::check_links(all, &quick(), |_| {}).await.unwrap();
    let ids = |group| -> Vec<String> {
        report
            .group(group)
            .iter()
            .map(|e| e.link.resource.clone())
            .collect()
    };
    assert_eq!(ids(Group::Ok), ["fine", "same-url"]);
    assert_eq!(ids(Group::Moved), ["moved"]);
    assert_eq!(ids(Group::Dead), ["old-dead"]);
    assert_eq!(ids(Group::Unreachable), ["down"]);
    assert_eq!(ids(Group::Unverified), ["guess"]);
    let dead: Vec<&str> = report
        .dead_current()
        .iter()
        .map(|e| e.link.resource.as_str())
        .collect();
    assert_eq!(dead, ["guess"], "current, and dead though only a guess");
    assert_eq!(report.verified_ids(), ["fine", "same-url"]);
    let json = report.to_json();
    assert_eq!(json["counts"]["ok"], 2);
    assert_eq!(json["links"][2]["final_url"], server.url("/ok"));
    assert_eq!(json["links"][4]["http_status"], 404);
    let text = report.to_text();
    assert!(text.contains("6 links (4 addresses)"), "{text}");
    assert!(
        text.contains("1 current resource with a dead link: guess."),
        "{text}"
    );
}

/// A copy of the real index with every link pointed at `server`: `/ok`, except that the
/// first current resource with a confirmed link gets `dead_path`. Returns its id.
fn index_on(dir: &Path, server: &LinkServer, dead_path: &str) -> String {
    let index = crate::support::index();
    let victim = index
        .resources
        .iter()
        .find(|r| r.status == Status::Current && r.url_confirmed && r.url.is_some())
        .expect("a current resource with a confirmed link")
        .id
        .clone();
    let path = dir.join("resources.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut id = String::new();
    let mut out = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("id = \"") {
            id = rest.trim_end_matches('"').to_string();
        }
        if line.starts_with("url = \"") {
            let to = if id == victim { dead_path } else { "/ok" };
            out.push_str(&format!("url = \"{}?{id}\"", server.url(to)));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    std::fs::write(&path, out).unwrap();
    victim
}

fn run_links(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_signpost"))
        .arg("links")
        .args(args)
        .env("SIGNPOST__BOT__DATA_DIR", data)
        .output()
        .expect("run signpost links")
}

/// The binary exits non-zero when a current resource's link is dead, names it in `--json`
/// output and in the saved results, and draws no progress bar into a pipe; with every link
/// working it exits 0, and `--write-data` adds one `last_verified` line per confirmed link,
/// changing nothing else and leaving a valid index.
#[test]
fn binary_exit_status_results_and_write_data() {
    let server = LinkServer::start(LOCAL, None, Duration::ZERO);
    let dir = crate::support::copy_of_data("links-cli");
    let victim = index_on(&dir, &server, "/gone");
    let saved = dir.join("state").join("links.json");
    let out = run_links(&dir, &["--json", "--save", saved.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "no bar into a pipe: {stderr:?}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(printed["dead_current"], serde_json::json!([victim]));
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).expect("saved JSON");
    assert_eq!(file["links"], printed["links"]);

    std::fs::copy(
        crate::support::data_dir().join("resources.toml"),
        dir.join("resources.toml"),
    )
    .unwrap();
    index_on(&dir, &server, "/ok");
    let before = std::fs::read_to_string(dir.join("resources.toml")).unwrap();
    let out = run_links(
        &dir,
        &[
            "--write-data",
            dir.to_str().unwrap(),
            "--save",
            saved.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let after = std::fs::read_to_string(dir.join("resources.toml")).unwrap();
    let stamp_line = |l: &&str| l.starts_with("last_verified = \"");
    let added = after.lines().filter(stamp_line).count();
    let confirmed = crate::support::index()
        .resources
        .iter()
        .filter(|r| r.url.is_some() && r.url_confirmed)
        .count();
    assert_eq!(added, confirmed, "{stdout}");
    let kept: Vec<&str> = after.lines().filter(|l| !stamp_line(l)).collect();
    assert_eq!(
        kept,
        before.lines().collect::<Vec<_>>(),
        "nothing else changed"
    );
    let index = signpost::index::load_dir(&dir).expect("still valid").index;
    assert!(index.resources.iter().any(|r| r.last_verified.is_some()));
}
