//! Menus on Matrix, which has no components: a numbered list, answered with just the number
//! by the same person in the same room (against the real Synapse).

use crate::matrix::{group_room, html, replied_to, WAIT};
use crate::support::matrix_client::{BotAccount, TestUser};
use crate::support::synapse::shared;

/// `!guidance` alone lists the professions numbered; the asker's number picks one (social
/// worker, whose regulators differ by nation, so the nations come next, numbered), and a
/// number from someone else in the room is ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbered_menu_is_answered_by_number() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let running = bot.start().await;
    let mut alice = TestUser::new(synapse, "menu").await;
    let bob = TestUser::new(synapse, "menubob").await;
    let room = group_room(&alice, &bot, &bob).await;
    alice.say(&room, "!guidance").await;
    let (_, menu) = alice.next_from(&bot.user_id, WAIT).await.expect("the menu");
    let (body, _) = html(&menu);
    let index = crate::support::index();
    let position = index
        .professions
        .iter()
        .position(|p| p.id == "social-worker")
        .expect("social workers are covered");
    let number = position + 1;
    assert!(body.contains(&format!("{number}. Social worker")), "{body}");
    assert!(body.contains("Answer with just the number"), "{body}");

    // Bob's number does not pick from Alice's menu; Alice's does. (Until the bot has synced
    // Bob's join it may take the room for a two-person chat and answer him as a question.)
    let bobs_room = bob
        .client
        .get_room(room.room_id())
        .expect("Bob is in the room");
    let bobs = bob.say(&bobs_room, &number.to_string()).await;
    let picked = alice.say(&room, &number.to_string()).await;
    let nations = loop {
        let (_, reply) = alice.next_from(&bot.user_id, WAIT).await.expect("nations");
        if replied_to(&reply) == Some(picked.clone()) {
            break reply;
        }
        assert_eq!(
            replied_to(&reply),
            Some(bobs.clone()),
            "answers only the two"
        );
        let (body, _) = html(&reply);
        assert!(
            !body.contains("Which UK nation"),
            "Bob picked nothing: {body}"
        );
    };
    let (body, _) = html(&nations);
    assert!(body.contains("Which UK nation"), "{body}");
    assert!(body.contains("2. Scotland"), "{body}");

    let chosen = alice.say(&room, "2").await;
    let (_, answer) = alice.next_from(&bot.user_id, WAIT).await.expect("guidance");
    assert_eq!(replied_to(&answer), Some(chosen));
    let (_, formatted) = html(&answer);
    // The short answer: the SSSC's guidance, and the rest one command away.
    assert!(formatted.contains("myssscportal"), "{formatted}");
    assert!(
        formatted.contains("guidance social-worker scotland all"),
        "{formatted}"
    );
    assert!(
        !formatted.contains("socialworkengland.org.uk"),
        "{formatted}"
    );
    running.stop().await;
}
