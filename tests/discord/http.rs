//! The HTTP interactions endpoint (`POST /discord/interactions`) over real HTTP on 127.0.0.1,
//! with real Ed25519 signatures made by a key pair from a fixed seed: PING, a slash command
//! answered like the gateway answers it, autocomplete, refusals (forged, missing, wrong key,
//! stale) that reach nothing, and a shed command told the bot is busy.

use std::sync::Arc;

use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};
use signpost::adapters::discord::endpoint;
use signpost::adapters::Service;
use signpost::config::{DiscordHttpSettings, PublicKey};
use signpost::index::load_dir;
use signpost::intake::Limits;
use signpost::reply::BUSY;
use signpost::Signpost;
use tokio::net::TcpListener;

use super::{autocomplete, callback, command, core, Bot, WAIT};
use crate::support::discord_peer::{Peer, BOT_ID};
use crate::support::{copy_of_data, data_dir};

/// The application's key pair, from a fixed seed so every run signs the same way.
fn application_key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

/// The endpoint serving on its own listener, and how to reach it.
pub(super) struct Endpoint {
    url: String,
    service: Service,
    client: reqwest::Client,
}

impl Endpoint {
    /// Starts the endpoint for `service` on 127.0.0.1:0, trusting [`application_key`].
    async fn start(service: Service) -> Endpoint {
        Endpoint::start_with(service, None).await
    }

    /// [`Endpoint::start`], sending follow-ups to `api_base` (a local peer).
    async fn start_with(service: Service, api_base: Option<&str>) -> Endpoint {
        Endpoint::start_with_token(service, api_base, None).await
    }

    /// [`Endpoint::start_with`], with the bot token for REST calls (message actions).
    pub(super) async fn start_with_token(
        service: Service,
        api_base: Option<&str>,
        token: Option<&str>,
    ) -> Endpoint {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let settings = DiscordHttpSettings {
            public_key: PublicKey(application_key().verifying_key().to_bytes()),
            api_base: api_base.map(|base| base.parse().expect("a URL")),
            token: token.map(signpost::config::Secret::new),
        };
        tokio::spawn(endpoint::serve(listener, settings, service.clone()));
        Endpoint {
            url: format!("http://{addr}"),
            service,
            client: reqwest::Client::new(),
        }
    }

