//! The message types every layer shares: what an adapter hands the core ([`Incoming`]), who sent
//! it ([`Sender`]) and from which platform ([`Origin`]). A leaf: it imports nothing of the crate.

/// A message as every adapter hands it to the core.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The text, with any mention of the bot already removed by the adapter.
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
    /// True when the message was addressed to the bot (a mention, a direct message, the console):
    /// then the command prefix is optional, and a message that is no command is read as a
    /// question ([`crate::understand`]).
    pub addressed: bool,
    /// True when the sender is a bot (including Signpost itself): such messages get no reply.
    pub from_bot: bool,
    /// How commands are typed where this message came from, for pointers in replies ("try
    /// `/signpost help`"): `None` means the configured prefix (`!`). Slash commands set it.
    pub command_prefix: Option<&'static str>,
    /// Who sent it and where, for cooldowns; `None` (the console) is never limited.
    pub sender: Option<Sender>,
    /// True for an interaction the platform expects an answer to (a slash command), whose
    /// problems only the asker sees: it is answered even inside a cooldown's silence.
    pub interaction: bool,
    /// True when the sender may review suggestions (`!suggestions`, `!accept`, `!reject`).
    /// Adapters decide it from the platform's roles and the `[…] moderator…` settings; the
    /// console, the operator's own terminal, always is.
    pub moderator: bool,
    /// The community the message came from, qualified by platform (`discord:<guild>`,
    /// `slack:<team>`, `matrix:<space or room>`; `console` for the console): its own resources
    /// ([`crate::command::local`]) show in its answers and nowhere else. `None` outside any
    /// community (a direct message on Discord, the site).
    pub community: Option<String>,
}

/// The platform's ids for who sent a message and where. Used only as cooldown keys (hashed
/// there); never logged, so `Debug` hides them.
#[derive(Clone, PartialEq, Eq)]
pub struct Sender {
    /// The person's id on the platform.
    pub person: String,
    /// The channel's or room's id on the platform.
    pub channel: String,
}

impl Sender {
    /// A sender from the platform's ids.
    pub fn new(person: impl Into<String>, channel: impl Into<String>) -> Sender {
        Sender {
            person: person.into(),
            channel: channel.into(),
        }
    }
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sender(..)")
    }
}

impl Incoming {
    /// A message from a person in a channel, not addressed to the bot.
    pub fn new(text: impl Into<String>, origin: Origin) -> Incoming {
        Incoming {
            text: text.into(),
            origin,
            addressed: false,
            from_bot: false,
            command_prefix: None,
            sender: None,
            interaction: false,
            moderator: false,
            community: None,
        }
    }
}

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
    /// The community key ([`Incoming::community`]) for this platform's id of a community (a
    /// guild, a team, a room or space); `None` for an empty id.
    pub fn community(self, id: &str) -> Option<String> {
        match self {
            Origin::Console => Some("console".to_string()),
            _ if id.is_empty() => None,
            _ => Some(format!("{}:{id}", self.platform_id().unwrap_or("console"))),
        }
    }

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
