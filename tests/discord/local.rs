//! A server's own resources over the gateway: `/local` by a moderator and by a member, the
//! entry in that server's answers and not another's, hostile titles, and a restart.

use std::sync::Arc;

use serde_json::{json, Value};
use signpost::adapters::Service;
use signpost::config::{Moderators, StorageBackend, StorageSettings};
use signpost::intake::Limits;
use signpost::store::{self, Store};
use signpost::Signpost;

use super::{callback, command, links, settings, Bot};
use crate::support::data_dir;
use crate::support::discord_peer::GUILD_ID;
use signpost::index::load_dir;

const ROLE: u64 = 1_230_000_000_000_000_017;
const POLICY: &str = "https://trust.example.nhs.uk/social-media";

/// The bot with `store` wired in and `ROLE` as the moderator role.
async fn start(store: &Arc<dyn Store>) -> Bot {
    let fresh = Signpost::new(load_dir(&data_dir()).expect("data/ is valid").index, "!");
    let core = store::wire(fresh, store, false);
    Bot::start_service(
        |peer| settings(peer, false),
        |service| {
            *service = Service::new(Arc::new(core), Limits::default());
            service.moderators = Arc::new(Moderators {
                discord_roles: vec![ROLE],
                ..Default::default()
            });
        },
    )
    .await
}

/// `/name` with one string option, in `guild`, by a member holding `roles`.
fn slash(id: u64, name: &str, option: &str, value: &str, guild: u64, roles: &[u64]) -> Value {
    let mut interaction = command(
        id,
        name,
        json!([{ "name": option, "type": 3, "value": value }]),
    );
    interaction["guild_id"] = json!(guild.to_string());
    interaction["member"]["roles"] = json!(roles.iter().map(u64::to_string).collect::<Vec<_>>());
    interaction["member"]["permissions"] = json!("0");
    interaction
}

/// What the callback to interaction `id` says, title and content together.
async fn said(bot: &Bot, interaction: Value) -> Value {
    let id: u64 = interaction["id"].as_str().unwrap().parse().unwrap();
    bot.peer.dispatch("INTERACTION_CREATE", &interaction);
    callback(&bot.peer, id).await
}

/// A member without the role is refused and nothing is kept; a moderator's entry then shows in
/// this server's `/guidance`, never in another server's; a hostile title pings nobody and links
/// nowhere; and after a restart on the same store the server still sees its entry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_servers_own_resources() {
    let file = crate::support::temp_dir(&format!("dlocal-{}", store::new_id())).join("s.db");
    let open = || {
        store::open(&StorageSettings::new(StorageBackend::Sqlite(file.clone())))
            .unwrap()
            .unwrap()
    };
    let kept = open();
    let bot = start(&kept).await;
    let add = format!("add {POLICY} Trust policy @everyone [evil](https://evil.example) <@1>");
    let member = said(
        &bot,
        slash(
            1_600_000_000_000_000_001,
            "local",
            "request",
            &add,
            GUILD_ID,
            &[],
        ),
    )
    .await;
    assert!(member.to_string().contains("only moderators"), "{member}");
    assert!(kept
        .list(&format!("discord:{GUILD_ID}"))
        .unwrap()
        .is_empty());

    let moderator = said(
        &bot,
        slash(
            1_600_000_000_000_000_002,
            "local",
            "request",
            &add,
            GUILD_ID,
            &[ROLE],
        ),
    )
    .await;
    assert_eq!(
        kept.list(&format!("discord:{GUILD_ID}")).unwrap().len(),
        1,
        "{moderator}"
    );

    let here = said(
        &bot,
        slash(
            1_600_000_000_000_000_003,
            "guidance",
            "profession",
            "nurse",
            GUILD_ID,
            &[],
        ),
    )
    .await;
    let found = links(&here["data"]);
    assert!(found.iter().any(|l| l == POLICY), "{found:?}");
    assert!(
        !found.iter().any(|l| l.contains("evil.example")),
        "{found:?}"
    );
    assert_eq!(
        here["data"]["allowed_mentions"],
        json!({ "parse": [], "replied_user": false })
    );
    let elsewhere = said(
        &bot,
        slash(
            1_600_000_000_000_000_004,
            "guidance",
            "profession",
            "nurse",
            GUILD_ID + 1,
            &[],
        ),
    )
    .await;
    assert!(!links(&elsewhere["data"]).iter().any(|l| l == POLICY));
    bot.stop().await.unwrap();
    drop(kept);

    let reopened = open();
    let bot = start(&reopened).await;
    let after = said(
        &bot,
        slash(
            1_600_000_000_000_000_005,
            "guidance",
            "profession",
            "nurse",
            GUILD_ID,
            &[],
        ),
    )
    .await;
    assert!(links(&after["data"]).iter().any(|l| l == POLICY), "{after}");
    bot.stop().await.unwrap();
}
