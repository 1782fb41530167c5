//! Signpost: a chat bot that answers UK health and care professionals with current, curated links
//! to social media guidance and online-abuse help, on Discord, Slack, Matrix and a local console.
//!
//! # Layout
//!
//! The core is platform-neutral and pure; platforms live at the edge.
//!
//! - [`index`]: the resource index. Raw TOML from `data/` ([`index::raw`]) is validated into an
//!   [`index::Index`] ([`index::load`]) with fuzzy name tables and a word index for search
//!   ([`index::lookup`]).
//! - [`command`]: the command table ([`command::table`], the one list that help text, parsing and
//!   slash-command registration come from), the parser ([`command::parse`]) and one module per
//!   command, each turning a parsed command and the index into a reply.
//! - [`reply`]: the platform-neutral reply (title, sections, items with links and status badges,
//!   notes, visibility).
//! - [`bot`]: [`Signpost::handle`] — `&Incoming` in, `Option<Reply>` out — and index reloading.
//! - [`render`]: pure functions from a reply to plain text, Discord markdown and embeds, Slack
//!   mrkdwn and Block Kit, and Matrix HTML; each escapes for its format and splits at item
//!   boundaries to respect its platform's limits.
//! - [`adapters`]: event loops that turn platform events into [`Incoming`] messages and send the
//!   rendered replies (the console here; platform adapters behind cargo features).
//! - [`config`]: settings from `config/default.toml`, local files and `SIGNPOST__…` variables.
//! - [`runtime`]: `signpost run`, starting the configured adapters side by side.
//!
//! `main.rs` holds only the command line and wiring.

pub mod adapters;
pub mod bot;
pub mod command;
pub mod config;
pub mod index;
pub mod render;
pub mod reply;
pub mod runtime;

pub use bot::{Incoming, Signpost};
pub use command::Origin;
pub use reply::Reply;
