//! Menus and buttons on Slack: `/guidance` alone answers with a `static_select` of
//! professions, `block_actions` posted (HMAC-signed) to `/slack/interactions` are answered by
//! `response_url`, the App Home tab holds the same picker, and the buttons on answers copy or
//! remove them only for those allowed; forged ids get a short private answer.

use serde_json::{json, Value};
use signpost::action::{Action, NOT_YOURS, REFUSED};

use crate::support::slack::{HttpAdapter, WebApiPeer};

/// Every `static_select` in some blocks, as (action_id, option values).
fn selects(blocks: &Value) -> Vec<(String, Vec<String>)> {
    elements(blocks)
        .into_iter()
        .filter(|e| e["type"] == "static_select")
        .map(|e| {
            let values = e["options"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| o["value"].as_str().unwrap().to_string())
                .collect();
            (e["action_id"].as_str().unwrap().to_string(), values)
        })
        .collect()
}

/// Every button in some blocks, as (action_id, value).
fn buttons(blocks: &Value) -> Vec<(String, String)> {
    elements(blocks)
        .into_iter()
        .filter(|e| e["type"] == "button")
        .map(|e| {
            (
                e["action_id"].as_str().unwrap().to_string(),
                e["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn elements(blocks: &Value) -> Vec<Value> {
    blocks
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// A `block_actions` payload from `user` for `action` (a select's pick or a button's value) on
/// a message with `blocks` (`Null` for a private message, whose blocks Slack does not send).
fn block_actions(user: &str, action: Value, blocks: &Value, response_url: &str) -> Value {
    let ephemeral = blocks.is_null();
    let mut payload = json!({
        "type": "block_actions",
        "user": { "id": user, "username": "someone", "team_id": "T0001" },
        "api_app_id": "A0001",
        "team": { "id": "T0001" },
        "channel": { "id": "C0001", "name": "newcomers" },
        "container": { "type": "message", "message_ts": "1700000000.000300",
                       "channel_id": "C0001", "is_ephemeral": ephemeral },
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "response_url": response_url,
        "actions": [action],
    });
    if !ephemeral {
        payload["message"] = json!({ "type": "message", "ts": "1700000000.000300",
                                      "text": "Signpost", "blocks": blocks });
    }
    payload
}

fn pick(action_id: &str, value: &str) -> Value {
    json!({ "type": "static_select", "action_id": action_id, "block_id": "b1",
            "selected_option": { "text": { "type": "plain_text", "text": value }, "value": value },
            "action_ts": "1700000001.000100" })
}

fn press(action_id: &str, value: &str) -> Value {
    json!({ "type": "button", "action_id": action_id, "block_id": "sp-buttons",
            "value": value, "action_ts": "1700000001.000100" })
}

/// Posts `payload` signed as Slack's form body with field `payload`; returns the status.
async fn interact(adapter: &HttpAdapter, payload: &Value) -> u16 {
    let body = serde_urlencoded::to_string([("payload", payload.to_string())]).expect("form");
    adapter
        .signed("/slack/interactions", &body, &[])
        .await
        .status()
        .as_u16()
}

/// `/guidance` alone answers with a select of every profession and the public answer's
/// buttons; the asker's pick of social worker replaces the message with the nation select, and
/// the nation with the guidance for Wales.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guidance_menu_is_answered_by_response_url() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let (_, answer) = adapter
        .slash("/guidance", "", &peer.response_url("m1"))
        .await;
    let core = crate::support::slack::shared_core();
    let ids: Vec<String> = core
        .index()
        .professions
        .iter()
        .map(|p| p.id.clone())
        .collect();
    assert_eq!(
        selects(&answer["blocks"]),
        vec![(Action::PickProfession.to_id(), ids)]
    );
    let buttons_on = buttons(&answer["blocks"]);
    let kinds: Vec<&str> = buttons_on.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(kinds, [Action::OnlyMe.to_id(), Action::Remove.to_id()]);

    let url = peer.response_url("m2");
    let payload = block_actions(
        "UALICE",
        pick(&Action::PickProfession.to_id(), "social-worker"),
        &answer["blocks"],
        &url,
    );
    assert_eq!(interact(&adapter, &payload).await, 200);
    let replaced = peer.wait_for("response_url", 1).await.remove(0).body;
    assert_eq!(replaced["replace_original"], true);
    let nation = selects(&replaced["blocks"]);
    assert_eq!(
        nation[0].0,
        Action::PickNation("social-worker".into()).to_id()
    );
    assert_eq!(nation[0].1.len(), 5);

    let payload = block_actions(
        "UALICE",
        pick(&nation[0].0, "wales"),
        &replaced["blocks"],
        &url,
    );
    assert_eq!(interact(&adapter, &payload).await, 200);
    let answered = peer.wait_for("response_url", 2).await.remove(1).body;
    assert_eq!(answered["replace_original"], true);
    let text = answered["blocks"].to_string();
    assert!(text.contains("Social Care Wales"), "{text}");
    assert!(selects(&answered["blocks"]).is_empty());
}

/// Someone else's pick from the asker's menu is answered privately to them, not in place;
/// "Only show me" sends a private copy of the message's blocks, without its buttons.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_people_get_private_answers() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let (_, answer) = adapter
        .slash("/guidance", "", &peer.response_url("o1"))
        .await;
    let url = peer.response_url("o2");
    let payload = block_actions(
        "UBOB",
        pick(&Action::PickProfession.to_id(), "nurse"),
        &answer["blocks"],
        &url,
    );
    assert_eq!(interact(&adapter, &payload).await, 200);
    let private = peer.wait_for("response_url", 1).await.remove(0).body;
    assert_eq!(private["replace_original"], false);
    assert_eq!(private["response_type"], "ephemeral");
    assert!(private["blocks"].to_string().contains("nmc.org.uk"));

    let (_, nurse) = adapter
        .slash("/guidance", "nurse", &peer.response_url("o3"))
        .await;
    let (_, id) = buttons(&nurse["blocks"]).remove(0);
    let payload = block_actions(
        "UBOB",
        press(&Action::OnlyMe.to_id(), &id),
        &nurse["blocks"],
        &url,
    );
    assert_eq!(interact(&adapter, &payload).await, 200);
    let copy = peer.wait_for("response_url", 2).await.remove(1).body;
    assert_eq!(copy["response_type"], "ephemeral");
    assert_eq!(copy["replace_original"], false);
    assert!(copy["blocks"].to_string().contains("nmc.org.uk"));
    assert!(buttons(&copy["blocks"]).is_empty());
}

/// "Remove" from someone who neither asked nor moderates gets a private refusal; from the
/// asker it deletes the original. A private answer's "Post to channel" posts a public copy
/// with the public buttons.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removal_and_posting_follow_who_asked() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let (_, tips) = adapter.slash("/tips", "", &peer.response_url("r1")).await;
    let (_, id) = buttons(&tips["blocks"]).remove(1);
    let url = peer.response_url("r2");
    let by_bob = block_actions(
        "UBOB",
        press(&Action::Remove.to_id(), &id),
        &tips["blocks"],
        &url,
    );
    assert_eq!(interact(&adapter, &by_bob).await, 200);
    let refused = peer.wait_for("response_url", 1).await.remove(0).body;
    assert_eq!(refused["response_type"], "ephemeral");
    assert_eq!(refused["text"], NOT_YOURS);
    let by_alice = block_actions(
        "UALICE",
        press(&Action::Remove.to_id(), &id),
        &tips["blocks"],
        &url,
    );
    assert_eq!(interact(&adapter, &by_alice).await, 200);
    let removed = peer.wait_for("response_url", 2).await.remove(1).body;
    assert_eq!(removed["delete_original"], true);

    let (_, private) = adapter
        .slash("/abuse-help", "private", &peer.response_url("r3"))
        .await;
    // The short private answer offers the rest, then a public copy.
    let posted = buttons(&private["blocks"]);
    let kinds: Vec<&str> = posted.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        kinds,
        [
            Action::More("abuse-help:slack".into()).to_id(),
            Action::PostToChannel.to_id()
        ]
    );
    let posted = &posted[1..];
    let payload = block_actions(
        "UALICE",
        press(&posted[0].0, &posted[0].1),
        &Value::Null,
        &url,
    );
    assert_eq!(interact(&adapter, &payload).await, 200);
    let public = peer.wait_for("response_url", 3).await.remove(2).body;
    assert_eq!(public["response_type"], "in_channel");
    assert_eq!(public["replace_original"], false);
    assert!(public["blocks"].to_string().contains("22130526790291"));
    let kinds: Vec<String> = buttons(&public["blocks"])
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(kinds, [Action::OnlyMe.to_id(), Action::Remove.to_id()]);
}

/// Forged action ids and values are refused privately and never echoed; an answer id of the
/// right shape that is not remembered gets a polite answer; unsigned payloads get 401.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_ids_are_refused() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let url = peer.response_url("f1");
    let hostile = "<!channel> *x* <https://evil.example|click>";
    let payloads = [
        pick(hostile, "nurse"),
        pick(&Action::PickProfession.to_id(), hostile),
        press(&Action::Remove.to_id(), hostile),
    ];
    for (n, action) in payloads.into_iter().enumerate() {
        let payload = block_actions("UALICE", action, &json!([]), &url);
        assert_eq!(interact(&adapter, &payload).await, 200);
        let said = peer.wait_for("response_url", n + 1).await.remove(n).body;
        assert_eq!(said["response_type"], "ephemeral");
        let text = said.to_string();
        assert!(text.contains(REFUSED), "{text}");
        assert!(
            !text.contains("channel") && !text.contains("evil"),
            "{text}"
        );
    }
    let unknown = block_actions(
        "UALICE",
        press(&Action::Remove.to_id(), "a0ff"),
        &json!([]),
        &url,
    );
    assert_eq!(interact(&adapter, &unknown).await, 200);
    let said = peer.wait_for("response_url", 4).await.remove(3).body;
    assert_eq!(said["text"], signpost::action::ASKER_UNKNOWN);
    let body = serde_urlencoded::to_string([("payload", unknown.to_string())]).unwrap();
    let unsigned = adapter
        .post("/slack/interactions", &body, Some("1"), Some("v0=00"), &[])
        .await;
    assert_eq!(unsigned.status().as_u16(), 401);
}

