//! Who may review suggestions on each platform, from the three platform sections.

use super::discord::RawDiscord;
use super::matrix::RawMatrix;
use super::slack::RawSlack;
use super::{invalid, ConfigError};

/// Who may review suggestions on each platform ([`crate::Incoming::moderator`]); adapters
/// decide it from these. Kept apart from the platform settings, which exist only when a platform
/// is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moderators {
    /// Discord roles whose members moderate.
    pub discord_roles: Vec<u64>,
    /// The operator's own Discord guilds (`discord.guild_ids`), where Manage Messages also
    /// makes a moderator.
    pub discord_guilds: Vec<u64>,
    /// Slack user ids (`U…`) who moderate.
    pub slack_users: Vec<String>,
    /// The Matrix power level in a room from which its members moderate there.
    pub matrix_power_level: i64,
    /// The Matrix rooms whose power levels count (`matrix.moderator_rooms`): anyone can make a
    /// room of their own and hold every power level there.
    pub matrix_rooms: Vec<String>,
}

/// The power level Matrix clients call "Moderator".
pub const MATRIX_MODERATOR_LEVEL: i64 = 50;

impl Default for Moderators {
    /// Nobody by role or id; Matrix's moderator level.
    fn default() -> Moderators {
        Moderators {
            discord_roles: Vec::new(),
            discord_guilds: Vec::new(),
            slack_users: Vec::new(),
            matrix_power_level: MATRIX_MODERATOR_LEVEL,
            matrix_rooms: Vec::new(),
        }
    }
}

pub(super) fn moderators(
    discord: &RawDiscord,
    slack: &RawSlack,
    matrix: &RawMatrix,
) -> Result<Moderators, ConfigError> {
    if discord.moderator_roles.contains(&0) {
        return Err(invalid(
            "discord.moderator_roles",
            "0",
            "must be Discord role ids (never 0)",
        ));
    }
    let level = matrix
        .moderator_power_level
        .unwrap_or(MATRIX_MODERATOR_LEVEL);
    if level < 1 {
        return Err(invalid(
            "matrix.moderator_power_level",
            level.to_string(),
            "must be at least 1 (0 would make everyone a moderator)",
        ));
    }
    let slack_users: Vec<String> = slack
        .moderators
        .iter()
        .map(|u| u.trim().to_string())
        .collect();
    if let Some(bad) = slack_users
        .iter()
        .find(|u| u.is_empty() || !u.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(invalid(
            "slack.moderators",
            bad.clone(),
            "must be Slack user ids such as U024BE7LH",
        ));
    }
    Ok(Moderators {
        discord_roles: discord.moderator_roles.clone(),
        discord_guilds: discord.guild_ids.clone(),
        slack_users,
        matrix_power_level: level,
        matrix_rooms: matrix.moderator_rooms.clone(),
    })
}
