//! Slash commands: registration from the command table, every command answered with callback
//! type 4, ephemeral where asked, and autocomplete with ranked choices.

use serde_json::{json, Value};
use signpost::command::table::{ArgKind, COMMANDS, MESSAGE_ACTIONS};
use signpost::render::discord::PROBLEM_COLOUR;

use super::{autocomplete, callback, command, links, settings, Bot, WAIT};
use crate::support::discord_peer::{BOT_ID, GUILD_ID};

/// The registration body is a guild-scoped bulk overwrite whose names, descriptions and options
/// (names, types, required, autocomplete) are the core's command table, row for row, followed by
/// the table's message actions as message context-menu commands (type 3) for Manage Messages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_matches_the_command_table() {
    let bot = Bot::start(false).await;
    let put = bot
        .peer
        .wait_requests(1, WAIT, |r| r.method == "PUT")
        .await
        .remove(0);
    assert_eq!(
        put.path,
        format!("/api/v10/applications/{BOT_ID}/guilds/{GUILD_ID}/commands")
    );
    let body = put.json();
    let commands = body.as_array().unwrap();
    assert_eq!(commands.len(), COMMANDS.len() + MESSAGE_ACTIONS.len());
    let (commands, actions) = commands.split_at(COMMANDS.len());
    for (action, registered) in MESSAGE_ACTIONS.iter().zip(actions) {
        assert_eq!(registered["name"], action.label);
        assert_eq!(registered["type"], 3);
        assert_eq!(registered["description"], "");
        assert_eq!(registered["options"], json!([]));
        assert_eq!(registered["default_member_permissions"], "8192");
    }
    for (spec, registered) in COMMANDS.iter().zip(commands) {
        assert_eq!(registered["name"], spec.name);
        assert_eq!(registered["type"], 1);
        assert_eq!(registered["description"], spec.summary);
        let options = registered["options"].as_array().unwrap();
        assert_eq!(options.len(), spec.args.len(), "{}", spec.name);
        for (arg, option) in spec.args.iter().zip(options) {
            assert_eq!(option["name"], arg.name);
            assert_eq!(option["description"], arg.help);
            assert_eq!(option["required"], arg.required);
            let (kind, completes) = match arg.kind {
                ArgKind::Flag => (5, false),
                ArgKind::Profession | ArgKind::ResourceId => (3, true),
                _ => (3, false),
            };
            assert_eq!(option["type"], kind, "{} {}", spec.name, arg.name);
            assert_eq!(option["autocomplete"].as_bool().unwrap_or(false), completes);
        }
    }
    bot.stop().await.unwrap();
}

/// Without guild ids the commands are registered globally.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_registration_without_guilds() {
    let bot = Bot::start_with(|peer| {
        let mut s = settings(peer, false);
        s.guild_ids.clear();
        s
    })
    .await;
    let put = bot
        .peer
        .wait_requests(1, WAIT, |r| r.method == "PUT")
        .await
        .remove(0);
    assert_eq!(put.path, format!("/api/v10/applications/{BOT_ID}/commands"));
    let body = put.json();
    let guidance = body
        .as_array()
        .expect("a list")
        .iter()
        .find(|c| c["name"] == "guidance")
        .expect("guidance registered");
    assert_eq!(
        guidance["integration_types"],
        json!([0, 1]),
        "user-installable"
    );
    assert_eq!(guidance["contexts"], json!([0, 1, 2]), "usable in DMs");
    let action = body
        .as_array()
        .expect("a list")
        .iter()
        .find(|c| c["name"] == MESSAGE_ACTIONS[0].label)
        .expect("the message action registered");
    assert_eq!(
        (
            &action["type"],
            &action["integration_types"],
            &action["contexts"]
        ),
        (&json!(3), &json!([0]), &json!([0])),
        "a server-only message action"
    );
    bot.stop().await.unwrap();
}

