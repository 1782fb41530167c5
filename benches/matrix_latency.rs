//! Matrix reply latency against a real Synapse, next to Synapse's own floor.
//!
//! Run with `cargo bench --bench matrix_latency`. It starts Synapse (see
//! `tests/support/synapse.rs`), runs the `signpost` binary as its own process, and measures:
//! - the floor: one user's plain message reaching another user's client;
//! - the reply: a user's `!guidance nurse` to the bot's reply reaching that user's client;
//! - the bot's resident memory idle in 10 rooms, and its CPU time per reply.
//!
//! Each figure is the median and p99 over `SIGNPOST_BENCH_ROUNDS` (default 200) sequential
//! messages. A reply crosses the homeserver twice, so 2× the floor is the natural limit.

#[path = "../tests/support/scratch.rs"]
mod scratch;
#[path = "../tests/support/synapse.rs"]
#[allow(dead_code)]
mod synapse;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::api::client::room::create_room::v3::Request as CreateRoom;
use matrix_sdk::ruma::events::room::message::{
    MessageType, OriginalSyncRoomMessageEvent, RoomMessageEventContent,
};
use matrix_sdk::ruma::OwnedUserId;
use matrix_sdk::{Client, Room, RoomMemberships};
use tokio::sync::mpsc;

struct User {
    client: Client,
    inbox: mpsc::UnboundedReceiver<(OwnedUserId, String, Instant)>,
}

async fn user(synapse: &synapse::Synapse, name: &str) -> User {
    synapse.register(name, "password-1234");
    let store = std::env::temp_dir().join(format!("signpost-bench-{}-{name}", std::process::id()));
    let client = Client::builder()
        .homeserver_url(&synapse.url)
        .sqlite_store(&store, None)
        .build()
        .await
        .expect("client");
    client
        .matrix_auth()
        .login_username(name, "password-1234")
        .send()
        .await
        .expect("login");
    client
        .sync_once(SyncSettings::default())
        .await
        .expect("sync");
    let (tx, inbox) = mpsc::unbounded_channel();
    client.add_event_handler(move |event: OriginalSyncRoomMessageEvent| {
        let tx = tx.clone();
        async move {
            let body = match &event.content.msgtype {
                MessageType::Text(t) => t.body.clone(),
                MessageType::Notice(n) => n.body.clone(),
                _ => String::new(),
            };
            let _ = tx.send((event.sender.clone(), body, Instant::now()));
        }
    });
    let syncing = client.clone();
    tokio::spawn(async move {
        loop {
            // The client's own loop: no artificial delay between long polls.
            let _ = syncing
                .sync_once(SyncSettings::default().timeout(Duration::from_secs(30)))
                .await;
        }
    });
    User { client, inbox }
}

async fn wait_for(
    inbox: &mut mpsc::UnboundedReceiver<(OwnedUserId, String, Instant)>,
    from: &OwnedUserId,
    marker: &str,
) -> Instant {
    loop {
        let (sender, body, at) = tokio::time::timeout(Duration::from_secs(30), inbox.recv())
            .await
            .expect("message within 30 s")
            .expect("inbox open");
        if &sender == from && (marker.is_empty() || body.contains(marker)) {
            return at;
        }
    }
}