/// The App Home tab holds the profession picker; a pick there (a view, without a
/// `response_url`) is answered in the person's direct messages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_home_picker_answers_in_direct_messages() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let opened = crate::support::slack::callback(
        "EvHomePicker",
        json!({ "type": "app_home_opened", "user": "UALICE", "tab": "home" }),
    );
    assert_eq!(adapter.event(&opened, &[]).await, 200);
    let published = peer.wait_for("views.publish", 1).await.remove(0).body;
    let picker = selects(&published["view"]["blocks"]);
    assert_eq!(picker.len(), 1);
    assert_eq!(picker[0].0, Action::PickProfession.to_id());
    let mut payload = block_actions(
        "UALICE",
        pick(&picker[0].0, "social-worker"),
        &json!([]),
        "",
    );
    payload["container"] = json!({ "type": "view", "view_id": "V0001" });
    payload.as_object_mut().unwrap().remove("response_url");
    payload.as_object_mut().unwrap().remove("message");
    assert_eq!(interact(&adapter, &payload).await, 200);
    let posted = peer.wait_for("chat.postMessage", 1).await.remove(0).body;
    assert_eq!(posted["channel"], "UALICE");
    assert_eq!(
        selects(&posted["blocks"])[0].0,
        Action::PickNation("social-worker".into()).to_id()
    );
}
