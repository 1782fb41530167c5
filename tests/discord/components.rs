//! Menus and buttons on Discord: `/guidance` alone answers with a string select of
//! professions, picks come back as MESSAGE_COMPONENT interactions (type 3) over the gateway and
//! the signed HTTP endpoint, and the buttons on answers copy or remove them, only for those
//! allowed; forged, stale and hostile ids get a short private answer.

use serde_json::{json, Value};
use signpost::action::{Action, NOT_YOURS, REFUSED};
use signpost::adapters::Service;
use signpost::intake::Limits;
use signpost::render::discord::EPHEMERAL;
use signpost::render::discord_components::STRING_SELECT;

use super::http::{fresh_endpoint, Endpoint};
use super::{callback, command, component, core, Bot, WAIT};
use crate::support::discord_peer::{Peer, BOT_ID, USER_ID};

/// Someone else in the channel.
const OTHER: u64 = 1_400_000_000_000_000_077;
/// A moderator role.
const MOD_ROLE: u64 = 1_700_000_000_000_000_001;

/// Every select in a message body, as (custom_id, option values).
fn selects(body: &Value) -> Vec<(String, Vec<String>)> {
    components(body)
        .into_iter()
        .filter(|c| c["type"] == STRING_SELECT)
        .map(|c| {
            let values = c["options"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| o["value"].as_str().unwrap().to_string())
                .collect();
            (c["custom_id"].as_str().unwrap().to_string(), values)
        })
        .collect()
}

/// Every button's custom_id in a message body.
fn buttons(body: &Value) -> Vec<String> {
    components(body)
        .into_iter()
        .filter(|c| c["type"] == 2)
        .map(|c| c["custom_id"].as_str().unwrap().to_string())
        .collect()
}

fn components(body: &Value) -> Vec<Value> {
    body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// Every text a message body shows.
fn shown(body: &Value) -> String {
    let mut text = body["content"].as_str().unwrap_or_default().to_string();
    for e in body["embeds"].as_array().into_iter().flatten() {
        text.push_str(e["title"].as_str().unwrap_or_default());
        text.push_str(e["description"].as_str().unwrap_or_default());
    }
    text
}

/// Dispatches `interaction` and returns its callback body.
async fn press(peer: &Peer, interaction: &Value) -> Value {
    let id: u64 = interaction["id"].as_str().unwrap().parse().unwrap();
    peer.dispatch("INTERACTION_CREATE", interaction);
    callback(peer, id).await
}

/// `/guidance` alone answers with a select of every profession (each a verified id), under a
/// public answer's buttons; the asker's pick of social worker turns the same message (type 7)
/// into the nation select, and the nation into the guidance for Scotland.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guidance_menu_then_nation_then_answer_over_the_gateway() {
    let bot = Bot::start(false).await;
    let asked = press(
        &bot.peer,
        &command(1_500_000_000_000_000_501, "guidance", json!([])),
    )
    .await;
    assert_eq!(asked["type"], 4);
    let menu = selects(&asked["data"]);
    let index = core().index();
    let ids: Vec<String> = index.professions.iter().map(|p| p.id.clone()).collect();
    assert_eq!(menu, vec![(Action::PickProfession.to_id(), ids)]);
    assert_eq!(
        buttons(&asked["data"]),
        vec![Action::OnlyMe.to_id(), Action::Remove.to_id()]
    );

    let pick = component(
        1_500_000_000_000_000_502,
        &Action::PickProfession.to_id(),
        &["social-worker"],
        USER_ID,
        USER_ID,
    );
    let nations = press(&bot.peer, &pick).await;
    assert_eq!(nations["type"], 7, "the asker's message is updated");
    let nation_menu = selects(&nations["data"]);
    assert_eq!(nation_menu.len(), 1);
    assert_eq!(
        nation_menu[0].0,
        Action::PickNation("social-worker".into()).to_id()
    );
    assert_eq!(
        nation_menu[0].1,
        ["england", "scotland", "wales", "northern-ireland", "uk"]
    );

    let pick = component(
        1_500_000_000_000_000_503,
        &nation_menu[0].0,
        &["scotland"],
        USER_ID,
        USER_ID,
    );
    let answer = press(&bot.peer, &pick).await;
    assert_eq!(answer["type"], 7);
    let text = shown(&answer["data"]);
    assert!(
        text.contains("(Scotland)") && text.contains("SSSC"),
        "{text}"
    );
    assert!(!text.contains("Social Work England"), "{text}");
    assert!(selects(&answer["data"]).is_empty(), "no menu left");
    assert_eq!(
        buttons(&answer["data"]),
        vec![
            Action::More("guidance:social-worker:scotland".into()).to_id(),
            Action::OnlyMe.to_id(),
            Action::Remove.to_id()
        ]
    );
    bot.stop().await.unwrap();
}

