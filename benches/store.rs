//! Suggestions stored per second through the core (`!suggest` text in, reply out), on SQLite
//! (a file, WAL) and on a local PostgreSQL started as the tests start it, one asker at a time
//! and 20 at once; and what counting a missed question adds to `handle`. Run with
//! `cargo bench --no-default-features --bench store`; it prints one line per figure.

use std::sync::Arc;
use std::time::{Duration, Instant};

use signpost::bot::Sender;
use signpost::config::{Secret, StorageBackend, StorageSettings};
use signpost::store::{self, Store};
use signpost::{Incoming, Origin, Signpost};

#[path = "../tests/support/debian.rs"]
mod debian;
#[path = "../tests/support/postgres.rs"]
mod postgres;
#[path = "../tests/support/scratch.rs"]
mod scratch;

const SEQUENTIAL: usize = 2_000;
const TASKS: usize = 20;
const EACH: usize = 200;

fn core(store: &Arc<dyn Store>, record: bool) -> Signpost {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let index = signpost::index::load_dir(&data)
        .expect("data/ is valid")
        .index;
    signpost::store::wire(Signpost::new(index, "!"), store, record)
}

fn suggest(core: &Signpost, who: usize, n: usize) {
    let mut message = Incoming::new(
        format!("!suggest https://example.org/{who}/{n} a note for the reviewers"),
        Origin::Slack,
    );
    message.sender = Some(Sender::new(format!("U{who}"), "C1"));
    let reply = core.handle(&message).expect("a reply");
    assert_eq!(reply.tone, signpost::reply::Tone::Answer, "{}", reply.title);
}

fn per_second(count: usize, took: Duration) -> f64 {
    count as f64 / took.as_secs_f64()
}

fn bench_store(name: &str, store: Arc<dyn Store>) {
    let core = Arc::new(core(&store, true));
    let start = Instant::now();
    for n in 0..SEQUENTIAL {
        suggest(&core, 0, n);
    }
    let one = per_second(SEQUENTIAL, start.elapsed());
    let start = Instant::now();
    let threads: Vec<_> = (1..=TASKS)
        .map(|who| {
            let core = Arc::clone(&core);
            std::thread::spawn(move || (0..EACH).for_each(|n| suggest(&core, who, n)))
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().unwrap());
    let many = per_second(TASKS * EACH, start.elapsed());
    println!(
        "{name:8}  suggestions stored/s: {one:>8.0} one asker, {many:>8.0} with {TASKS} at once"
    );
}

/// Median time of `handle` for an addressed question nobody understands.
fn miss_cost(core: &Signpost) -> Duration {
    let mut message = Incoming::new("wibble frobnicate the quux please", Origin::Console);
    message.addressed = true;
    let mut times: Vec<Duration> = (0..5_000)
        .map(|_| {
            let start = Instant::now();
            core.handle(&message);
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let file = std::env::temp_dir().join(format!("signpost-bench-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let open = |backend| {
        store::open(&StorageSettings::new(backend))
            .unwrap()
            .unwrap()
    };
    let sqlite = open(StorageBackend::Sqlite(file.clone()));
    bench_store("sqlite", Arc::clone(&sqlite));
    let pg = open(StorageBackend::Postgres(Secret::new(postgres::database())));
    bench_store("postgres", Arc::clone(&pg));
    for (name, store) in [("sqlite", &sqlite), ("postgres", &pg)] {
        let off = miss_cost(&core(store, false));
        let on = miss_cost(&core(store, true));
        store.flush().unwrap();
        println!(
            "{name:8}  handle, a missed question: {off:?} not counted, {on:?} counted (median)"
        );
    }
    let _ = std::fs::remove_file(&file);
}
