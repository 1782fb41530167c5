//! Cooldowns in the core: a person over their limit is told to wait once in chat and every
//! time in an interaction, chat not for the bot costs nothing, and the console is never limited.

use signpost::reply::Tone;
use signpost::Origin;

/// A core holding each person to `burst` answers with no refill during the test.
fn limited_core(burst: u32) -> signpost::Signpost {
    use signpost::cooldown::{Limit, Limits};
    let person = Limit {
        burst: std::num::NonZeroU32::new(burst).expect("non-zero"),
        refill: std::time::Duration::from_secs(86_400),
    };
    signpost::Signpost::new(crate::support::index_owned(), "!").with_cooldowns(Limits {
        person: Some(person),
        channel: None,
    })
}

/// A message from `person` in channel `C`, as an adapter hands it over.
fn sent_by(person: &str, text: &str) -> signpost::Incoming {
    let mut m = signpost::Incoming::new(text, Origin::Slack);
    m.sender = Some(signpost::bot::Sender::new(person, "C"));
    m
}

/// Over the limit, a message gets one "please wait" and then nothing, while a slash command
/// (whose problems only the asker sees) is told to wait every time; chat that is not for the
/// bot never uses up anyone's answers.
#[test]
fn cooldowns_warn_once_but_always_answer_interactions() {
    let core = limited_core(2);
    for _ in 0..10 {
        assert!(core.handle(&sent_by("U1", "just chatting")).is_none());
    }
    for _ in 0..2 {
        let reply = core
            .handle(&sent_by("U1", "!guidance nurse"))
            .expect("answered");
        assert_eq!(reply.tone, Tone::Answer);
    }
    let warned = core
        .handle(&sent_by("U1", "!guidance nurse"))
        .expect("warned");
    assert_eq!(warned.tone, Tone::Problem);
    assert!(core.handle(&sent_by("U1", "!guidance nurse")).is_none());
    let mut slash = sent_by("U1", "guidance nurse");
    slash.addressed = true;
    slash.interaction = true;
    for _ in 0..3 {
        let reply = core.handle(&slash).expect("interactions are answered");
        assert_eq!(reply.title, warned.title);
    }
    assert_eq!(core.metrics().cooldown_refusals.get(), 5);
}

/// The console has no sender and is never limited.
#[test]
fn the_console_is_never_limited() {
    let core = limited_core(1);
    for _ in 0..5 {
        let mut m = signpost::Incoming::new("guidance nurse", Origin::Console);
        m.addressed = true;
        assert_eq!(core.handle(&m).expect("answered").tone, Tone::Answer);
    }
}