    /// Posts `body` with these signature headers; returns the status and the JSON answer
    /// (`Value::Null` when the body is not JSON).
    async fn post(&self, body: &[u8], headers: &[(&str, String)]) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}{}", self.url, endpoint::ROUTE))
            .header("content-type", "application/json")
            .body(body.to_vec());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.expect("the endpoint answers");
        let status = response.status().as_u16();
        let bytes = response.bytes().await.expect("a body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// Posts `interaction` signed by `key` with timestamp `at` (Unix seconds).
    async fn post_signed_by(&self, key: &SigningKey, at: i64, interaction: &Value) -> (u16, Value) {
        let body = serde_json::to_vec(interaction).unwrap();
        self.post(&body, &signed(key, at, &body)).await
    }

    /// Posts `interaction` as Discord would: signed by the application's key, just now.
    pub(super) async fn post_signed(&self, interaction: &Value) -> (u16, Value) {
        self.post_signed_by(&application_key(), now(), interaction)
            .await
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The two headers Discord sends: `timestamp` and the hex signature of timestamp + body.
fn signed(key: &SigningKey, at: i64, body: &[u8]) -> Vec<(&'static str, String)> {
    let timestamp = at.to_string();
    let mut message = timestamp.as_bytes().to_vec();
    message.extend_from_slice(body);
    let signature = hex(&key.sign(&message).to_bytes());
    vec![
        ("x-signature-ed25519", signature),
        ("x-signature-timestamp", timestamp),
    ]
}

/// A core of its own, so its metrics count only this test's requests.
fn fresh_core() -> Arc<Signpost> {
    Arc::new(Signpost::new(
        load_dir(&data_dir()).expect("data/ is valid").index,
        "!",
    ))
}

/// An endpoint on a core of its own, sending follow-ups and deletions to `api_base`.
pub(super) async fn fresh_endpoint(api_base: Option<&str>) -> Endpoint {
    Endpoint::start_with(Service::new(fresh_core(), Limits::default()), api_base).await
}

fn ping() -> Value {
    json!({ "id": "1500000000000000009", "application_id": "1100000000000000001", "type": 1,
            "token": "ping-token", "version": 1 })
}

fn guidance_nurse(id: u64) -> Value {
    command(
        id,
        "guidance",
        json!([{ "name": "profession", "type": 3, "value": "nurse" }]),
    )
}

/// A signed PING is answered with PONG (`{"type":1}`), as Discord checks before saving the
/// endpoint URL; the endpoint reports itself up in `/readyz`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_ping_gets_a_pong() {
    let endpoint = Endpoint::start(Service::new(core(), Limits::default())).await;
    let (status, body) = endpoint.post_signed(&ping()).await;
    assert_eq!((status, body), (200, json!({ "type": 1 })));
    let ready: Value = reqwest::get(format!("{}/readyz", endpoint.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["adapters"]["discord-http"]["state"], "up", "{ready}");
    endpoint.service.shutdown.cancel();
}

/// A signed `/guidance nurse` is answered in the response with type 4 and the NMC's guidance,
/// exactly the body the gateway path sends in its callback for the same command; the core
/// counts it as a Discord command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slash_command_is_answered_like_the_gateway_answers_it() {
    let core = fresh_core();
    let endpoint = Endpoint::start(Service::new(Arc::clone(&core), Limits::default())).await;
    let id = 1_500_000_000_000_000_901;
    let (status, body) = endpoint.post_signed(&guidance_nurse(id)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["type"], 4);
    assert!(body["data"].to_string().contains("nmc.org.uk"), "{body}");
    assert_eq!(body["data"]["allowed_mentions"]["parse"], json!([]));
    let metrics = core.metrics().to_text();
    assert!(
        metrics.contains(r#"command="guidance",platform="discord""#),
        "{metrics}"
    );

    let bot = Bot::start(false).await;
    bot.peer.dispatch("INTERACTION_CREATE", &guidance_nurse(id));
    let gateway = callback(&bot.peer, id).await;
    assert_eq!(body, gateway);
    bot.stop().await.unwrap();
    endpoint.service.shutdown.cancel();
}

/// A signed autocomplete request is answered with type 8 and ranked choices (social workers
/// first for "socail").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_gets_choices() {
    let endpoint = Endpoint::start(Service::new(core(), Limits::default())).await;
    let interaction = autocomplete(
        1_500_000_000_000_000_902,
        "guidance",
        "profession",
        "socail",
    );
    let (status, body) = endpoint.post_signed(&interaction).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["type"], 8);
    let choices = body["data"]["choices"].as_array().expect("choices");
    assert!(!choices.is_empty() && choices.len() <= 25, "{body}");
    assert_eq!(choices[0]["value"], "social-worker", "{body}");
    endpoint.service.shutdown.cancel();
}

/// Forged signatures, missing headers, another key's signature and stale or future
/// timestamps get 401 (a body over the limit 413), and the core is never asked: it counts no
/// command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_signatures_are_refused_and_nothing_is_processed() {
    let core = fresh_core();
    let endpoint = Endpoint::start(Service::new(Arc::clone(&core), Limits::default())).await;
    let interaction = guidance_nurse(1_500_000_000_000_000_903);
    let body = serde_json::to_vec(&interaction).unwrap();
    let good = signed(&application_key(), now(), &body);

    // Forged: a valid signature over a different body.
    let forged = signed(&application_key(), now(), b"{\"type\":1}");
    assert_eq!(endpoint.post(&body, &forged).await.0, 401, "forged");
    // Missing either header, or both.
    assert_eq!(endpoint.post(&body, &[]).await.0, 401, "no headers");
    assert_eq!(
        endpoint.post(&body, &good[..1]).await.0,
        401,
        "no timestamp"
    );
    assert_eq!(
        endpoint.post(&body, &good[1..]).await.0,
        401,
        "no signature"
    );
    // Signed with a key that is not the application's.
    let stranger = SigningKey::from_bytes(&[7; 32]);
    let (status, _) = endpoint
        .post_signed_by(&stranger, now(), &interaction)
        .await;
    assert_eq!(status, 401, "wrong key");
    // Properly signed, but replayed after ten minutes, or dated ten minutes ahead.
    let (status, _) = endpoint
        .post_signed_by(&application_key(), now() - 600, &interaction)
        .await;
    assert_eq!(status, 401, "stale");
    let (status, _) = endpoint
        .post_signed_by(&application_key(), now() + 600, &interaction)
        .await;
    assert_eq!(status, 401, "future");
    // A PING is no exception.
    let ping = serde_json::to_vec(&ping()).unwrap();
    assert_eq!(endpoint.post(&ping, &forged).await.0, 401, "forged ping");

    // A body over the limit is refused before it is read whole.
    let huge = vec![b' '; endpoint::MAX_BODY + 1];
    let huge_signed = signed(&application_key(), now(), &huge);
    assert_eq!(endpoint.post(&huge, &huge_signed).await.0, 413, "too large");

    let metrics = core.metrics().to_text();
    assert!(!metrics.contains("signpost_commands_total{"), "{metrics}");
    // The same request, properly signed, is answered and counted.
    assert_eq!(endpoint.post(&body, &good).await.0, 200);
    assert!(core
        .metrics()
        .to_text()
        .contains(r#"command="guidance",platform="discord""#));
    endpoint.service.shutdown.cancel();
}

/// With every slot taken, a signed command is answered at once with the ephemeral busy
/// message, and autocomplete with no choices, instead of Discord's "did not respond".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shed_command_is_told_the_bot_is_busy() {
    let limits = Limits {
        in_flight: 1,
        queued: 0,
        ..Limits::default()
    };
    let endpoint = Endpoint::start(Service::new(core(), limits)).await;
    let held = endpoint
        .service
        .intake
        .try_admit("test")
        .await
        .expect("the only slot");
    let (status, body) = endpoint
        .post_signed(&guidance_nurse(1_500_000_000_000_000_904))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["type"], 4);
    assert_eq!(body["data"]["content"], BUSY);
    assert_eq!(body["data"]["flags"], signpost::render::discord::EPHEMERAL);
    let interaction = autocomplete(1_500_000_000_000_000_905, "guidance", "profession", "nur");
    let (_, body) = endpoint.post_signed(&interaction).await;
    assert_eq!(body, json!({ "type": 8, "data": { "choices": [] } }));
    drop(held);
    let (_, body) = endpoint
        .post_signed(&guidance_nurse(1_500_000_000_000_000_906))
        .await;
    assert_ne!(body["data"]["content"], BUSY);
    endpoint.service.shutdown.cancel();
}