/// Someone else picking from the asker's public menu gets a private answer of their own
/// (type 4, ephemeral) and the asker's message is left alone; "Only show me" is a private copy
/// of the message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_people_get_private_answers() {
    let bot = Bot::start(false).await;
    let pick = component(
        1_500_000_000_000_000_511,
        &Action::PickProfession.to_id(),
        &["nurse"],
        OTHER,
        USER_ID,
    );
    let answer = press(&bot.peer, &pick).await;
    assert_eq!(answer["type"], 4);
    assert_eq!(answer["data"]["flags"], EPHEMERAL);
    assert!(shown(&answer["data"]).contains("Nurse"));
    // The short answer offers the rest, then a public copy.
    assert_eq!(
        buttons(&answer["data"]),
        vec![
            Action::More("guidance:nurse".into()).to_id(),
            Action::PostToChannel.to_id()
        ]
    );

    let mut only_me = component(
        1_500_000_000_000_000_512,
        &Action::OnlyMe.to_id(),
        &[],
        OTHER,
        USER_ID,
    );
    only_me["message"]["content"] = json!("**Social media guidance: Nurse**");
    let copy = press(&bot.peer, &only_me).await;
    assert_eq!(copy["type"], 4);
    assert_eq!(copy["data"]["flags"], EPHEMERAL);
    assert_eq!(copy["data"]["content"], "**Social media guidance: Nurse**");
    assert!(buttons(&copy["data"]).is_empty());
    assert_eq!(copy["data"]["allowed_mentions"]["parse"], json!([]));
    bot.stop().await.unwrap();
}

/// "Remove" from someone who neither asked nor moderates gets a private refusal and deletes
/// nothing; from the asker, or a moderator, it is acknowledged (type 6) and the message is
/// deleted through the interaction's webhook.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_asker_or_a_moderator_removes() {
    let bot = Bot::start_service(
        |peer| super::settings(peer, false),
        |service| {
            *service = Service::new(core(), Limits::default());
            service.moderators = std::sync::Arc::new(signpost::config::Moderators {
                discord_roles: vec![MOD_ROLE],
                ..signpost::config::Moderators::default()
            });
        },
    )
    .await;
    let remove =
        |id: u64, presser: u64| component(id, &Action::Remove.to_id(), &[], presser, USER_ID);
    let refused = press(&bot.peer, &remove(1_500_000_000_000_000_521, OTHER)).await;
    assert_eq!(refused["type"], 4);
    assert_eq!(refused["data"]["flags"], EPHEMERAL);
    assert_eq!(refused["data"]["content"], NOT_YOURS);

    let removed = press(&bot.peer, &remove(1_500_000_000_000_000_522, USER_ID)).await;
    assert_eq!(removed, json!({ "type": 6 }));
    let mut by_moderator = remove(1_500_000_000_000_000_523, OTHER);
    by_moderator["member"]["roles"] = json!([MOD_ROLE.to_string()]);
    assert_eq!(press(&bot.peer, &by_moderator).await, json!({ "type": 6 }));
    let deletes = bot
        .peer
        .wait_requests(2, WAIT, |r| r.method == "DELETE")
        .await;
    // Each delete goes out after its press is acknowledged, so the two may arrive in either order.
    let mut paths: Vec<&str> = deletes.iter().map(|r| r.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            format!("/api/v10/webhooks/{BOT_ID}/interaction-token-1500000000000000522/messages/@original"),
            format!("/api/v10/webhooks/{BOT_ID}/interaction-token-1500000000000000523/messages/@original"),
        ]
    );
    bot.stop().await.unwrap();
}

