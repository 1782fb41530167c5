//! The types a row of the command table and its handler share: how arguments are declared
//! ([`ArgSpec`], [`ArgKind`]) and read into [`Args`], the row itself ([`CommandSpec`]), the
//! handler's signature ([`Handler`]) and what it knows besides the command ([`Context`]). They
//! refer to one another (a row names its handler, the arguments can name a row), so they live
//! together; the rows are in [`super::table`].

use super::error::MAX_ARGUMENT;
use super::local::shelf::LocalShelf;
use super::suggestion_box::SuggestionBox;
use crate::calendar::CivilDate;
use crate::index::{Index, Nation};
use crate::message::{Origin, Sender};
use crate::reply::{code, Inline, Reply};
use crate::text::MAX_INPUT;

/// The most characters in a row's summary or an argument's help: Discord's limit on command and
/// option descriptions, the strictest of the platforms'.
pub const SUMMARY_LIMIT: usize = 100;

/// What an argument holds and how it is read from typed words; adapters use it to pick option
/// types and autocomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArgKind {
    /// A profession name, alias or typo (autocompleted); takes the remaining words.
    Profession,
    /// A UK nation, split off the end of the words (`in wales`, `NI`).
    Nation,
    /// A platform name; takes the remaining words.
    Platform,
    /// Free words; takes the remaining words.
    Words,
    /// A resource id (autocompleted); one word.
    ResourceId,
    /// A command name; one word.
    CommandName,
    /// A yes/no switch, typed anywhere as its name (`private`) or one of its synonyms.
    Flag,
    /// A web address, kept as typed; one word.
    Url,
    /// Free text kept as typed (a suggestion's note, a moderator's reason), bounded by its
    /// handler rather than the parser; takes the remaining words.
    Note,
    /// A suggestion's short id, lowercased; one word.
    SuggestionId,
}

impl ArgKind {
    /// Whether an argument of this kind takes every remaining word rather than one, so nothing
    /// read in table order can follow it.
    pub fn takes_rest(self) -> bool {
        matches!(
            self,
            ArgKind::Profession | ArgKind::Platform | ArgKind::Words | ArgKind::Note
        )
    }

    /// Whether an argument of this kind is read from the remaining words in table order; flags
    /// and nations are recognised by what they say.
    pub fn is_positional(self) -> bool {
        !matches!(self, ArgKind::Flag | ArgKind::Nation)
    }
}

/// One argument of a command.
#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
    /// Name (also the slash-command option name).
    pub name: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// Whether the command needs it.
    pub required: bool,
    /// What it holds.
    pub kind: ArgKind,
    /// Other words that set a flag (`dm` for `private`); empty for other kinds.
    pub synonyms: &'static [&'static str],
    /// For a required argument, what the person is told is missing: "`search` needs {missing}".
    pub missing: &'static str,
}

/// A command's handler: the index and the parsed arguments in, a reply out. Pure, except that
/// the suggestion commands reach the store through the [`Context`].
pub type Handler = fn(&Index, &Context<'_>, &Args) -> Reply;

/// One command.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Name typed after the prefix, and the slash-command name.
    pub name: &'static str,
    /// Other names that work after the prefix.
    pub aliases: &'static [&'static str],
    /// One line for `!help` and slash-command descriptions (at most 100 characters for Discord).
    pub summary: &'static str,
    /// Arguments, in order.
    pub args: &'static [ArgSpec],
    /// An example invocation without the prefix.
    pub example: &'static str,
    /// Answers the command.
    pub run: Handler,
    /// Words and phrases in a plain-words question that ask for this command's answer, as
    /// people type them ([`crate::understand`] folds them); empty for commands only typed.
    pub topics: &'static [&'static str],
    /// The site page that prints this command's answer, if any: the site builds, links and
    /// navigates to it from here.
    pub page: Option<SitePage>,
    /// Whether it reads or writes the store: such a command is never read as a question, and
    /// neither it nor its words are counted for the report.
    pub store: bool,
    /// Whether only moderators may run it: adapters for which finding out costs a lookup
    /// (Matrix power levels) do it only for these.
    pub moderators: bool,
}

/// Where a command's answer lives on the index's web site ([`crate::site`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitePage {
    /// Path from the site's root, with an anchor when the answer is part of a larger page.
    pub path: &'static str,
    /// The page's name in the site's navigation; `None` for a part of another page.
    pub nav: Option<&'static str>,
    /// Whether the site prints the command's reply (without arguments) as this page by itself;
    /// false where the site builds the page with more than the reply (the home page's sections,
    /// abuse help with every platform, about with the commands).
    pub printed: bool,
}

/// Rows are the same command when their names are: names are unique (see the table test), and
/// comparing handlers' addresses would not be reliable.
impl PartialEq for CommandSpec {
    fn eq(&self, other: &CommandSpec) -> bool {
        self.name == other.name
    }
}