/// A reply too long for one message: the first comes in the response, the rest follow as
/// webhook posts to `/webhooks/{application}/{token}`, in order, each exactly as the renderer
/// split the reply (mentions off), the last with the answer's buttons.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_replies_continue_as_follow_ups() {
    // Forty more nursing resources with long summaries make `/guidance nurse` several messages.
    let dir = copy_of_data("discord-http-follow-ups");
    let mut extra = String::new();
    for n in 0..40 {
        extra.push_str(&format!(
            "\n[[resource]]\nid = \"long-nursing-guide-{n}\"\ntitle = \"Long nursing guide {n}\"\n\
             publisher = \"Test publisher\"\ndate = \"2024\"\n\
             url = \"https://example.org/nursing/{n}\"\nkind = \"guidance\"\n\
             status = \"current\"\nprofessions = [\"nurse\"]\nsummary = \"{}\"\n",
            "A long summary of nursing guidance on social media. "
                .repeat(7)
                .trim_end()
        ));
    }
    let resources = dir.join("resources.toml");
    let mut text = std::fs::read_to_string(&resources).unwrap();
    text.push_str(&extra);
    std::fs::write(&resources, text).unwrap();
    let core = Arc::new(Signpost::new(
        load_dir(&dir).expect("the longer index is valid").index,
        "!",
    ));
    let peer = Peer::start().await;
    let endpoint = Endpoint::start_with(
        Service::new(Arc::clone(&core), Limits::default()),
        Some(&peer.rest_url),
    )
    .await;
    // The whole answer (`all`), which needs more than one message.
    let interaction = command(
        1_500_000_000_000_000_908,
        "guidance",
        json!([
            { "name": "profession", "type": 3, "value": "nurse" },
            { "name": "all", "type": 5, "value": true }
        ]),
    );
    let (status, body) = endpoint.post_signed(&interaction).await;
    assert_eq!((status, &body["type"]), (200, &json!(4)), "{body}");

    let reply = core
        .handle(&signpost::Incoming {
            text: "!guidance nurse all".into(),
            origin: signpost::Origin::Discord,
            addressed: true,
            from_bot: false,
            command_prefix: Some("/"),
            sender: None,
            interaction: true,
            moderator: false,
            community: None,
        })
        .expect("an answer");
    let mut expected = signpost::render::discord::to_messages(&reply);
    // The public answer's buttons go under its last message.
    signpost::render::discord::add_buttons(
        &mut expected,
        &signpost::reply::buttons_for(&reply, true),
    );
    let expected: Vec<Value> = expected
        .iter()
        .map(|m| serde_json::to_value(m).unwrap())
        .collect();
    assert!(expected.len() > 1, "the reply needs follow-ups");
    assert_eq!(body["data"], expected[0]);
    let path = format!(
        "/api/v10/webhooks/{BOT_ID}/{}",
        interaction["token"].as_str().unwrap()
    );
    let follow_ups = peer
        .wait_requests(expected.len() - 1, WAIT, |r| r.path == path)
        .await;
    let sent: Vec<Value> = follow_ups.iter().map(|r| r.json()).collect();
    assert_eq!(sent, expected[1..]);
    assert!(sent
        .iter()
        .all(|m| m["allowed_mentions"]["parse"] == json!([])));
    endpoint.service.shutdown.cancel();
}

