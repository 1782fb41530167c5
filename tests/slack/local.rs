//! A workspace's own resources over Slack's HTTP routes: `/signpost local` by a moderator and by
//! a member, the entry in that workspace's slash and event answers and not another's, hostile
//! titles, and a restart.

use std::sync::Arc;

use signpost::config::{Moderators, StorageBackend, StorageSettings};
use signpost::index::load_dir;
use signpost::store::{self, Store};
use signpost::Signpost;

use crate::support::slack::{callback, mention, HttpAdapter, WebApiPeer};

const POLICY: &str = "https://trust.example.nhs.uk/social-media";

/// The adapter with `store` wired in and `UMOD` as its one moderator.
async fn start(peer: &WebApiPeer, store: &Arc<dyn Store>) -> HttpAdapter {
    let index = load_dir(&crate::support::data_dir())
        .expect("data/ is valid")
        .index;
    let core = Arc::new(store::wire(Signpost::new(index, "!"), store, false));
    HttpAdapter::start_with(peer, |service| {
        service.core = core;
        service.moderators = Arc::new(Moderators {
            slack_users: vec!["UMOD".to_string()],
            ..Default::default()
        });
    })
    .await
}

/// A member's `local add` is refused and keeps nothing; the moderator's entry shows in this
/// workspace's `/guidance` and in a mention's answer, as a link to its page and never as the
/// title's own markup, and not in another workspace; after a restart on the same store the
/// workspace still sees it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspaces_own_resources() {
    let file = crate::support::temp_dir(&format!("slocal-{}", store::new_id())).join("s.db");
    let open = || {
        store::open(&StorageSettings::new(StorageBackend::Sqlite(file.clone())))
            .unwrap()
            .unwrap()
    };
    let peer = WebApiPeer::start().await;
    let kept = open();
    let adapter = start(&peer, &kept).await;
    let url = peer.response_url("local");
    let add = format!("local add {POLICY} Trust policy <!channel> <https://evil.example|here> *b*");
    let (_, member) = adapter
        .slash_as("T0001", "UBOB", "/signpost", &add, &url)
        .await;
    assert!(member.to_string().contains("only moderators"), "{member}");
    assert!(kept.list("slack:T0001").unwrap().is_empty());
    let (_, added) = adapter
        .slash_as("T0001", "UMOD", "/signpost", &add, &url)
        .await;
    assert_eq!(kept.list("slack:T0001").unwrap().len(), 1, "{added}");

    let (_, here) = adapter
        .slash_as("T0001", "UBOB", "/guidance", "nurse", &url)
        .await;
    let shown = here["blocks"].to_string();
    assert!(shown.contains(&format!("<{POLICY}|")), "{shown}");
    assert!(
        !shown.contains("<!channel>") && !shown.contains("<https://evil.example"),
        "{shown}"
    );
    let (_, elsewhere) = adapter
        .slash_as("T0002", "UBOB", "/guidance", "nurse", &url)
        .await;
    assert!(
        !elsewhere["blocks"].to_string().contains(POLICY),
        "{elsewhere}"
    );

    let event = callback(
        "EvLOCAL1",
        mention("C0GENERAL", "tips", "1700000000.000200"),
    );
    assert_eq!(adapter.event(&event, &[]).await, 200);
    let posts = peer.wait_for("chat.postMessage", 1).await;
    assert!(
        posts[0].body.to_string().contains(POLICY),
        "{}",
        posts[0].body
    );
    drop(adapter);
    drop(kept);

    let reopened = open();
    let adapter = start(&peer, &reopened).await;
    let (_, after) = adapter
        .slash_as("T0001", "UBOB", "/guidance", "nurse", &url)
        .await;
    assert!(after["blocks"].to_string().contains(POLICY), "{after}");
}
