//! Several `signpost run` replicas sharing one real PostgreSQL, as a deployment behind a load
//! balancer runs them: de-duplication and cooldowns hold across replicas, and losing a replica
//! loses no answers that can still be given and doubles none.

use std::collections::HashMap;
use std::process::Child;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::json;
use signpost::cooldown::{please_wait, Scope};
use signpost::render::Target;

use crate::slack::welcome::joined;
use crate::support::haproxy::Haproxy;
use crate::support::process::{
    free_port, post_event, send_event, start_bot, wait_for_metric, wait_until_ready, PATIENCE,
};
use crate::support::slack::{callback, message, WebApiPeer};

/// One replica: a `signpost run` process, killed when dropped.
struct Replica {
    child: Child,
    listen: String,
    _lines: mpsc::Receiver<String>,
}

impl Replica {
    /// A replica answering Slack over HTTP, with its store in `database`, once ready.
    async fn start(
        peer: &WebApiPeer,
        client: &reqwest::Client,
        database: &str,
        env: &[(&str, &str)],
    ) -> Replica {
        let listen = format!("127.0.0.1:{}", free_port());
        let mut settings = vec![("SIGNPOST__STORAGE__URL", database)];
        settings.extend_from_slice(env);
        let (child, lines) = start_bot(peer, &listen, &settings);
        wait_until_ready(client, &listen).await;
        Replica {
            child,
            listen,
            _lines: lines,
        }
    }