/// Forged ids and values are refused privately without being echoed; a stale id (another
/// version) or a profession the index no longer has gets a polite "out of date".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_stale_ids_get_short_private_answers() {
    let bot = Bot::start(false).await;
    let hostile = "<@everyone> **x** [a](https://evil.example)";
    let cases = [
        ("sp1:prof", vec![hostile], REFUSED),
        (hostile, vec!["nurse"], REFUSED),
        ("sp1:rm:1400000000000000001", vec![], REFUSED),
        ("sp0:prof", vec!["nurse"], "That choice is out of date"),
        ("sp1:prof", vec!["astronaut"], "That choice is out of date"),
        (
            "sp1:nation:no-such-profession",
            vec!["wales"],
            "That choice is out of date",
        ),
    ];
    for (n, (custom_id, values, said)) in cases.into_iter().enumerate() {
        let id = 1_500_000_000_000_000_531 + n as u64;
        let answer = press(
            &bot.peer,
            &component(id, custom_id, &values, USER_ID, USER_ID),
        )
        .await;
        assert_eq!(answer["type"], 4, "{custom_id}");
        assert_eq!(answer["data"]["flags"], EPHEMERAL, "{custom_id}");
        let text = shown(&answer["data"]);
        assert!(text.contains(said), "{custom_id}: {text}");
        assert!(
            !text.contains("everyone") && !text.contains("evil"),
            "{text}"
        );
    }
    assert_eq!(
        bot.peer
            .requests()
            .iter()
            .filter(|r| r.method == "DELETE")
            .count(),
        0
    );
    bot.stop().await.unwrap();
}

/// Over the signed HTTP endpoint the same picks answer in the response: the asker's pick
/// updates the message with the nation select, and the asker's "Remove" answers type 6 and
/// deletes the message by webhook at the configured API base.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picks_and_removal_over_the_http_endpoint() {
    let peer = Peer::start().await;
    let endpoint: Endpoint = fresh_endpoint(Some(&peer.rest_url)).await;
    let pick = component(
        1_500_000_000_000_000_541,
        &Action::PickProfession.to_id(),
        &["social-worker"],
        USER_ID,
        USER_ID,
    );
    let (status, answer) = endpoint.post_signed(&pick).await;
    assert_eq!(status, 200);
    assert_eq!(answer["type"], 7);
    assert_eq!(
        selects(&answer["data"])[0].0,
        Action::PickNation("social-worker".into()).to_id()
    );
    let remove = component(
        1_500_000_000_000_000_542,
        &Action::Remove.to_id(),
        &[],
        USER_ID,
        USER_ID,
    );
    let (status, answer) = endpoint.post_signed(&remove).await;
    assert_eq!((status, answer), (200, json!({ "type": 6 })));
    let deleted = peer.wait_requests(1, WAIT, |r| r.method == "DELETE").await;
    assert_eq!(
        deleted[0].path,
        format!(
            "/api/v10/webhooks/{BOT_ID}/interaction-token-1500000000000000542/messages/@original"
        )
    );
    let refused = component(
        1_500_000_000_000_000_543,
        &Action::Remove.to_id(),
        &[],
        OTHER,
        USER_ID,
    );
    let (_, answer) = endpoint.post_signed(&refused).await;
    assert_eq!(answer["data"]["content"], NOT_YOURS);
}