/// Used from a person's own install in a server that never installed Signpost, an answer goes
/// only to that person; in a server that installed it, the same command answers publicly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_installs_answer_privately_where_the_bot_is_not_installed() {
    let bot = Bot::start(false).await;
    let user = crate::support::discord_peer::USER_ID.to_string();
    let cases = [
        (1_500_000_000_000_000_951, json!({ "1": user }), true),
        (
            1_500_000_000_000_000_952,
            json!({ "0": GUILD_ID.to_string() }),
            false,
        ),
    ];
    for (id, owners, private) in cases {
        let mut interaction = command(id, "tips", json!([]));
        interaction["context"] = json!(0);
        interaction["authorizing_integration_owners"] = owners;
        bot.peer.dispatch("INTERACTION_CREATE", &interaction);
        let body = callback(&bot.peer, id).await;
        let flags = body["data"]["flags"].as_u64().unwrap_or(0);
        assert_eq!(
            flags & signpost::render::discord::EPHEMERAL == signpost::render::discord::EPHEMERAL,
            private,
            "{body}"
        );
    }
    bot.stop().await.unwrap();
}

fn assert_message_callback(body: &Value) -> &Value {
    assert_eq!(body["type"], 4, "{body}");
    let data = &body["data"];
    assert_eq!(
        data["allowed_mentions"],
        json!({ "parse": [], "replied_user": false })
    );
    assert!(data["content"].as_str().unwrap().chars().count() <= 2_000);
    data
}

/// Every slash command is answered with an interaction callback of type 4 carrying the same
/// answer the typed command gets; only `/abuse-help private:true` is ephemeral (flag 64).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_is_answered() {
    let bot = Bot::start(false).await;
    let cases: Vec<(&str, Value, &str, Option<u64>)> = vec![
        (
            "guidance",
            json!([{ "name": "profession", "type": 3, "value": "social-worker" }]),
            "socialworkengland.org.uk",
            None,
        ),
        (
            "guidance",
            json!([{ "name": "profession", "type": 3, "value": "nurse" }, { "name": "nation", "type": 3, "value": "Scotland" }]),
            "nmc.org.uk",
            None,
        ),
        ("abuse-help", json!([]), "discord.com/safety", None),
        (
            "abuse-help",
            json!([{ "name": "platform", "type": 3, "value": "x" }, { "name": "private", "type": 5, "value": true }]),
            "reportharmfulcontent.com",
            Some(64),
        ),
        (
            "abuse-help",
            json!([{ "name": "private", "type": 5, "value": false }]),
            "discord.com/safety",
            None,
        ),
        ("start", json!([]), "http", None),
        ("articles", json!([]), "doi.org", None),
        ("tips", json!([]), "hcpc-uk.org", None),
        (
            "search",
            json!([{ "name": "query", "type": 3, "value": "hcpc 2024" }]),
            "hcpc-uk.org",
            None,
        ),
        (
            "resource",
            json!([{ "name": "id", "type": 3, "value": "nmc-social-media-guidance" }]),
            "nmc.org.uk",
            None,
        ),
        ("about", json!([]), "", None),
        ("help", json!([]), "", None),
        (
            "help",
            json!([{ "name": "command", "type": 3, "value": "guidance" }]),
            "",
            None,
        ),
    ];
    for (n, (name, options, site, flags)) in cases.iter().enumerate() {
        let id = 1_500_000_000_000_000_100 + n as u64;
        bot.peer
            .dispatch("INTERACTION_CREATE", &command(id, name, options.clone()));
        let body = callback(&bot.peer, id).await;
        let data = assert_message_callback(&body);
        assert_eq!(data["flags"].as_u64(), *flags, "/{name} {options}");
        let links = links(data);
        if !site.is_empty() {
            assert!(
                links.iter().any(|l| l.contains(site)),
                "/{name} {options}: no {site} in {links:?}"
            );
        }
        let text = data.to_string();
        // Every registered command is answered, never reported as a problem.
        let colours: Vec<u64> = data["embeds"]
            .as_array()
            .map(|embeds| embeds.iter().filter_map(|e| e["color"].as_u64()).collect())
            .unwrap_or_default();
        assert!(!colours.is_empty(), "/{name}: answered with embeds: {text}");
        assert!(
            !colours.contains(&u64::from(PROBLEM_COLOUR)),
            "/{name} answered as a problem: {text}"
        );
        // Pointers in slash answers are typed as slash commands, not with the `!` prefix.
        if *name == "help" {
            assert!(
                text.contains("`/guidance") && !text.contains("`!guidance"),
                "/help: {text}"
            );
        }
    }
    let path = format!(
        "/api/v10/interactions/{}/interaction-token-{}/callback",
        1_500_000_000_000_000_100_u64, 1_500_000_000_000_000_100_u64
    );
    assert!(bot.peer.requests().iter().any(|r| r.path == path));
    bot.stop().await.unwrap();
}

