//! `!suggest <url> [note]`: anyone may suggest a link for the index. The link and note are
//! checked ([`crate::suggestions`]), a link the index already has or someone already suggested is
//! answered with that entry instead of being stored twice, and the rest is stored with where it
//! came from for a moderator to review ([`super::review`]).
//!
//! Also the pieces the review commands share: who is asking, and the apology when the store
//! cannot be reached (the error is logged, never shown, and names no one).

use super::spec::{Args, Context};
use crate::errors::chain;
use crate::index::Index;
use crate::line;
use crate::records::{NewSuggestion, StoreError, Suggested, Suggestion};
use crate::reply::{code, truncate, Reply};
use crate::suggestions::{self, check_note, check_url, SuggestionError};

/// How much of a link replies show.
pub(super) const SHOWN_URL: usize = 100;

/// Answers `!suggest`.
pub fn run(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    let Some(store) = ctx.suggestions else {
        return unavailable();
    };
    let checked = check_url(args.url.as_deref().unwrap_or_default())
        .and_then(|url| Ok((url, check_note(args.note.as_deref())?)));
    let (url, note) = match checked {
        Ok(checked) => checked,
        Err(error) => return refused(ctx, &error),
    };
    let url_key = suggestions::url_key(&url);
    if let Some(resource) = suggestions::in_index(index, &url_key) {
        let mut reply = Reply::titled("That link is already in the index");
        reply.intro.push(line![
            format!("It is “{}”: ", resource.title),
            ctx.typed(&format!("resource {}", resource.id)),
            " shows it in full."
        ]);
        return reply;
    }
    let (platform, channel, suggester) = who(ctx);
    let new = NewSuggestion {
        url: url.to_string(),
        url_key,
        note,
        platform: platform.to_string(),
        channel,
        suggester,
        at: crate::records::now(),
    };
    match store.suggest(new) {
        Ok(Suggested::Stored(s)) => {
            let mut reply = Reply::titled(format!("Thank you! Suggestion {} is saved", s.id));
            reply.intro.push(line![
                code(truncate(&s.new.url, SHOWN_URL)),
                " is waiting for a moderator to review it."
            ]);
            reply
        }
        Ok(Suggested::Existing(s)) => already_suggested(&s),
        Err(error) => apology("store a suggestion", &error),
    }
}

fn already_suggested(s: &Suggestion) -> Reply {
    let mut reply = Reply::titled(format!("That link was already suggested, as {}", s.id));
    reply.intro.push(line![
        code(truncate(&s.new.url, SHOWN_URL)),
        format!(" is {}.", s.status.as_str()),
    ]);
    if let Some(d) = s.decision.as_ref().filter(|d| !d.reason.is_empty()) {
        reply.intro.push(line![format!("Reason: {}", d.reason)]);
    }
    reply
}

/// A suggestion refused for what it says, with the usage.
fn refused(ctx: &Context<'_>, error: &SuggestionError) -> Reply {
    Reply::problem(
        crate::text::sentence(&error.to_string()),
        vec![line![
            "For example: ",
            ctx.typed("suggest https://www.example.org/guide Clear guidance for nurses")
        ]],
    )
}

/// Where the message came from, as stored: platform, channel id, person id.
pub(super) fn who(ctx: &Context<'_>) -> (&'static str, String, String) {
    let platform = ctx.origin.platform_id().unwrap_or("console");
    match ctx.sender {
        Some(sender) => (platform, sender.channel.clone(), sender.person.clone()),
        None => (platform, String::new(), "console".to_string()),
    }
}

/// The reply when this instance has no store.
pub(super) fn unavailable() -> Reply {
    Reply::problem(
        "Suggestions are switched off here",
        vec![line![
            "Signpost is running without a store (storage.url = \"off\")."
        ]],
    )
}

/// The short apology when the store fails; the error is logged with the operation, and holds
/// nothing anyone wrote.
pub(super) fn apology(operation: &'static str, error: &StoreError) -> Reply {
    tracing::warn!(
        operation,
        error = %chain(error),
        "storage unavailable"
    );
    Reply::problem(
        "Sorry, I can't reach my store right now",
        vec![line![
            "Nothing was lost on your side: please try again in a few minutes."
        ]],
    )
}
