//! The names of the commands that other code points people to ("type `!help`") or prints as
//! pages: constants, so a rename is one edit and a typo is a compile error. The rows that use
//! them are in [`super::table`].

/// The name of the command that lists every command, which replies and adapters point to.
pub const HELP: &str = "help";

/// The names of the commands whose answers the site ([`crate::site`]) prints as pages, so each
/// page names the command that gives the same answer from the row itself.
pub const GUIDANCE: &str = "guidance";
/// See [`GUIDANCE`].
pub const ABUSE_HELP: &str = "abuse-help";
/// See [`GUIDANCE`].
pub const START: &str = "start";
/// See [`GUIDANCE`].
pub const TIPS: &str = "tips";
/// See [`GUIDANCE`].
pub const ARTICLES: &str = "articles";
/// See [`GUIDANCE`].
pub const ABOUT: &str = "about";
/// See [`GUIDANCE`].
pub const SEARCH: &str = "search";
/// See [`GUIDANCE`].
pub const RESOURCE: &str = "resource";
/// The store commands' names (see [`super::spec::CommandSpec::store`]).
pub const SUGGEST: &str = "suggest";
/// See [`SUGGEST`].
pub const SUGGESTIONS: &str = "suggestions";
/// See [`SUGGEST`].
pub const ACCEPT: &str = "accept";
/// See [`SUGGEST`].
pub const REJECT: &str = "reject";