/// `/help command:guidance` explains that one command (the option reaches the parser).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_reach_the_parser() {
    let bot = Bot::start(false).await;
    let id = 1_500_000_000_000_000_200;
    bot.peer.dispatch(
        "INTERACTION_CREATE",
        &command(
            id,
            "help",
            json!([{ "name": "command", "type": 3, "value": "search" }]),
        ),
    );
    let body = callback(&bot.peer, id).await;
    let text = body["data"].to_string();
    assert!(text.contains("search"), "{text}");
    assert!(
        !text.contains("abuse-help"),
        "help for one command only: {text}"
    );
    bot.stop().await.unwrap();
}

fn choices(body: &Value) -> Vec<(String, String)> {
    assert_eq!(body["type"], 8, "{body}");
    body["data"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().into(),
                c["value"].as_str().unwrap().into(),
            )
        })
        .collect()
}

/// Autocomplete for `/guidance profession:` answers with callback type 8 and at most 25 ranked
/// choices (display name shown, id sent): `socail` → social worker first, `nur` → nurse first,
/// `psych` → psychologists and psychiatrists; nothing typed yet → a list to pick from.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profession_autocomplete_ranks_choices() {
    let bot = Bot::start(false).await;
    let cases = [
        ("socail", "social-worker"),
        ("nur", "nurse"),
        ("psych", "psych"),
    ];
    for (n, (typed, first)) in cases.iter().enumerate() {
        let id = 1_500_000_000_000_000_300 + n as u64;
        bot.peer.dispatch(
            "INTERACTION_CREATE",
            &autocomplete(id, "guidance", "profession", typed),
        );
        let choices = choices(&callback(&bot.peer, id).await);
        assert!(
            !choices.is_empty() && choices.len() <= 25,
            "{typed}: {choices:?}"
        );
        assert!(choices[0].1.contains(first), "{typed}: {choices:?}");
        assert!(
            choices[0].0.chars().all(|c| c != '-'),
            "names are display names: {choices:?}"
        );
    }
    let id = 1_500_000_000_000_000_310;
    bot.peer.dispatch(
        "INTERACTION_CREATE",
        &autocomplete(id, "guidance", "profession", ""),
    );
    let all = choices(&callback(&bot.peer, id).await);
    assert!(all.len() >= 10 && all.len() <= 25, "{all:?}");
    bot.stop().await.unwrap();
}

/// Autocomplete for `/resource id:` offers ids starting with what was typed, then word matches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resource_autocomplete_offers_ids() {
    let bot = Bot::start(false).await;
    let id = 1_500_000_000_000_000_400;
    bot.peer.dispatch(
        "INTERACTION_CREATE",
        &autocomplete(id, "resource", "id", "nmc"),
    );
    let choices = choices(&callback(&bot.peer, id).await);
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert!(choices[0].1.starts_with("nmc"), "{choices:?}");
    assert!(choices
        .iter()
        .all(|(name, value)| name.chars().count() <= 100 && value.len() <= 100));
    bot.stop().await.unwrap();
}

