//! The console adapter answers each line and stops at end of input.

use crate::support::core;

/// Two lines in, two answers out; chat-free console lines without the prefix still work.
#[tokio::test]
async fn console_answers_lines() {
    let input = tokio::io::BufReader::new(&b"!guidance nurse\nabout\n"[..]);
    let mut output = Vec::new();
    signpost::adapters::console::run(core(), input, &mut output, std::future::pending())
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
    signpost::adapters::console::run(
        core(),
        tokio::io::BufReader::new(reader),
        &mut output,
        async {},
    )
    .await
    .unwrap();
    assert!(String::from_utf8(output)
        .unwrap()
        .starts_with("Signpost console"));
}
