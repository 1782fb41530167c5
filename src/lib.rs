//! Signpost: a chat bot that answers UK health and care professionals with current, curated links
//! to social media guidance and online-abuse help, on Discord, Slack, Matrix and a local console.
//!
//! # Layout
//!
//! The library is in layers, lowest first. A module imports only from its own layer and those
//! below it, and no modules import each other, directly or through others: the test
//! `layers_hold_and_imports_have_no_cycles` reads this list (each numbered entry is a layer; the
//! top-level modules it links are in it) and every `crate::` path in `src/`. The core (layers
//! 2 to 8) is platform-neutral; platforms live at the edge.
//!
//! 1. Foundations: [`errors`] (an error and its causes on one line, for logs), [`calendar`]
//!    (whole UTC days, for `last_verified` and "checked in the last 90 days"), [`blocking`]
//!    (blocking work from async code without stalling the runtime), [`metrics`] (the
//!    Prometheus metrics, served at `/metrics`), [`secret`] (a setting never printed) and
//!    [`intake`] (how much work the adapters take on at once, and shedding beyond it).
//! 2. Messages and replies: [`message`] (what adapters hand the core: [`Incoming`], its
//!    sender and [`Origin`]), [`reply`] (the platform-neutral [`Reply`]: title, sections, items
//!    with links and status badges, notes, visibility, and a [`reply::Menu`] to pick from) and
//!    [`action`] (what a menu pick or a button means, as the component id adapters send and
//!    verify on return).
//! 3. Text hygiene: [`unicode`] (the control and format characters that never reach a reply)
//!    and [`text`] (folding a message once at the boundary, bounding echoed input).
//! 4. Index: [`index`], the resource index. Raw TOML from `data/` ([`index::raw`], read by
//!    [`index::load`]) is validated into an [`index::Index`] ([`index::validate`], one validator
//!    per data file) with fuzzy name tables ([`index::names`]), a word index for search
//!    ([`index::search`]) and the names as phrases for finding them inside questions
//!    ([`index::phrases`]).
//! 5. Storage records: [`records`] (what storage holds and says: suggestions and decisions,
//!    each community's own resources, question tallies, shared cooldown buckets, the store's
//!    settings and errors) and [`suggestions`] (checking what `!suggest` and `!local add` are
//!    given, and the exports). Each layer above that needs storage defines the trait for its
//!    part (the suggestion commands' [`command::suggestion_box`], `!local`'s
//!    [`command::local::shelf`], the core's [`misses::QuestionCounts`], shared
//!    cooldowns' [`cooldown::shared::Buckets`], the adapters' [`adapters::seen::Claims`]); the
//!    store implements them and the runtime wires them in.
//! 6. Commands: [`command`]. The table ([`command::table`]) is the one list that help text,
//!    parsing ([`command::parse`](mod@command::parse), [`command::args`]), dispatch and slash
//!    registration come from; its rows share the types in [`command::spec`]; each command is a
//!    module whose handler turns the parsed arguments and the index into a reply.
//! 7. Understanding: [`understand`], plain-words questions read without a language model: words
//!    folded ([`understand::tokenize`]), professions, platforms, nations and topic words found
//!    anywhere ([`understand::find`], [`understand::lexicon`]), and the intent picked by fixed
//!    rules ([`understand::intent`]), danger first. The result is a parsed command, so the
//!    answer is that command's own; nothing recognisable gets a friendly [`understand::menu`].
//! 8. The bot: [`bot`] ([`Signpost::handle`], `&Incoming` in, `Option<Reply>` out; menu picks
//!    ([`Signpost::pick`]); index reloading), [`cooldown`] (how often one person and one channel
//!    may ask; shared through the store by replicas), [`misses`] (what people could not find,
//!    scrubbed and counted for `signpost report`) and [`welcome`] (the welcome newcomers get,
//!    and the per-place limit that turns a join storm into one welcome per interval).
//! 9. Render and site: [`render`] (pure functions from a reply to plain text, Discord markdown
//!    and components, Slack mrkdwn and Block Kit, and Matrix HTML, each escaping for its format
//!    and splitting at item boundaries) and [`site`] (the index as a static web site, each page
//!    the reply of the command that gives the same answer, printed as HTML with maud).
//! 10. Settings: [`config`], settings from `config/default.toml`, local files and
//!     `SIGNPOST__…` variables, one module per section ([`config::discord`], [`config::appservice`],
//!     [`config::welcome`], [`config::storage`]); secrets are never printed.
//! 11. Adapters: [`adapters`] (event loops that turn platform events into [`Incoming`] messages
//!     and send rendered replies by each platform's conventions: the console, and behind cargo
//!     features `discord`, `slack` and `matrix`) and [`http`] (the listener every service mode
//!     shares: `/healthz`, `/readyz`, `/metrics`, the site, and the routes adapters mount).
//! 12. Runtime: [`runtime`] (`signpost run`: the configured adapters side by side, the console
//!     when none is configured), [`store`] (the backends, SQLite by default and PostgreSQL when
//!     configured, behind one trait that is every part above, and [`store::wire`], which hands
//!     each user its part), [`supervisor`] (restarts a failed adapter with jittered back-off),
//!     [`reload`] (the index on SIGHUP and when its folder changes) and [`links`](mod@links)
//!     (cargo feature `links`: `signpost links`, checking every link in the index).
//!
//! `main.rs` holds only the command line and wiring.

pub mod action;
pub mod adapters;
pub mod blocking;
pub mod bot;
pub mod calendar;
pub mod command;
pub mod config;
pub mod cooldown;
pub mod errors;
pub mod http;
pub mod index;
pub mod intake;
#[cfg(feature = "links")]
pub mod links;
pub mod message;
pub mod metrics;
pub mod misses;
pub mod records;
pub mod reload;
pub mod render;
pub mod reply;
pub mod runtime;
pub mod secret;
pub mod site;
pub mod store;
pub mod suggestions;
pub mod supervisor;
pub mod text;
pub mod understand;
pub mod unicode;
pub mod welcome;

pub use bot::Signpost;
pub use message::{Incoming, Origin};
pub use reply::Reply;
