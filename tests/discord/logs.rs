//! What the adapter logs: command names and outcomes, never what people wrote or any token.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;

use super::{callback, command, is_channel_post, message, Bot, TOKEN, WAIT};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// With the production log setup at `debug` (serenity capped as `signpost run` caps it), a
/// prefix command, a mention and a slash command leave their command names and outcomes in the
/// log, and none of the words people wrote, the bot token or the interaction token.
#[test]
fn logs_never_carry_text_or_tokens() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            signpost::runtime::log_filter("debug"),
        ))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // A current-thread runtime keeps every task on this thread, under this subscriber.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let bot = Bot::start(true).await;
            // Other tests, on other threads with no subscriber, may have met these callsites
            // first and cached "never" for them; recompute now that this subscriber exists.
            tracing::callsite::rebuild_interest_cache();
            bot.peer.dispatch(
                "MESSAGE_CREATE",
                &message(1_300_000_000_000_000_401, "!search zebrafinch marmalade"),
            );
            bot.peer.dispatch(
                "MESSAGE_CREATE",
                &message(
                    1_300_000_000_000_000_402,
                    &format!(
                        "<@{}> guidance quokka",
                        crate::support::discord_peer::BOT_ID
                    ),
                ),
            );
            bot.peer.wait_requests(2, WAIT, is_channel_post).await;
            let id = 1_500_000_000_000_000_401;
            bot.peer.dispatch(
                "INTERACTION_CREATE",
                &command(
                    id,
                    "search",
                    json!([{ "name": "query", "type": 3, "value": "pangolin" }]),
                ),
            );
            callback(&bot.peer, id).await;
            bot.stop().await.unwrap();
        })
    });
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("command=\"search\""), "{log}");
    assert!(log.contains("outcome="), "{log}");
    for secret in [
        "zebrafinch",
        "marmalade",
        "quokka",
        "pangolin",
        TOKEN,
        "interaction-token-",
    ] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}
