//! The Matrix bot as its own process with its store on disk: a second process on a store
//! already in use refused (the crypto patch's first invariant, vendor/README.md).

use crate::matrix::{replied_to, WAIT};
use crate::support::matrix_client::{BotAccount, TestUser};
use crate::support::matrix_process::BotProcess;
use crate::support::synapse::shared;

/// While one bot process runs on a store, a second started on the same store is refused with
/// an error naming the store and saying another Signpost process uses it, and the first keeps
/// answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_on_the_same_store_is_refused() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let first = BotProcess::start(&bot);
    first.wait_until_live().await;
    let mut second = BotProcess::start(&bot);
    let refused = second.wait_for_line("another Signpost process is using the store");
    let store = bot.settings.store_dir.display().to_string();
    assert!(refused.contains(&store), "names {store}: {refused}");
    assert!(refused.contains("adapter down"), "{refused}");
    second.kill();

    let mut alice = TestUser::new(synapse, "locked").await;
    let room = alice.create_room(&[&bot.user_id], false).await;
    alice.wait_for_member(&room, &bot.user_id).await;
    let command = alice.say(&room, "!help").await;
    let (_, reply) = alice
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("the first process still answers");
    assert_eq!(replied_to(&reply), Some(command));
}
