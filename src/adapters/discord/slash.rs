//! Slash commands: the registration bodies, generated from the core's command table, and the way
//! an invoked command turns back into core text.
//!
//! Nothing here is written by hand per command: a row added to [`COMMANDS`] becomes a slash
//! command with its options, and an invocation becomes `!name args…`, so slash commands go
//! through the same parser as typed ones and cannot drift from them.

use serde::Serialize;

use crate::command::table::{
    ArgKind, ArgSpec, CommandSpec, MessageAction, COMMANDS, MESSAGE_ACTIONS,
};
use crate::index::Nation;
use crate::reply::truncate;

/// Discord's limit for command and option descriptions.
pub const DESCRIPTION_LIMIT: usize = 100;
// The table promises summaries that fit.
const _: () = assert!(crate::command::spec::SUMMARY_LIMIT <= DESCRIPTION_LIMIT);
/// Discord's limit on choices in a static list or an autocomplete answer.
pub const CHOICES_LIMIT: usize = 25;

/// Application command type 1: a slash command.
pub const CHAT_INPUT: u8 = 1;
/// Application command type 3: a message context-menu command ("Apps" on a message).
pub const MESSAGE: u8 = 3;
/// The Manage Messages permission bit: message actions are offered by default only to members
/// who hold it (servers can change that, so the invoker is checked again on use).
pub const MANAGE_MESSAGES: u64 = 1 << 13;
/// Option type 3.
const STRING: u8 = 3;
/// Option type 5.
const BOOLEAN: u8 = 5;

/// One command in the bulk-overwrite body of `PUT /applications/{id}/commands`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommandBody {
    /// The command name, as in the table (a message action's label).
    pub name: &'static str,
    /// 1 (a slash command) or 3 (a message action).
    #[serde(rename = "type")]
    pub kind: u8,
    /// The table's summary; empty for message actions, which Discord shows without one.
    pub description: String,
    /// One option per table argument, in table order.
    pub options: Vec<OptionBody>,
    /// Where the command can be installed: the server (0) and, for global commands, a person's
    /// own account (1), so `/guidance` works in any DM or server. Absent for guild commands,
    /// which Discord installs only to their guild.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_types: Option<Vec<u8>>,
    /// Where it can be used: servers (0), DMs with the bot (1), other DMs and group DMs (2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contexts: Option<Vec<u8>>,
    /// The permission bits a member needs to see the command by default (a decimal string, as
    /// Discord takes it); absent for everyone's commands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_member_permissions: Option<String>,
}

/// Installation to a server, and to a person's account.
pub const GUILD_INSTALL: u8 = 0;
/// See [`GUILD_INSTALL`].
pub const USER_INSTALL: u8 = 1;
/// Interaction contexts: a server, the bot's DM, and any other DM or group DM.
pub const CONTEXTS: [u8; 3] = [0, 1, 2];

/// One option of a slash command.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionBody {
    /// 3 (string) or 5 (boolean).
    #[serde(rename = "type")]
    pub kind: u8,
    /// The argument's name.
    pub name: &'static str,
    /// The argument's help line.
    pub description: String,
    /// Whether the command needs it.
    pub required: bool,
    /// True for professions and resource ids, which Discord asks us to complete as people type.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub autocomplete: bool,
    /// A fixed list where the table's kind has one (nations, command names).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
}

/// A choice: what people see and what the option's value becomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    /// Shown in the client (at most 100 characters).
    pub name: String,
    /// Sent back as the option's value (at most 100 characters).
    pub value: String,
}

