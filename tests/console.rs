//! The console adapter answers each line and stops at end of input.

use std::future::Future;
use std::time::Duration;

use crate::support::core;

/// How long a console test may run before it counts as hung. A guard so a regression fails the
/// suite instead of stalling it, not a performance bound: the tests finish in milliseconds.
const HANG_GUARD: Duration = Duration::from_secs(30);

/// Runs `test`, failing with a clear message if it has not finished within [`HANG_GUARD`].
async fn within_hang_guard<T>(what: &str, test: impl Future<Output = T>) -> T {
    tokio::time::timeout(HANG_GUARD, test)
        .await
        .unwrap_or_else(|_| panic!("{what}: the console did not stop within {HANG_GUARD:?}"))
}

/// Two lines in, two answers out; chat-free console lines without the prefix still work.
#[tokio::test]
async fn console_answers_lines() {
    let input = tokio::io::BufReader::new(&b"!guidance nurse\nabout\n"[..]);
    let mut output = Vec::new();
    within_hang_guard(
        "answering two lines",
        signpost::adapters::console::run(core(), input, &mut output, std::future::pending()),
    )
    .await
    .unwrap();
    let text = String::from_utf8(output).unwrap();
    assert!(text.contains("Social media guidance: Nurse"), "{text}");
    assert!(text.contains("About Signpost"), "{text}");
    assert!(text.contains("nmc.org.uk"));
}

/// The console stops when the shutdown future resolves, even with input still open.
#[tokio::test]
async fn console_stops_on_shutdown() {
    let (_keep_open, reader) = tokio::io::duplex(64);
    let mut output = Vec::new();
    within_hang_guard(
        "stopping on shutdown",
        signpost::adapters::console::run(
            core(),
            tokio::io::BufReader::new(reader),
            &mut output,
            async {},
        ),
    )
    .await
    .unwrap();
    assert!(String::from_utf8(output)
        .unwrap()
        .starts_with("Signpost console"));
}
