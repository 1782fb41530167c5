//! Welcomes on Matrix against a real Synapse: joins to a room in `matrix.welcome_rooms` get one
//! `m.notice` welcome mentioning only the newcomer; a storm of 200 joins stays within the
//! limits; a profile change is no join.

use std::sync::Arc;
use std::time::{Duration, Instant};

use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::room::message::MessageType;
use signpost::welcome::MAX_NAMED;
use signpost::Signpost;

use crate::support::matrix_client::{BotAccount, TestUser};
use crate::support::synapse::shared;

const WAIT: Duration = Duration::from_secs(60);
/// Joins in the storm.
const STORM: usize = 200;
/// The accounts making the storm, each joining and leaving in turn (registering 200 accounts on
/// Synapse would take minutes).
const JOINERS: usize = 5;

/// Waits until the bot has counted `n` newcomers welcomed, batched or skipped (its own join
/// is counted apart, as a bot).
pub(crate) async fn counted(core: &Signpost, n: u64) -> u64 {
    let deadline = Instant::now() + WAIT;
    loop {
        let seen: u64 = ["now", "batched", "skipped"]
            .iter()
            .map(|o| core.metrics().welcomes("matrix", o))
            .sum();
        if seen >= n {
            return seen;
        }
        assert!(Instant::now() < deadline, "counted {seen} of {n} joins");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A profile change, then 200 joins by five accounts (joining and leaving in turn), to a public
/// welcome room: the first join gets one m.notice welcome that mentions that newcomer alone;
/// the others wait for the batch (an hour away) or are skipped, never more than MAX_NAMED
/// waiting; the profile change is not counted as a join, the bot's own join is counted as a
/// bot's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_storm_gets_one_welcome_mentioning_only_the_newcomer() {
    let synapse = shared();
    let mut bot = BotAccount::new(synapse);
    let mut owner = TestUser::new(synapse, "owner").await;
    let mut request = CreateRoom::new();
    request.preset = Some(RoomPreset::PublicChat);
    request.invite = vec![bot.user_id.clone()];
    let room = owner
        .client
        .create_room(request)
        .await
        .expect("create room");
    bot.settings.welcome.places = vec![room.room_id().to_string()];
    bot.settings.welcome.interval = Duration::from_secs(3600);
    let mut core = None;
    let running = bot
        .start_with(|service| core = Some(Arc::clone(&service.core)))
        .await;
    let core = core.expect("the bot's core");
    owner.wait_for_member(&room, &bot.user_id).await;
    // Answered: the bot is live and knows the room, so what follows is news to it.
    owner.say(&room, "!about").await;
    owner
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("the bot answers");

    owner
        .client
        .account()
        .set_display_name(Some("Owner, renamed"))
        .await
        .expect("profile change");
    let mut joiners = Vec::new();
    for _ in 0..JOINERS {
        joiners.push(TestUser::new(synapse, "newcomer").await);
    }
    // Plain client-server API calls: the SDK's join and leave also wait on its own sync.
    let http = reqwest::Client::new();
    let storms = joiners.iter().map(|joiner| {
        let token = joiner.client.access_token().expect("logged in");
        let base = format!("{}/_matrix/client/v3/rooms/{}", synapse.url, room.room_id());
        let http = http.clone();
        async move {
            for turn in 0..STORM / JOINERS {
                let mut steps = vec!["join"];
                if turn + 1 < STORM / JOINERS {
                    steps.push("leave");
                }
                for step in steps {
                    let response = http
                        .post(format!("{base}/{step}"))
                        .bearer_auth(&token)
                        .json(&serde_json::json!({}))
                        .send()
                        .await
                        .expect(step);
                    assert!(
                        response.status().is_success(),
                        "{step}: {}",
                        response.status()
                    );
                }
            }
        }
    });
    futures_util::future::join_all(storms).await;
    assert_eq!(
        counted(&core, STORM as u64).await,
        STORM as u64,
        "the profile change is no join"
    );
    let metrics = core.metrics();
    assert_eq!(
        metrics.welcomes("matrix", "bot"),
        1,
        "its own join, not welcomed"
    );
    assert_eq!(metrics.welcomes("matrix", "now"), 1);
    assert!(metrics.welcomes("matrix", "batched") <= MAX_NAMED as u64);

    let (_, welcome) = owner
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("the welcome");
    let MessageType::Notice(notice) = &welcome.content.msgtype else {
        panic!("an m.notice");
    };
    assert!(notice.body.contains("!guidance"), "{}", notice.body);
    let mentions = welcome.content.mentions.as_ref().expect("m.mentions");
    assert_eq!(mentions.user_ids.len(), 1, "{mentions:?}");
    assert!(!mentions.room);
    let newcomer = mentions.user_ids.iter().next().unwrap();
    assert!(joiners.iter().any(|j| &j.id() == newcomer), "{newcomer}");
    assert!(
        notice.body.starts_with(newcomer.as_str()),
        "{}",
        notice.body
    );
    running.stop().await;
}