fn option(arg: &ArgSpec) -> OptionBody {
    let kind = match arg.kind {
        ArgKind::Flag => BOOLEAN,
        _ => STRING,
    };
    let choices = match arg.kind {
        ArgKind::Nation => Nation::ALL
            .iter()
            .map(|n| Choice {
                name: n.name().to_string(),
                value: n.name().to_string(),
            })
            .collect(),
        ArgKind::CommandName => COMMANDS
            .iter()
            .take(CHOICES_LIMIT)
            .map(|c| Choice {
                name: c.name.to_string(),
                value: c.name.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    };
    OptionBody {
        kind,
        name: arg.name,
        description: truncate(arg.help, DESCRIPTION_LIMIT),
        required: arg.required,
        autocomplete: matches!(arg.kind, ArgKind::Profession | ArgKind::ResourceId),
        choices,
    }
}

/// The registration body for one command.
pub fn command_body(spec: &CommandSpec) -> CommandBody {
    // Discord rejects a required option after an optional one; order them stably so a table
    // row written in any order still registers.
    let mut args: Vec<&ArgSpec> = spec.args.iter().collect();
    args.sort_by_key(|a| !a.required);
    CommandBody {
        name: spec.name,
        kind: CHAT_INPUT,
        description: truncate(spec.summary, DESCRIPTION_LIMIT),
        options: args.into_iter().map(option).collect(),
        integration_types: None,
        contexts: None,
        default_member_permissions: None,
    }
}

/// The registration body for a message action: a message context-menu command for members with
/// Manage Messages, used in servers only (it acts on a server's channel).
pub fn action_body(action: &MessageAction) -> CommandBody {
    CommandBody {
        name: action.label,
        kind: MESSAGE,
        description: String::new(),
        options: Vec::new(),
        integration_types: None,
        contexts: None,
        default_member_permissions: Some(MANAGE_MESSAGES.to_string()),
    }
}

/// The body for global registration: every command also installable to a person's account and
/// usable in DMs, except the moderators' review commands and message actions, which belong to
/// servers.
pub fn global_registration_body() -> Vec<CommandBody> {
    let actions = MESSAGE_ACTIONS.iter().map(|action| CommandBody {
        integration_types: Some(vec![GUILD_INSTALL]),
        contexts: Some(vec![CONTEXTS[0]]),
        ..action_body(action)
    });
    COMMANDS
        .iter()
        .map(|spec| {
            let mut body = command_body(spec);
            if spec.moderators {
                body.integration_types = Some(vec![GUILD_INSTALL]);
                body.contexts = Some(vec![CONTEXTS[0]]);
            } else {
                body.integration_types = Some(vec![GUILD_INSTALL, USER_INSTALL]);
                body.contexts = Some(CONTEXTS.to_vec());
            }
            body
        })
        .chain(actions)
        .collect()
}

/// The whole bulk-overwrite body: every command in the table, then every message action.
pub fn registration_body() -> Vec<CommandBody> {
    COMMANDS
        .iter()
        .map(command_body)
        .chain(MESSAGE_ACTIONS.iter().map(action_body))
        .collect()
}

/// An option value from an invocation, as far as Signpost's commands use them.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue<'a> {
    /// A string option.
    Text(&'a str),
    /// A boolean option.
    Switch(bool),
}

/// The text the core should read for an invoked slash command: `{prefix}{name} {args…}`, with the
/// arguments in table order. A true flag is written as its name (`private`), which is how the
/// parser recognises it in typed commands. `None` when the command is not in the table (a stale
/// registration), so the caller can answer politely.
pub fn to_core_text(
    prefix: &str,
    name: &str,
    options: &[(&str, OptionValue<'_>)],
) -> Option<String> {
    let spec = COMMANDS.iter().find(|c| c.name == name)?;
    let mut text = format!("{prefix}{}", spec.name);
    for arg in spec.args {
        let Some((_, value)) = options.iter().find(|(n, _)| *n == arg.name) else {
            continue;
        };
        match value {
            OptionValue::Text(s) if !s.trim().is_empty() => {
                text.push(' ');
                // A newline in an option would read as a second line to nobody; keep one line.
                text.extend(s.chars().map(|c| if c.is_control() { ' ' } else { c }));
            }
            OptionValue::Switch(true) if arg.kind == ArgKind::Flag => {
                text.push(' ');
                text.push_str(arg.name);
            }
            _ => {}
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and option fits Discord's naming and length rules.
    #[test]
    fn bodies_fit_discord_rules() {
        let body = registration_body();
        assert_eq!(body.len(), COMMANDS.len() + MESSAGE_ACTIONS.len());
        for c in body.iter().filter(|c| c.kind == CHAT_INPUT) {
            assert!(c.description.chars().count() <= DESCRIPTION_LIMIT);
            assert!(!c.description.ends_with('…'), "{} cut", c.name);
            assert!(c.name.len() <= 32 && c.name == c.name.to_lowercase());
            let mut seen_optional = false;
            for o in &c.options {
                assert!(o.description.chars().count() <= DESCRIPTION_LIMIT);
                assert!(o.choices.len() <= CHOICES_LIMIT);
                assert!(
                    !(o.required && seen_optional),
                    "{}: required after optional",
                    c.name
                );
                seen_optional |= !o.required;
            }
        }
    }

    /// Global registration lets people install the commands to their own account and use them
    /// in any DM, except the review commands, which stay in servers; guild registration
    /// carries neither field.
    #[test]
    fn global_commands_are_user_installable() {
        let global = global_registration_body();
        for body in &global {
            let review = crate::command::table::by_name(body.name).is_some_and(|c| c.moderators)
                || body.kind == MESSAGE;
            let installs = body.integration_types.as_deref().expect("set");
            assert_eq!(installs.contains(&USER_INSTALL), !review, "{}", body.name);
            assert!(installs.contains(&GUILD_INSTALL));
            let contexts = body.contexts.as_deref().expect("set");
            assert_eq!(contexts.len() == CONTEXTS.len(), !review, "{}", body.name);
        }
        assert!(registration_body()
            .iter()
            .all(|b| b.integration_types.is_none() && b.contexts.is_none()));
    }

    /// Message actions follow the chat commands as context-menu commands for Manage Messages,
    /// without description or options.
    #[test]
    fn message_actions_are_context_menu_commands() {
        let body = registration_body();
        let actions: Vec<&CommandBody> = body.iter().filter(|c| c.kind == MESSAGE).collect();
        assert_eq!(actions.len(), MESSAGE_ACTIONS.len());
        for (action, registered) in MESSAGE_ACTIONS.iter().zip(actions) {
            assert_eq!(registered.name, action.label);
            assert!(registered.description.is_empty() && registered.options.is_empty());
            assert_eq!(
                registered.default_member_permissions.as_deref(),
                Some("8192")
            );
        }
        assert!(body[..COMMANDS.len()].iter().all(|c| c.kind == CHAT_INPUT));
    }

    /// Flags become booleans, professions and ids autocomplete, nations are a fixed list.
    #[test]
    fn option_types_follow_argument_kinds() {
        let body = registration_body();
        let abuse = body.iter().find(|c| c.name == "abuse-help").unwrap();
        let private = abuse.options.iter().find(|o| o.name == "private").unwrap();
        assert_eq!((private.kind, private.required), (BOOLEAN, false));
        let guidance = body.iter().find(|c| c.name == "guidance").unwrap();
        assert!(guidance.options[0].autocomplete);
        assert_eq!(guidance.options[1].choices.len(), 4);
        let resource = body.iter().find(|c| c.name == "resource").unwrap();
        assert!(resource.options[0].autocomplete && resource.options[0].required);
    }

    /// An invocation becomes the typed command, arguments in table order, flags by name.
    #[test]
    fn invocations_become_core_text() {
        let text = to_core_text(
            "!",
            "abuse-help",
            &[
                ("private", OptionValue::Switch(true)),
                ("platform", OptionValue::Text("x")),
            ],
        );
        assert_eq!(text.as_deref(), Some("!abuse-help x private"));
        let text = to_core_text(
            "!",
            "abuse-help",
            &[("private", OptionValue::Switch(false))],
        );
        assert_eq!(text.as_deref(), Some("!abuse-help"));
        let text = to_core_text(
            "?",
            "guidance",
            &[
                ("nation", OptionValue::Text("Wales")),
                ("profession", OptionValue::Text("nurse\nx")),
            ],
        );
        assert_eq!(text.as_deref(), Some("?guidance nurse x Wales"));
        assert_eq!(to_core_text("!", "gone", &[]), None);
    }
}