    /// Kills the process at once (SIGKILL: no draining, as when a machine dies).
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A new database on the tests' PostgreSQL (whose blocking client must run off the runtime).
async fn shared_database() -> String {
    tokio::task::spawn_blocking(crate::support::postgres::database)
        .await
        .expect("database made")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

/// How many Slack messages one answer to `text` is (so "answered once" can be counted).
fn messages_per_answer(text: &str) -> usize {
    let reply = crate::support::reply(text, Target::Slack.origin()).expect("an answer");
    Target::Slack.to_texts(&reply).len()
}

/// A message event from `user` in `channel`.
fn event(id: &str, user: &str, channel: &str, text: &str) -> String {
    let mut event = message(channel, "channel", text, "1700000000.000100");
    event["user"] = json!(user);
    callback(id, event).to_string()
}

/// The sum of one metric over replicas.
async fn total(client: &reqwest::Client, replicas: &[&Replica], series: &str) -> f64 {
    let mut sum = 0.0;
    for replica in replicas {
        let text = crate::support::process::metrics(client, &replica.listen).await;
        sum += crate::support::process::sample(&text, series).unwrap_or(0.0);
    }
    sum
}

/// Posts per channel.
fn posts_by_channel(peer: &WebApiPeer) -> HashMap<String, usize> {
    let mut by_channel = HashMap::new();
    for call in peer.calls("chat.postMessage") {
        let channel = call.body["channel"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        *by_channel.entry(channel).or_default() += 1;
    }
    by_channel
}

/// The same signed event delivered to two replicas at once (as a Slack retry reaching the other
/// replica would be) is answered exactly once, and the other replica counts it as a repeat.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_event_delivered_to_both_replicas_is_answered_once() {
    let peer = WebApiPeer::start().await;
    let client = client();
    let database = shared_database().await;
    let a = Replica::start(&peer, &client, &database, &[]).await;
    let b = Replica::start(&peer, &client, &database, &[]).await;
    let per_answer = messages_per_answer("!tips");

    for round in 0..3 {
        let body = event(&format!("EvBOTH{round}"), "UALICE", "C1", "!tips");
        let (to_a, to_b) = tokio::join!(
            post_event(&client, &a.listen, body.clone()),
            post_event(&client, &b.listen, body)
        );
        assert_eq!((to_a, to_b), (200, 200), "both acknowledge");
        let repeats = f64::from(round + 1);
        let deadline = std::time::Instant::now() + PATIENCE;
        while total(&client, &[&a, &b], "signpost_repeats_total").await < repeats {
            assert!(std::time::Instant::now() < deadline, "no repeat counted");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let answers = (round as usize + 1) * per_answer;
        peer.wait_for("chat.postMessage", answers).await;
        assert_eq!(
            peer.calls("chat.postMessage").len(),
            answers,
            "round {round}: answered once"
        );
    }
}

/// A person who used up their burst across two replicas is told to wait once, by whichever
/// replica refuses first, and then held quietly by the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cooldown_reached_on_one_replica_holds_on_the_other() {
    let peer = WebApiPeer::start().await;
    let client = client();
    let database = shared_database().await;
    let burst = 2;
    let burst_text = burst.to_string();
    let limits = [
        ("SIGNPOST__COOLDOWN__PERSON_BURST", burst_text.as_str()),
        ("SIGNPOST__COOLDOWN__PERSON_REFILL_SECONDS", "600"),
    ];
    let a = Replica::start(&peer, &client, &database, &limits).await;
    let b = Replica::start(&peer, &client, &database, &limits).await;
    let per_answer = messages_per_answer("!tips");
    let replicas = [&a, &b];

    for n in 0..burst {
        let to = replicas[n % 2];
        let body = event(&format!("EvCOOL{n}"), "UALICE", "C1", "!tips");
        assert_eq!(post_event(&client, &to.listen, body).await, 200);
        peer.wait_for("chat.postMessage", (n + 1) * per_answer)
            .await;
    }
    // Over the limit: the next replica in turn warns once...
    let warned_by = replicas[burst % 2];
    let body = event("EvCOOLWARN", "UALICE", "C1", "!tips");
    assert_eq!(post_event(&client, &warned_by.listen, body).await, 200);
    let posts = peer
        .wait_for("chat.postMessage", burst * per_answer + 1)
        .await;
    let warning = posts.last().expect("a post");
    let title = please_wait(Scope::Person, Duration::from_secs(1)).title;
    assert!(
        warning.body.to_string().contains(&title),
        "the refusal is the cooldown's: {:?}",
        warning.body
    );
    // ...and the other one stays quiet about the same person.
    let quiet_by = replicas[(burst + 1) % 2];
    let body = event("EvCOOLQUIET", "UALICE", "C1", "!tips");
    assert_eq!(post_event(&client, &quiet_by.listen, body).await, 200);
    wait_for_metric(
        &client,
        &quiet_by.listen,
        "signpost_cooldown_refusals_total",
        1.0,
    )
    .await;
    // Someone else is not held up by Alice's cooldown.
    let body = event("EvCOOLBOB", "UBOB", "C1", "!tips");
    assert_eq!(post_event(&client, &quiet_by.listen, body).await, 200);
    let posts = peer
        .wait_for("chat.postMessage", (burst + 1) * per_answer + 1)
        .await;
    assert_eq!(
        posts.len(),
        (burst + 1) * per_answer + 1,
        "Alice's last message got nothing"
    );
}

/// Delivers one event as Slack does: again (marked as a retry) when it was not acknowledged.
async fn deliver(client: &reqwest::Client, listen: &str, body: &str) {
    for attempt in 0..4u32 {
        let retry = (attempt > 0).then_some(attempt);
        if send_event(client, listen, body, retry)
            .await
            .is_ok_and(|s| s == 200)
        {
            return;
        }
    }
    panic!("the event was never acknowledged");
}

/// Behind a real load balancer, one replica killed half-way through a stream of events: every
/// event delivered after that is answered by the other, and no event is answered twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_killed_mid_load_leaves_the_other_answering_once() {
    let peer = WebApiPeer::start().await;
    let client = client();
    let database = shared_database().await;
    let mut a = Replica::start(&peer, &client, &database, &[]).await;
    let b = Replica::start(&peer, &client, &database, &[]).await;
    let balancer = Haproxy::start("replicas-killed", &[&a.listen, &b.listen]);
    wait_until_ready(&client, &balancer.listen).await;
    let per_answer = messages_per_answer("!tips");

    let events = 60;
    let bodies: Vec<(String, String)> = (0..events)
        .map(|n| {
            let channel = format!("C{n}");
            let body = event(&format!("EvLOAD{n}"), &format!("U{n}"), &channel, "!tips");
            (channel, body)
        })
        .collect();
    for (n, (_, body)) in bodies.iter().enumerate() {
        if n == events / 2 {
            a.kill();
        }
        deliver(&client, &balancer.listen, body).await;
        // Slack retries an event it got no 200 for; so does a lost response. Deliver every
        // tenth event a second time, to the balancer, as a retry would be.
        if n % 10 == 9 {
            deliver(&client, &balancer.listen, body).await;
        }
    }

    let after_kill: Vec<&String> = bodies[events / 2..].iter().map(|(c, _)| c).collect();
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let posts = posts_by_channel(&peer);
        if after_kill
            .iter()
            .all(|c| posts.get(*c) == Some(&per_answer))
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "events after the kill went unanswered: {posts:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let survivor_repeats = total(&client, &[&b], "signpost_repeats_total").await;
    assert!(
        survivor_repeats >= 1.0,
        "the retries reached a replica that knew them"
    );
    for (channel, count) in posts_by_channel(&peer) {
        assert!(
            count <= per_answer,
            "{channel} was answered more than once ({count} posts)"
        );
    }
}

/// Welcome limits hold across replicas: a newcomer reaching the second replica right after the
/// first replica welcomed someone in the same channel is not welcomed at once (the place's turn
/// is the first replica's, counted as `elsewhere`), but in the second replica's batch once the
/// interval is over; each newcomer gets one welcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn welcome_limits_hold_across_replicas() {
    let peer = WebApiPeer::start().await;
    let client = client();
    let database = shared_database().await;
    let env = [
        ("SIGNPOST__SLACK__WELCOME_CHANNELS", "CWELCOME"),
        ("SIGNPOST__WELCOME__INTERVAL_SECONDS", "1"),
    ];
    let a = Replica::start(&peer, &client, &database, &env).await;
    let b = Replica::start(&peer, &client, &database, &env).await;

    let body = joined(1, "UFIRST", "CWELCOME").to_string();
    assert_eq!(post_event(&client, &a.listen, body).await, 200);
    peer.wait_for("chat.postEphemeral", 1).await;
    let body = joined(2, "USECOND", "CWELCOME").to_string();
    assert_eq!(post_event(&client, &b.listen, body).await, 200);
    let series = |outcome: &str| {
        format!("signpost_welcomes_total{{platform=\"slack\",outcome=\"{outcome}\"}}")
    };
    wait_for_metric(&client, &b.listen, &series("elsewhere"), 1.0).await;
    let welcomes = peer.wait_for("chat.postEphemeral", 2).await;
    let welcomed: Vec<&str> = welcomes
        .iter()
        .map(|call| call.body["user"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(welcomed, ["UFIRST", "USECOND"], "in turn, once each");
    wait_for_metric(&client, &b.listen, &series("sent"), 1.0).await;
    assert_eq!(
        total(&client, &[&a, &b], &series("now")).await,
        2.0,
        "each replica admitted its newcomer at once"
    );
}
