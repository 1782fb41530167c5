//! Commands: the table ([`table`]), the parser ([`parse`](mod@parse)) and the arguments it reads
//! by kind ([`args`]), and one module per command whose handler turns parsed arguments and the
//! index into a [`Reply`]. Handlers are pure (no IO, no platform), except the suggestion
//! commands ([`suggest`], [`review`]), which reach the store through the [`Context`] and answer
//! with a short apology when it cannot be reached.
//!
//! A new command is its module plus one row in [`COMMANDS`]: the row names the handler and says
//! how the arguments are read, so parsing, dispatch, help and slash registration follow.

pub mod args;
pub mod items;
pub mod parse;
pub mod search;
pub mod table;

mod about;
pub mod abuse_help;
mod guidance;
mod help;
pub mod lists;
mod resource;
pub mod review;
pub mod suggest;

pub use args::Args;
pub use parse::{parse, Command, ParseError};
pub use table::{ArgKind, ArgSpec, CommandSpec, Handler, COMMANDS};

use crate::index::Index;
use crate::reply::{code, Reply};

/// Where a message came from, as far as commands care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The local console or `signpost ask`.
    Console,
    /// Discord.
    Discord,
    /// Slack.
    Slack,
    /// Matrix.
    Matrix,
}

impl Origin {
    /// The platform id in `platforms.toml`, for platforms with reporting advice.
    pub fn platform_id(self) -> Option<&'static str> {
        match self {
            Origin::Console => None,
            Origin::Discord => Some("discord"),
            Origin::Slack => Some("slack"),
            Origin::Matrix => Some("matrix"),
        }
    }
}

/// What a handler knows besides the command.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The command prefix, for pointers like "`!help`".
    pub prefix: &'a str,
    /// Where the message came from.
    pub origin: Origin,
    /// The store, when one is configured (only the suggestion commands and `about` use it).
    pub store: Option<&'a dyn crate::store::Store>,
    /// Who sent the message; `None` for the console.
    pub sender: Option<&'a crate::bot::Sender>,
    /// Whether the sender may review suggestions ([`crate::Incoming::moderator`]).
    pub moderator: bool,
    /// Today in UTC, for "verified in the last 90 days": read once per message by the caller so
    /// handlers stay pure and tests can fix the day.
    pub today: crate::calendar::CivilDate,
}

impl<'a> Context<'a> {
    /// A context with no store, sender or moderator rights (tests, previews).
    pub fn new(prefix: &'a str, origin: Origin) -> Context<'a> {
        Context {
            prefix,
            origin,
            store: None,
            sender: None,
            moderator: false,
            today: crate::calendar::CivilDate::today(),
        }
    }

    /// A command as the user would type it, e.g. `!guidance nurse`.
    pub fn typed(&self, rest: &str) -> crate::reply::Inline {
        code(format!("{}{rest}", self.prefix))
    }
}

/// Runs a parsed command with the handler its table row names.
pub fn run(index: &Index, ctx: &Context<'_>, command: &Command) -> Reply {
    (command.spec.run)(index, ctx, &command.args)
}

/// The reply for input that looked like a command but could not be parsed.
pub fn parse_problem(ctx: &Context<'_>, error: &ParseError) -> Reply {
    let mut lines = Vec::new();
    match error {
        ParseError::UnknownCommand { suggestion, .. } => {
            if let Some(s) = suggestion {
                lines.push(crate::line!["Did you mean ", ctx.typed(s), "?"]);
            }
            lines.push(crate::line![
                "Type ",
                ctx.typed("help"),
                " to see every command."
            ]);
        }
        ParseError::MissingArgument { command, .. } | ParseError::TooLong { command, .. } => {
            if let Some(spec) = table::by_name(command) {
                lines.push(crate::line!["Usage: ", ctx.typed(&spec.usage())]);
                lines.push(crate::line!["For example: ", ctx.typed(spec.example)]);
            }
        }
    }
    let mut title = error.to_string();
    if let Some(first) = title.get(0..1) {
        title = first.to_uppercase() + &title[1..];
    }
    Reply::problem(title, lines)
}
