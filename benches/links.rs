//! The link checker's time over the real index against local servers, with its default limits
//! (two requests at once per host, sixteen in all). Run with
//! `cargo bench --bench links` (or `--no-default-features --features links`).
//!
//! Every URL in `data/` is rewritten to a local server, one server (its own port on 127.0.0.1)
//! per original host, keeping path and query, so the checker sees as many hosts as the real
//! index has and the same number of links on each. Each server holds every answer for a fixed
//! delay standing in for the network; the run prints the elapsed time beside the least any
//! checker keeping both limits could take (the busiest host's links two at a time, and all of
//! them sixteen at a time), and the most requests one server and all of them together saw at
//! once.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use signpost::index::load_dir;
use signpost::links::schedule::host_key;
use signpost::links::{self, Group, Link, Settings};
use url::Url;

#[path = "../tests/support/link_server.rs"]
mod link_server;

use link_server::{Concurrency, LinkServer};

const RUNS: usize = 5;

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let index = load_dir(&data).expect("data/ is valid").index;
    let real = links::links_of(&index);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    for delay_ms in [0, 20, 100] {
        run(
            &runtime,
            "real index",
            &real,
            Duration::from_millis(delay_ms),
        );
    }
    // Every link ten times over (a distinct query each), so the busiest hosts have enough
    // addresses for the per-host limit, not the global one, to set the pace.
    let tenfold = copies(&real, 10);
    run(&runtime, "index x10", &tenfold, Duration::from_millis(20));
}

/// Checks `original`, moved to local servers answering after `delay`, [`RUNS`] times, and
/// prints the times and the most requests held at once.
fn run(runtime: &tokio::runtime::Runtime, name: &str, original: &[Link], delay: Duration) {
    let settings = Settings::default();
    let addresses = links::distinct_urls(original);
    let mut per_host: BTreeMap<String, usize> = BTreeMap::new();
    for url in &addresses {
        *per_host.entry(host_key(url)).or_default() += 1;
    }
    let busiest = per_host.values().copied().max().unwrap_or(0);
    let mut times = Vec::new();
    let (mut worst_host, mut worst_all) = (0, 0);
    for _ in 0..RUNS {
        let everywhere = Arc::new(Concurrency::default());
        let (links, servers) = rewritten(original, &everywhere, delay);
        let started = Instant::now();
        let report = runtime
            .block_on(links::check_links(links, &settings, |_| {}))
            .expect("the client starts");
        times.push(started.elapsed());
        assert_eq!(
            report.group(Group::Ok).len() + report.group(Group::Unverified).len(),
            original.len(),
            "every local link answers 200"
        );
        let host_max = servers.values().map(|s| s.concurrency.max()).max();
        worst_host = worst_host.max(host_max.unwrap_or(0));
        worst_all = worst_all.max(everywhere.max());
    }
    times.sort();
    // Rounds of requests no checker within both limits can avoid: the busiest host's
    // addresses `per_host` at a time, and all of them `max_in_flight` at a time.
    let rounds = busiest
        .div_ceil(settings.per_host)
        .max(addresses.len().div_ceil(settings.max_in_flight));
    let floor = delay * u32::try_from(rounds).unwrap_or(u32::MAX);
    println!(
        "{name}: {} addresses on {} hosts (at most {busiest} on one), answers after {} ms: \
         median {:.1} ms (min {:.1}, max {:.1}) over {RUNS} runs; floor within the limits {:.0} ms; \
         most at once: {worst_host} on one host (limit {}), {worst_all} in all (limit {})",
        addresses.len(),
        per_host.len(),
        delay.as_millis(),
        ms(times[RUNS / 2]),
        ms(times[0]),
        ms(times[RUNS - 1]),
        ms(floor),
        settings.per_host,
        settings.max_in_flight,
    );
}

/// Each link `n` times, each copy its own address on the same host.
fn copies(original: &[Link], n: usize) -> Vec<Link> {
    (0..n)
        .flat_map(|copy| {
            original.iter().map(move |link| {
                let mut url = link.url.clone();
                url.query_pairs_mut().append_pair("copy", &copy.to_string());
                Link {
                    resource: format!("{}-{copy}", link.resource),
                    url,
                    ..link.clone()
                }
            })
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The links with every URL moved to a local server standing for its original host.
fn rewritten(
    original: &[Link],
    everywhere: &Arc<Concurrency>,
    delay: Duration,
) -> (Vec<Link>, BTreeMap<String, LinkServer>) {
    let mut servers: BTreeMap<String, LinkServer> = BTreeMap::new();
    let links = original
        .iter()
        .map(|link| {
            let server = servers.entry(host_key(&link.url)).or_insert_with(|| {
                LinkServer::start(
                    IpAddr::V4(Ipv4Addr::LOCALHOST),
                    Some(Arc::clone(everywhere)),
                    delay,
                )
            });
            let mut url = Url::parse(&server.url(link.url.path())).expect("a local URL");
            url.set_query(link.url.query());
            Link {
                url,
                ..link.clone()
            }
        })
        .collect();
    (links, servers)
}
