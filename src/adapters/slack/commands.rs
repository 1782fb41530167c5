//! Slash commands: `/guidance nurse`, `/abuse-help private`, `/signpost <any command>`, and any
//! other `/name` that is a name or alias in the command table ([`crate::command::table`]), so
//! a command added to the table works as a Slack slash command once it is registered in the app.
//!
//! Slack wants an answer within 3 seconds. The core is synchronous and fast, so the first
//! message is built right away and returned in the HTTP response (or the Socket Mode ack); when
//! a reply renders to several messages, the rest go to the command's `response_url`.

use serde::Deserialize;

use crate::bot::Signpost;
use crate::command::table;
use crate::message::Origin;
use crate::message::{Incoming, Sender};
use crate::render::slack::{self, SlackMessage};
use crate::reply::{Reply, Tone};

use super::events::unescape;

/// The umbrella slash command: its text is a whole command (`/signpost guidance nurse`).
pub const UMBRELLA: &str = "signpost";

/// How replies to slash commands point at other commands: through the umbrella command, which is
/// registered in every install (`/signpost tips`), while other table names may not be.
pub const UMBRELLA_PREFIX: &str = "/signpost ";

/// The fields of a slash-command payload the adapter reads (form fields over HTTP, a JSON
/// object in Socket Mode).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SlashCommand {
    /// The command, with its slash: `/guidance` (empty in Slack's `ssl_check` requests).
    #[serde(default)]
    pub command: String,
    /// What followed it (Slack-escaped).
    #[serde(default)]
    pub text: String,
    /// Where later messages for this command go (valid 30 minutes, 5 uses).
    #[serde(default)]
    pub response_url: Option<String>,
    /// `1` when Slack is only checking the endpoint's certificate: answer 200, run nothing.
    #[serde(default)]
    pub ssl_check: Option<String>,
    /// Who ran it (a cooldown key only; never logged).
    #[serde(default)]
    pub user_id: String,
    /// Where it was run.
    #[serde(default)]
    pub channel_id: String,
    /// The workspace it was run in: its community.
    #[serde(default)]
    pub team_id: String,
}

impl SlashCommand {
    /// The command name without its slash, lowercased.
    pub fn name(&self) -> String {
        self.command.trim().trim_start_matches('/').to_lowercase()
    }

    /// The message for the core. Slash commands are addressed to the bot, so no prefix is needed:
    /// `/guidance nurse` reads as `guidance nurse`, `/signpost help` as `help`.
    pub fn to_incoming(&self) -> Incoming {
        let name = self.name();
        let text = unescape(self.text.trim());
        let text = if name == UMBRELLA {
            text
        } else {
            // A table name or alias, or an unknown name the core answers with "no command `x`".
            let name = table::by_name(&name).map_or(name.as_str(), |spec| spec.name);
            format!("{name} {text}")
        };
        Incoming {
            text,
            origin: Origin::Slack,
            addressed: true,
            from_bot: false,
            command_prefix: Some(UMBRELLA_PREFIX),
            sender: Some(Sender::new(self.user_id.as_str(), self.channel_id.as_str())),
            interaction: true,
            moderator: false,
            community: Origin::Slack.community(&self.team_id),
        }
    }
}

/// The answer to a slash command.
#[derive(Debug, Clone)]
pub struct SlashAnswer {
    /// Sent in the HTTP response or the Socket Mode ack.
    pub first: SlackMessage,
    /// Sent afterwards to `response_url`, in order.
    pub rest: Vec<SlackMessage>,
    /// Whether the answer offers buttons: not on a refusal, which is only the asker's.
    pub buttons: bool,
    /// The **More** button of a short first answer.
    pub more: Option<crate::reply::Action>,
}

/// Runs a slash command through the core, from a moderator or not. `/signpost` alone shows
/// the help.
pub fn answer(core: &Signpost, command: &SlashCommand, moderator: bool) -> SlashAnswer {
    let mut incoming = command.to_incoming();
    incoming.moderator = moderator;
    let reply = core.handle(&incoming).or_else(|| {
        incoming.text = table::HELP.to_string();
        core.handle(&incoming)
    });
    match reply {
        Some(reply) => to_answer(&reply),
        // Unreachable with the real core (help always answers); stay polite regardless.
        None => SlashAnswer {
            first: empty(),
            rest: Vec::new(),
            buttons: false,
            more: None,
        },
    }
}

/// The reply as a slash-command answer: ephemeral when private, and when it reports a problem
/// (a typo is the typist's business, and Slack's own default is ephemeral).
pub fn to_answer(reply: &Reply) -> SlashAnswer {
    let mut messages = slack::to_messages(reply);
    if reply.tone == Tone::Problem {
        for m in &mut messages {
            m.response_type = "ephemeral";
        }
    }
    let mut messages = messages.into_iter();
    SlashAnswer {
        first: messages.next().unwrap_or_else(empty),
        rest: messages.collect(),
        buttons: !reply.is_refusal(),
        more: reply.more.as_ref().and_then(crate::reply::More::action),
    }
}

fn empty() -> SlackMessage {
    SlackMessage {
        text: "Sorry, I have no answer to that.".to_string(),
        blocks: Vec::new(),
        response_type: "ephemeral",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slash(command: &str, text: &str) -> SlashCommand {
        SlashCommand {
            command: command.into(),
            text: text.into(),
            ..SlashCommand::default()
        }
    }

    /// Table names and aliases become that command; `/signpost` passes its text through.
    #[test]
    fn slash_names_come_from_the_table() {
        assert_eq!(
            slash("/guidance", "nurse").to_incoming().text,
            "guidance nurse"
        );
        assert_eq!(
            slash("/abuse", " private ").to_incoming().text,
            "abuse-help private"
        );
        assert_eq!(
            slash("/Signpost", "search hcpc").to_incoming().text,
            "search hcpc"
        );
        assert_eq!(slash("/signpost", "").to_incoming().text, "");
        assert_eq!(slash("/frobnicate", "x").to_incoming().text, "frobnicate x");
        for spec in table::COMMANDS {
            let incoming = slash(&format!("/{}", spec.name), "").to_incoming();
            assert!(incoming.addressed);
            assert_eq!(incoming.text.trim(), spec.name);
        }
    }

    /// A reply too long for one message is split: the first inline, the rest for response_url,
    /// all with the reply's response_type; problems are ephemeral.
    #[test]
    fn long_replies_are_split() {
        use crate::reply::{Item, Section, Visibility};
        let mut reply = Reply::titled("Long");
        reply.sections.push(Section {
            items: (0..60)
                .map(|i| {
                    let mut item = Item::titled(format!("item {i}"));
                    item.meta.push("x".repeat(2_000));
                    item
                })
                .collect(),
            ..Section::default()
        });
        let answer = to_answer(&reply);
        assert_eq!(answer.rest.len(), 1);
        assert_eq!(answer.first.blocks.len(), slack::BLOCKS_PER_MESSAGE);
        assert_eq!(answer.first.response_type, "in_channel");
        reply.visibility = Visibility::Private;
        assert_eq!(to_answer(&reply).rest[0].response_type, "ephemeral");
        let problem = to_answer(&Reply::problem("Bad", Vec::new()));
        assert!(problem.rest.is_empty());
        assert_eq!(problem.first.response_type, "ephemeral");
    }

    /// Slack's escaping is undone before the core sees the text.
    #[test]
    fn text_is_unescaped() {
        assert_eq!(
            slash("/signpost", "search a &amp; b &lt;x&gt;")
                .to_incoming()
                .text,
            "search a & b <x>"
        );
    }
}