/// `signpost run`'s runtime with only these settings from the environment, on a free port,
/// once `/readyz` says it is ready; returns the endpoint, the runtime's task and the readiness.
async fn run_runtime(
    env: &[(&str, &str)],
) -> (
    Endpoint,
    tokio::task::JoinHandle<Result<(), signpost::runtime::RuntimeError>>,
    Value,
) {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        probe.local_addr().expect("address").port()
    };
    let key = hex(&application_key().verifying_key().to_bytes());
    let mut vars = vec![
        ("SIGNPOST__DISCORD__PUBLIC_KEY".to_string(), key),
        (
            "SIGNPOST__HTTP__LISTEN".to_string(),
            format!("127.0.0.1:{port}"),
        ),
    ];
    vars.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let settings = signpost::config::load(&signpost::config::Sources {
        local: None,
        file: None,
        env: Some(vars),
    })
    .expect("settings");
    let service = Service::new(core(), Limits::default());
    let running = tokio::spawn(signpost::runtime::run(settings, service.clone()));
    let endpoint = Endpoint {
        url: format!("http://127.0.0.1:{port}"),
        service,
        client: reqwest::Client::new(),
    };
    let ready = tokio::time::timeout(WAIT, async {
        loop {
            if let Ok(response) = endpoint
                .client
                .get(format!("{}/readyz", endpoint.url))
                .send()
                .await
            {
                if response.status() == 200 {
                    return response.json::<Value>().await.expect("JSON");
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the runtime becomes ready");
    (endpoint, running, ready)
}

/// Stops the runtime and checks it ended cleanly.
async fn stop_runtime(
    endpoint: Endpoint,
    running: tokio::task::JoinHandle<Result<(), signpost::runtime::RuntimeError>>,
) {
    endpoint.service.shutdown.cancel();
    tokio::time::timeout(WAIT, running)
        .await
        .expect("the runtime stops on shutdown")
        .expect("no panic")
        .expect("a clean stop");
}

fn adapters(ready: &Value) -> Vec<&String> {
    ready["adapters"].as_object().unwrap().keys().collect()
}

/// With only `discord.public_key` set (no bot token), `signpost run`'s runtime serves the
/// endpoint on the shared listener with no gateway adapter, and `/readyz` reports `discord-http`
/// up once it is mounted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_key_alone_serves_the_endpoint_on_the_shared_listener() {
    let (endpoint, running, ready) = run_runtime(&[]).await;
    assert_eq!(adapters(&ready), ["discord-http"], "{ready}");
    assert_eq!(ready["adapters"]["discord-http"]["state"], "up");
    let (status, body) = endpoint.post_signed(&ping()).await;
    assert_eq!((status, body), (200, json!({ "type": 1 })));
    let (status, body) = endpoint
        .post_signed(&guidance_nurse(1_500_000_000_000_000_907))
        .await;
    assert_eq!((status, &body["type"]), (200, &json!(4)), "{body}");
    stop_runtime(endpoint, running).await;
}

/// `bot.roles = ["discord-http"]` runs only the endpoint even with a bot token configured: no
/// gateway adapter is started (its REST base is a closed local port, so one would never be up).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_leave_the_gateway_to_another_process() {
    let (endpoint, running, ready) = run_runtime(&[
        ("SIGNPOST__DISCORD__TOKEN", "not-a-real-token"),
        ("SIGNPOST__DISCORD__API_BASE", "http://127.0.0.1:9"),
        ("SIGNPOST__BOT__ROLES", "discord-http"),
    ])
    .await;
    assert_eq!(adapters(&ready), ["discord-http"], "{ready}");
    let (status, body) = endpoint.post_signed(&ping()).await;
    assert_eq!((status, body), (200, json!({ "type": 1 })));
    stop_runtime(endpoint, running).await;
}