/// With every slot taken by an answer in flight, a slash command is not left to fail on the
/// person's screen: it gets an ephemeral "busy" callback at once, and is counted as shed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shed_slash_command_is_told_the_bot_is_busy() {
    let limits = signpost::intake::Limits {
        in_flight: 1,
        queued: 0,
        ..signpost::intake::Limits::default()
    };
    let bot = Bot::start_limited(|peer| settings(peer, false), limits).await;
    let first = 1_500_000_000_000_000_801;
    let second = 1_500_000_000_000_000_802;
    bot.peer.hold(&format!("/interactions/{first}/"));
    bot.peer
        .dispatch("INTERACTION_CREATE", &command(first, "tips", json!([])));
    // The first answer has reached the peer and waits there, holding the only slot.
    bot.peer
        .wait_requests(1, WAIT, |r| {
            r.path.contains(&format!("/interactions/{first}/"))
        })
        .await;
    bot.peer
        .dispatch("INTERACTION_CREATE", &command(second, "tips", json!([])));
    let busy = callback(&bot.peer, second).await;
    assert_eq!(busy["type"], 4);
    assert_eq!(busy["data"]["content"], signpost::reply::BUSY);
    assert_eq!(busy["data"]["flags"], signpost::render::discord::EPHEMERAL);
    bot.peer.release();
    let answered = callback(&bot.peer, first).await;
    assert_ne!(answered["data"]["content"], signpost::reply::BUSY);
    bot.stop().await.unwrap();
}

/// Who may review suggestions: a member with neither a moderator role nor Manage Messages is
/// refused; a configured role lets them in anywhere, Manage Messages (reported with
/// interactions) only in the operator's own guilds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_commands_know_discord_moderators() {
    const ROLE: u64 = 1_230_000_000_000_000_007;
    const MANAGE_MESSAGES: u64 = 1 << 13;
    let bot = Bot::start_service(
        |peer| settings(peer, false),
        |service| {
            service.moderators = std::sync::Arc::new(signpost::config::Moderators {
                discord_roles: vec![ROLE],
                discord_guilds: vec![GUILD_ID],
                ..Default::default()
            })
        },
    )
    .await;
    let refused = |body: &Value| {
        body["data"]["embeds"][0]["title"]
            .as_str()
            .or(body["data"]["content"].as_str())
            .unwrap_or_default()
            .contains("only moderators")
    };
    let cases = [
        (1_500_000_000_000_000_901, json!([]), json!("0"), true),
        (
            1_500_000_000_000_000_902,
            json!([]),
            json!(MANAGE_MESSAGES.to_string()),
            false,
        ),
        (
            1_500_000_000_000_000_903,
            json!([ROLE.to_string()]),
            json!("0"),
            false,
        ),
    ];
    for (id, roles, permissions, expect_refusal) in cases {
        let mut interaction = command(id, "suggestions", json!([]));
        assert_eq!(interaction["guild_id"], json!(GUILD_ID.to_string()));
        interaction["member"]["roles"] = roles;
        interaction["member"]["permissions"] = permissions;
        bot.peer.dispatch("INTERACTION_CREATE", &interaction);
        let body = callback(&bot.peer, id).await;
        assert_eq!(refused(&body), expect_refusal, "interaction {id}: {body}");
    }
    // Manage Messages in a server of someone else's is not enough.
    let id = 1_500_000_000_000_000_904;
    let mut elsewhere = command(id, "suggestions", json!([]));
    elsewhere["guild_id"] = json!("1299999999999999999");
    elsewhere["member"]["permissions"] = json!(MANAGE_MESSAGES.to_string());
    bot.peer.dispatch("INTERACTION_CREATE", &elsewhere);
    assert!(refused(&callback(&bot.peer, id).await));
    bot.stop().await.unwrap();
}
