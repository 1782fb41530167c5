//! The `[discord]` section: its raw shape and the validation that turns it into settings the
//! Discord adapter (gateway or HTTP interactions) can start with.

use std::path::PathBuf;

use serde::Deserialize;

use super::fields::secret;
use super::welcome::{self, Welcome, WelcomeChannel};
use super::{base_url, invalid, ConfigError};
use crate::secret::Secret;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDiscord {
    pub(super) token: Option<Secret>,
    pub(super) token_file: Option<PathBuf>,
    #[serde(default, deserialize_with = "super::fields::list")]
    pub(super) guild_ids: Vec<u64>,
    #[serde(default)]
    pub(super) prefix_commands: bool,
    pub(super) shards: Option<String>,
    pub(super) api_base: Option<String>,
    #[serde(default, deserialize_with = "super::fields::list")]
    pub(super) moderator_roles: Vec<u64>,
    public_key: Option<String>,
    /// The public key from a file, as deployments mount their other settings (it is no secret,
    /// but it sits beside them).
    public_key_file: Option<PathBuf>,
    #[serde(default, deserialize_with = "super::fields::list")]
    pub(super) welcome_channels: Vec<String>,
}

/// A contiguous range of Discord shards out of a total (`0-3/16`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    /// First shard id run by this process.
    pub first: u32,
    /// Last shard id run by this process (inclusive).
    pub last: u32,
    /// Total shards of the bot.
    pub total: u32,
}

impl std::str::FromStr for ShardRange {
    type Err = &'static str;

    /// Parses `0-3/16`, or `2/16` for one shard.
    fn from_str(s: &str) -> Result<ShardRange, &'static str> {
        const FORM: &str = "must look like 0-3/16 (shards 0 to 3 of 16) or 2/16";
        let (range, total) = s.split_once('/').ok_or(FORM)?;
        let total: u32 = total.trim().parse().map_err(|_| FORM)?;
        let (first, last) = match range.split_once('-') {
            Some((a, b)) => (
                a.trim().parse().map_err(|_| FORM)?,
                b.trim().parse().map_err(|_| FORM)?,
            ),
            None => {
                let one = range.trim().parse().map_err(|_| FORM)?;
                (one, one)
            }
        };
        if total == 0 || first > last || last >= total {
            return Err("needs first <= last < total, and total > 0");
        }
        Ok(ShardRange { first, last, total })
    }
}

/// Discord settings, present when a bot token is configured.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscordSettings {
    /// Bot token.
    pub token: Secret,
    /// Guilds to register slash commands in (instantly); empty registers them globally.
    pub guild_ids: Vec<u64>,
    /// Whether to answer `!` commands (needs the privileged Message Content intent).
    pub prefix_commands: bool,
    /// Which shards this process runs; `None` runs one shard (0/1).
    pub shards: Option<ShardRange>,
    /// REST base URL; only set for local test peers.
    pub api_base: Option<url::Url>,
    /// Guilds whose newcomers are welcomed, each in its channel.
    pub welcome: Welcome<WelcomeChannel>,
}

/// A Discord application's Ed25519 public key (32 bytes), which signs every interaction Discord
/// sends to the HTTP endpoint. Not a secret, but shown as hex so logs stay short.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(pub [u8; 32]);

impl PublicKey {
    /// Parses the 64 hex digits the Developer Portal shows; `None` for anything else.
    pub fn from_hex(text: &str) -> Option<PublicKey> {
        from_hex(text.trim()).map(PublicKey)
    }
}

/// Exactly `N` bytes from `2 * N` hex digits (either case); `None` for anything else.
pub(crate) fn from_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.as_bytes();
    if text.len() != 2 * N {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut bytes = [0u8; N];
    for (byte, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
        *byte = (digit(pair[0])? << 4) | digit(pair[1])?;
    }
    Some(bytes)
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublicKey(")?;
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        f.write_str(")")
    }
}

/// Discord's HTTP interactions endpoint (`POST /discord/interactions`), present when
/// `discord.public_key` is set. Independent of the bot token: with the key alone the endpoint
/// answers slash commands and autocomplete without any gateway connection.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscordHttpSettings {
    /// The application's public key, checked against every request's signature.
    pub public_key: PublicKey,
    /// REST base URL for follow-up messages (`discord.api_base`); only set for local test peers.
    pub api_base: Option<url::Url>,
    /// The bot token (`discord.token`) when one is configured: message actions post under the
    /// message with it; without it they say they cannot.
    pub token: Option<Secret>,
}

pub(super) fn discord_http(raw: &RawDiscord) -> Result<Option<DiscordHttpSettings>, ConfigError> {
    let given = secret(
        "discord.public_key",
        raw.public_key.clone().map(Secret::new),
        raw.public_key_file.clone(),
    )?;
    let Some(given) = given else {
        return Ok(None);
    };
    let text = given.expose().trim();
    let public_key = PublicKey::from_hex(text).ok_or_else(|| {
        invalid(
            "discord.public_key",
            text,
            "must be the application's public key: 64 hex digits",
        )
    })?;
    #[cfg(feature = "discord")]
    if ed25519_dalek::VerifyingKey::from_bytes(&public_key.0).is_err() {
        return Err(invalid(
            "discord.public_key",
            text,
            "is not a valid Ed25519 public key",
        ));
    }
    Ok(Some(DiscordHttpSettings {
        public_key,
        api_base: base_url("discord.api_base", raw.api_base.clone())?,
        token: None,
    }))
}

pub(super) fn discord(
    raw: RawDiscord,
    interval: std::time::Duration,
) -> Result<Option<DiscordSettings>, ConfigError> {
    let Some(token) = secret("discord.token", raw.token, raw.token_file)? else {
        return Ok(None);
    };
    let shards = match raw.shards.filter(|s| !s.trim().is_empty()) {
        None => None,
        Some(text) => Some(
            text.parse()
                .map_err(|problem| invalid("discord.shards", text, problem))?,
        ),
    };
    // Discord ids are never 0, and serenity's id types panic on one.
    if raw.guild_ids.contains(&0) {
        return Err(invalid(
            "discord.guild_ids",
            "0",
            "must be Discord guild ids (never 0)",
        ));
    }
    Ok(Some(DiscordSettings {
        token,
        guild_ids: raw.guild_ids,
        prefix_commands: raw.prefix_commands,
        shards,
        api_base: base_url("discord.api_base", raw.api_base)?,
        welcome: welcome::discord(&raw.welcome_channels, interval)?,
    }))
}
