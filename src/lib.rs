//! Signpost: a chat bot that answers UK health and care professionals with current, curated links
//! to social media guidance and online-abuse help, on Discord, Slack, Matrix and a local console.
//!
//! # Layout
//!
//! The core is platform-neutral and pure; platforms live at the edge.
//!
//! - [`index`]: the resource index. Raw TOML from `data/` ([`index::raw`], read by
//!   [`index::load`]) is validated into an [`index::Index`] ([`index::validate`], one validator
//!   per data file) with fuzzy name tables ([`index::names`]), a word index for search
//!   ([`index::search`]) and the names as phrases for finding them inside questions
//!   ([`index::phrases`]).
//! - [`command`]: the command table ([`command::table`]: each command's names, arguments and
//!   handler, the one list that help text, parsing, dispatch and slash-command registration come
//!   from, and the moderators' message actions registered beside them), the parser ([`command::parse`](mod@command::parse)) with the argument reader the
//!   table drives ([`command::args`]), and one module per command whose handler turns the parsed
//!   arguments and the index into a reply.
//! - [`understand`]: plain-words questions. A message addressed to the bot that is no command
//!   is read without a language model: words folded ([`understand::tokenize`], with
//!   [`index::words`]), professions, platforms, nations and topic words found anywhere in it
//!   ([`understand::find`], using the index's [`index::phrases`] and the
//!   [`understand::lexicon`]), and the intent picked by fixed rules ([`understand::intent`]),
//!   danger first. The result is a parsed [`command::Command`] plus other readings, so the
//!   answer is that command's own; nothing recognisable gets a friendly
//!   [`understand::menu`].
//! - [`store`]: storage behind one small trait ([`store::Store`]): SQLite by default
//!   ([`store::sqlite`]), PostgreSQL when configured ([`store::postgres`]), numbered
//!   [`store::migrations`], the threads that hold the connections so the async runtime is
//!   never blocked ([`store::pool`]), and what replicas sharing a store agree on through it
//!   (events already answered, cooldown buckets: [`store::shared`]).
//! - [`suggestions`]: checking what `!suggest` is given (http(s) links without credentials,
//!   bounded notes without hidden characters), the URL key that finds duplicates, and
//!   `signpost suggestions export` ([`suggestions::export`]). The commands are
//!   [`command::suggest`] and the moderators' [`command::review`].
//! - [`misses`]: what people could not find: questions without a confident answer, scrubbed of
//!   anything identifying, counted in the store for `signpost report`.
//! - [`reply`]: the platform-neutral reply (title, sections, items with links and status badges,
//!   notes, visibility, and a [`reply::Menu`] to pick from instead of typing).
//! - [`choices`]: what a menu pick or a button on an answer means: the component ids adapters
//!   send and verify on return ([`choices::Action`]), the buttons an answer offers, and
//!   [`Signpost::pick`], which answers a pick (the next menu, or the command's own answer).
//! - [`bot`]: [`Signpost::handle`] — `&Incoming` in, `Option<Reply>` out — and index reloading;
//!   addressed messages that are not commands (or whose command fails) go to [`understand`];
//!   handlers see the store, the sender and whether they moderate through the command context.
//! - [`blocking`]: running blocking work from async code without stalling the runtime's other
//!   tasks (`block_in_place` on a multi-threaded runtime).
//! - [`errors`]: an error and its causes on one line, for logs.
//! - [`cooldown`]: how often one person and one channel may ask (keyed GCRA buckets from
//!   `governor`); the core applies it to every platform, so a flood gets one "please wait".
//!   With a store replicas share, the buckets live there ([`cooldown::shared`]).
//! - [`render`]: pure functions from a reply to plain text, Discord markdown and embeds, Slack
//!   mrkdwn and Block Kit, and Matrix HTML; each escapes for its format and splits at item
//!   boundaries to respect its platform's limits. A reply's menu is a numbered list in text
//!   formats, and components on Discord ([`render::discord_components`]: string selects and
//!   buttons) and Slack ([`render::slack_components`]: static selects and buttons).
//!   [`render::cache`] keeps an adapter's last few renderings, since most answers repeat.
//! - [`adapters`]: event loops that turn platform events into [`Incoming`] messages and send the
//!   rendered replies following each platform's conventions: the console, and behind cargo
//!   features (all on by default) `discord` (serenity; also the HTTP interactions endpoint
//!   `discord-http`, signed with Ed25519; menu picks and answer buttons arrive as component
//!   interactions, [`adapters::discord::components`]), `slack` (axum, Socket Mode; picks and
//!   buttons as `block_actions`, [`adapters::slack::interactive`]) and `matrix` (matrix-sdk in
//!   client mode, menus answered by number; in appservice mode, transactions the homeserver
//!   pushes to the listener, on ruma's appservice types, answered as the sender user:
//!   `adapters::matrix::appservice`; reading messages is shared by both modes). Each `run`
//!   takes its settings, the core and a shutdown token, so tests start it against a local peer
//!   or homeserver.
//! - [`config`]: settings from `config/default.toml`, local files and `SIGNPOST__…` variables
//!   ([`config::platforms`] for the platform sections, [`config::appservice`] for Matrix's
//!   appservice mode, [`config::welcome`] for where newcomers are welcomed; secrets are never
//!   printed).
//! - [`supervisor`]: restarts a failed adapter with jittered back-off while the others run.
//! - [`unicode`]: the control and format characters that never reach a reply (the parser and
//!   every renderer drop them).
//! - [`welcome`]: the welcome newcomers get where one is configured (a reply from the core) and
//!   the per-place limit that turns a join storm into one welcome and one batch per interval.
//! - [`site`]: the index as a static web site, in memory as a map from path to file: each page
//!   is the reply of the command that gives the same answer ([`site::pages`]) printed as HTML
//!   with maud ([`site::html`], escaping every index text) inside one accessible shell
//!   ([`site::layout`]), with a style sheet and an optional search script ([`site::assets`],
//!   [`site::search`]). `signpost site OUT_DIR` writes it; the listener serves it
//!   ([`site::serve`], [`site::cache`]: rebuilt when the index is replaced).
//! - [`http`]: the HTTP listener every service mode shares (`/healthz`, `/readyz`, `/metrics`,
//!   the site at `/`, and the routes adapters mount on it: Slack's when Slack runs over HTTP,
//!   Discord's `/discord/interactions` when `discord.public_key` is set, Matrix's
//!   `/_matrix/app/v1/transactions/{txnId}` in appservice mode).
//! - [`links`](mod@links) (cargo feature `links`, on by default): `signpost links`, checking every
//!   link in the index under per-host and global limits ([`links::schedule`]), one URL at a time
//!   by HEAD with a GET fallback and redirects followed by hand ([`links::check`]), grouped into
//!   ok / moved / dead / unreachable / unverified as text or JSON ([`links::report`]), with
//!   `last_verified` written back into `resources.toml` line by line ([`links::data`]).
//! - [`calendar`]: whole UTC days (`YYYY-MM-DD`, today, days between), for `last_verified` and
//!   `!about`'s "checked in the last 90 days".
//! - [`metrics`]: the Prometheus metrics the core and runtime keep, served at `/metrics`.
//! - [`reload`]: reloading the index on SIGHUP and when its folder changes.
//! - [`runtime`]: `signpost run`, starting the configured adapters side by side (those named in
//!   `bot.roles` or `--only`, when given; the console when none is configured), reloading the index on SIGHUP, and capping noisy SDK logs.
//!
//! `main.rs` holds only the command line and wiring.

pub mod adapters;
pub mod blocking;
pub mod bot;
pub mod calendar;
pub mod choices;
pub mod command;
pub mod config;
pub mod cooldown;
pub mod errors;
pub mod http;
pub mod index;
#[cfg(feature = "links")]
pub mod links;
pub mod metrics;
pub mod misses;
pub mod reload;
pub mod render;
pub mod reply;
pub mod runtime;
pub mod site;
pub mod store;
pub mod suggestions;
pub mod supervisor;
pub mod understand;
pub mod unicode;
pub mod welcome;

pub use bot::{Incoming, Signpost};
pub use command::Origin;
pub use reply::Reply;