async fn wait_member(room: &Room, user: &OwnedUserId) {
    for _ in 0..600 {
        if let Ok(members) = room.members(RoomMemberships::JOIN).await {
            if members.iter().any(|m| m.user_id() == user) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{user} never joined");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(label: &str, mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    let median = percentile(&samples, 0.5);
    println!(
        "{label:<28} n={:<4} median {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms",
        samples.len(),
        median.as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    median
}

/// A `/proc/PID/status` field in kB.
fn status_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Resident memory (kB) and CPU time (clock ticks) of a process, from /proc.
fn usage(pid: u32) -> (u64, u64) {
    let rss = status_kb(pid, "VmRSS:");
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = fields
        .get(11)
        .and_then(|u| u.parse::<u64>().ok())
        .unwrap_or(0)
        + fields
            .get(12)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0);
    (rss, ticks)
}

fn start_bot(synapse: &synapse::Synapse, name: &str, store: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_signpost"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SIGNPOST__MATRIX__HOMESERVER", &synapse.url)
        .env("SIGNPOST__MATRIX__USER", name)
        .env("SIGNPOST__MATRIX__PASSWORD", "password-1234")
        .env("SIGNPOST__MATRIX__STORE_DIR", store)
        .env("SIGNPOST__BOT__LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("start signpost")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a list; this harness has no unit tests.
    }
    let rounds: usize = std::env::var("SIGNPOST_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let synapse = synapse::Synapse::start();
    let bot_name = format!("bot{}", std::process::id());
    synapse.register(&bot_name, "password-1234");
    let bot_id: OwnedUserId = format!("@{bot_name}:localhost").parse().unwrap();
    let store = std::env::temp_dir().join(format!("signpost-bench-store-{}", std::process::id()));
    let mut bot = start_bot(&synapse, &bot_name, &store);

    let mut alice = user(&synapse, &format!("alice{}", std::process::id())).await;
    let mut bob = user(&synapse, &format!("bob{}", std::process::id())).await;
    let alice_id = alice.client.user_id().unwrap().to_owned();

    // Ten rooms with the bot (and Bob in the first, for the floor).
    let mut rooms = Vec::new();
    for n in 0..10 {
        let mut request = CreateRoom::new();
        request.invite = vec![bot_id.clone()];
        if n == 0 {
            request
                .invite
                .push(bob.client.user_id().unwrap().to_owned());
        }
        rooms.push(alice.client.create_room(request).await.expect("room"));
    }
    bob.client
        .join_room_by_id(rooms[0].room_id())
        .await
        .expect("bob joins");
    for room in &rooms {
        wait_member(room, &bot_id).await;
    }
    let room = &rooms[0];

    // Warm up both paths.
    for _ in 0..5 {
        room.send(RoomMessageEventContent::text_plain("!help"))
            .await
            .unwrap();
        wait_for(&mut alice.inbox, &bot_id, "").await;
    }

    let mut floor = Vec::new();
    for n in 0..rounds {
        let marker = format!("floor-{n}");
        let start = Instant::now();
        room.send(RoomMessageEventContent::text_plain(&marker))
            .await
            .unwrap();
        floor.push(wait_for(&mut bob.inbox, &alice_id, &marker).await - start);
    }

    let (_, cpu_before) = usage(bot.id());
    let mut replies = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        room.send(RoomMessageEventContent::text_plain("!guidance nurse"))
            .await
            .unwrap();
        replies.push(wait_for(&mut alice.inbox, &bot_id, "nmc.org.uk").await - start);
    }
    let (_, cpu_after) = usage(bot.id());

    tokio::time::sleep(Duration::from_secs(3)).await;
    let (idle_rss, _) = usage(bot.id());
    let ticks_per_second = 100.0; // USER_HZ on Linux
    println!("Signpost Matrix benchmark ({rounds} rounds, Synapse on 127.0.0.1, 10 rooms)");
    let floor_median = report("floor (user -> user)", floor);
    let reply_median = report("reply (command -> reply)", replies);
    println!(
        "ratio of medians            {:.2}x the floor",
        reply_median.as_secs_f64() / floor_median.as_secs_f64()
    );
    println!(
        "bot CPU per reply           {:.3} ms (includes its syncs)",
        (cpu_after - cpu_before) as f64 / ticks_per_second * 1e3 / rounds as f64
    );
    println!(
        "bot resident memory idle    {:.1} MiB in 10 rooms ({:.1} MiB heap and stacks, {:.1} MiB mapped binary and libraries)",
        idle_rss as f64 / 1024.0,
        status_kb(bot.id(), "RssAnon:") as f64 / 1024.0,
        status_kb(bot.id(), "RssFile:") as f64 / 1024.0
    );
    let _ = bot.kill();
    let _ = bot.wait();
    let _ = std::fs::remove_dir_all(&store);
}
