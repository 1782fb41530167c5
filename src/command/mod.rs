//! Commands: the table ([`table`]), the parser ([`parse`](mod@parse)) and the arguments it reads
//! by kind ([`args`]), and one module per command whose handler turns parsed arguments and the
//! index into a [`Reply`]. Handlers are pure (no IO, no platform), except the suggestion
//! commands ([`suggest`], [`review`]), which reach the store through the [`Context`] and answer
//! with a short apology when it cannot be reached.
//!
//! A new command is its module plus one row in [`COMMANDS`]: the row names the handler and says
//! how the arguments are read, so parsing, dispatch, help and slash registration follow.

pub mod args;
pub mod error;
pub mod items;
pub mod names;
pub mod parse;
pub mod search;
pub mod spec;
pub mod table;

pub mod about;
pub mod abuse_help;
pub mod guidance;
mod help;
pub mod lists;
pub mod local;
pub mod more;
mod resource;
pub mod review;
pub mod suggest;
pub mod suggestion_box;

/// Where a message came from; defined with the other message types.
pub use crate::message::Origin;
pub use parse::{parse, parse_problem, run, Command, ParseError};
pub use spec::{ArgKind, ArgSpec, Args, CommandSpec, Context, Handler};
pub use table::COMMANDS;