impl Eq for CommandSpec {}

impl CommandSpec {
    /// Usage line without the prefix, e.g. `guidance [profession] [nation]`.
    pub fn usage(&self) -> String {
        let mut usage = self.name.to_string();
        for arg in self.args {
            if arg.required {
                usage.push_str(&format!(" <{}>", arg.name));
            } else {
                usage.push_str(&format!(" [{}]", arg.name));
            }
        }
        usage
    }

    /// The most characters of arguments the parser accepts: commands that take a note bound
    /// their own parts (with clearer refusals), so only the input limit applies to them.
    pub fn max_argument(&self) -> usize {
        if self.args.iter().any(|a| a.kind == ArgKind::Note) {
            MAX_INPUT
        } else {
            MAX_ARGUMENT
        }
    }

    /// Whether the command reads or writes the store (so it is never read as a question, and
    /// neither it nor its words are counted for the report).
    pub fn uses_store(&self) -> bool {
        self.store
    }

    /// Whether the command can answer privately.
    pub fn offers_private(&self) -> bool {
        self.args
            .iter()
            .any(|a| a.kind == ArgKind::Flag && a.name == "private")
    }
}

/// The arguments of a parsed command, one field per [`ArgKind`]; `None` when not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    /// [`ArgKind::Profession`]: the profession as typed (resolved later against the index).
    pub profession: Option<String>,
    /// [`ArgKind::Nation`]: only this nation's material (plus UK-wide).
    pub nation: Option<Nation>,
    /// [`ArgKind::Platform`]: the platform as typed.
    pub platform: Option<String>,
    /// [`ArgKind::Words`]: the words, joined by single spaces.
    pub words: Option<String>,
    /// [`ArgKind::ResourceId`]: the id, lowercased.
    pub resource_id: Option<String>,
    /// [`ArgKind::CommandName`]: the command named, when it is one (an unknown name is ignored).
    pub command: Option<&'static CommandSpec>,
    /// [`ArgKind::Url`]: the address as typed.
    pub url: Option<String>,
    /// [`ArgKind::Note`]: the words as typed, joined by single spaces.
    pub note: Option<String>,
    /// [`ArgKind::SuggestionId`]: the id, lowercased.
    pub suggestion_id: Option<String>,
    /// [`ArgKind::Flag`]: the names of the flags given, in table order.
    pub flags: Vec<&'static str>,
}

impl Args {
    /// Whether the flag named `name` (its table name, not a synonym) was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }
}

/// What a handler knows besides the command.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The command prefix, for pointers like "`!help`".
    pub prefix: &'a str,
    /// Where the message came from.
    pub origin: Origin,
    /// Where suggestions are kept, when storage is configured: only the suggestion commands and
    /// `about` use it, and each call may wait for the store.
    pub suggestions: Option<&'a dyn SuggestionBox>,
    /// Who sent the message; `None` for the console.
    pub sender: Option<&'a Sender>,
    /// Whether the sender may review suggestions ([`crate::Incoming::moderator`]).
    pub moderator: bool,
    /// Every command, for `help`: filled in by the caller ([`Context::new`] takes the table's),
    /// since the table names `help`'s handler and a handler cannot name the table back.
    pub commands: &'static [CommandSpec],
    /// Today in UTC, for "verified in the last 90 days": read once per message by the caller so
    /// handlers stay pure and tests can fix the day.
    pub today: CivilDate,
    /// The site's public address (`http.site_url`), when the operator set one: short answers
    /// link to the page holding the rest.
    pub site: Option<&'a url::Url>,
    /// The community the message came from ([`crate::Incoming::community`]): its own
    /// resources show in its answers ([`super::local`]). `None` for the site.
    pub community: Option<&'a str>,
    /// Each community's own resources, when storage is configured.
    pub local: Option<&'a dyn LocalShelf>,
}

impl<'a> Context<'a> {
    /// A command as the user would type it, e.g. `!guidance nurse`.
    pub fn typed(&self, rest: &str) -> Inline {
        code(format!("{}{rest}", self.prefix))
    }
}

/// A moderator's action on someone else's message, where the platform has a native place for
/// one: a message context-menu command on Discord ("Apps" on a message), a message shortcut on
/// Slack. The answer is the row's command, posted under the message, naming and pinging no one.
/// Matrix has neither: there a moderator sends the command as a reply to the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageAction {
    /// What the menu shows; also Discord's command name (at most 32 characters).
    pub label: &'static str,
    /// Slack's callback id, as the shortcut is declared in the app's manifest.
    pub callback_id: &'static str,
    /// One line for Slack's shortcut description and the docs.
    pub summary: &'static str,
    /// The command (a row of [`COMMANDS`]) whose answer is posted under the message.
    pub command: &'static str,
}
