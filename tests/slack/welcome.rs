//! Welcomes on Slack: `member_joined_channel` in a channel of `slack.welcome_channels` gets a
//! `chat.postEphemeral` to that person only; a storm of 200 joins stays within the limits; bots
//! (by `users.info`) and Signpost itself get nothing; other channels get nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use signpost::adapters::Service;
use signpost::config::{SlackMode, Welcome};
use signpost::intake::Limits;
use signpost::welcome::MAX_NAMED;
use signpost::Signpost;
use tokio::net::TcpListener;
use tokio_util::sync::DropGuard;

use crate::support::slack::{callback, settings, HttpAdapter, WebApiPeer, BOT_USER, PATIENCE};

/// How many join in the storm.
const STORM: usize = 200;

/// A `member_joined_channel` event (id `EvJOIN<n>`).
pub(crate) fn joined(n: usize, user: &str, channel: &str) -> Value {
    callback(
        &format!("EvJOIN{n}"),
        json!({
            "type": "member_joined_channel",
            "user": user,
            "channel": channel,
            "channel_type": "C",
            "team": "T0001",
            "event_ts": "1700000100.000100",
        }),
    )
}

/// The adapter welcoming in `channels`, on a core of its own; it stops when the guard drops.
async fn start(peer: &WebApiPeer, channels: &[&str]) -> (HttpAdapter, Arc<Signpost>, DropGuard) {
    let core = Arc::new(Signpost::new(crate::support::index_owned(), "!"));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let mut settings = settings(peer, SlackMode::Http);
    settings.welcome = Welcome {
        places: channels.iter().map(|c| c.to_string()).collect(),
        interval: Duration::from_secs(3600),
    };
    let service = Service::new(Arc::clone(&core), Limits::default());
    let shutdown = service.shutdown.clone();
    tokio::spawn(signpost::adapters::slack::serve(
        listener, settings, service,
    ));
    (HttpAdapter::at(addr), core, shutdown.drop_guard())
}

/// Waits until `n` welcome outcomes have been counted.
async fn counted(core: &Signpost, outcomes: &[&'static str], n: u64) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let seen: u64 = outcomes
            .iter()
            .map(|o| core.metrics().welcomes("slack", o))
            .sum();
        if seen >= n {
            return;
        }
        assert!(Instant::now() < deadline, "counted {seen} of {n}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// 200 people joining a welcome channel get one ephemeral welcome (the first), MAX_NAMED wait
/// for the batch an hour away and the rest are skipped; a join elsewhere gets nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_storm_gets_one_private_welcome() {
    let peer = WebApiPeer::start().await;
    let (adapter, core, _running) = start(&peer, &["CWELCOME"]).await;
    assert_eq!(
        adapter
            .event(&joined(9_999, "UELSEWHERE", "COTHER"), &[])
            .await,
        200
    );
    for n in 0..STORM {
        let status = adapter
            .event(&joined(n, &format!("UNEW{n:03}"), "CWELCOME"), &[])
            .await;
        assert_eq!(status, 200);
    }
    counted(&core, &["now", "batched", "skipped"], STORM as u64).await;
    let metrics = core.metrics();
    assert_eq!(metrics.welcomes("slack", "now"), 1);
    assert_eq!(metrics.welcomes("slack", "batched"), MAX_NAMED as u64);
    assert_eq!(
        metrics.welcomes("slack", "skipped"),
        (STORM - 1 - MAX_NAMED) as u64
    );
    counted(&core, &["sent", "failed"], 1).await;
    let welcomes = peer.calls("chat.postEphemeral");
    assert_eq!(welcomes.len(), 1, "one welcome");
    let welcome = &welcomes[0].body;
    assert_eq!(welcome["channel"], "CWELCOME");
    assert_eq!(welcome["user"], "UNEW000", "to the first newcomer only");
    assert!(
        welcome.to_string().contains("/signpost guidance"),
        "{welcome}"
    );
    assert!(peer.calls("chat.postMessage").is_empty(), "nothing public");
}

/// A bot user joining (users.info says is_bot) and Signpost itself joining get no welcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bots_get_no_welcome() {
    let peer = WebApiPeer::start().await;
    let (adapter, core, _running) = start(&peer, &["CWELCOME"]).await;
    assert_eq!(
        adapter.event(&joined(1, BOT_USER, "CWELCOME"), &[]).await,
        200
    );
    assert_eq!(
        adapter
            .event(&joined(2, "UBOTOTHER", "CWELCOME"), &[])
            .await,
        200
    );
    counted(&core, &["bot"], 1).await;
    counted(&core, &["sent", "failed"], 1).await;
    let asked = peer.calls("users.info");
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].body["user"], "UBOTOTHER");
    assert!(
        peer.calls("chat.postEphemeral").is_empty(),
        "no welcome for bots"
    );
}
