//! Welcome settings: where newcomers are welcomed on each platform (`discord.welcome_channels`,
//! `slack.welcome_channels`, `matrix.welcome_rooms`; nowhere by default) and how often at most
//! (`[welcome] interval_seconds`). The limits themselves are [`crate::welcome`]'s.

use std::time::Duration;

use serde::Deserialize;

use super::{invalid, ConfigError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWelcome {
    interval_seconds: f64,
}

/// Where one platform welcomes newcomers, and at most how often per place.
#[derive(Debug, Clone, PartialEq)]
pub struct Welcome<P> {
    /// The places; empty welcomes no one (and, on Discord, asks for no members intent).
    pub places: Vec<P>,
    /// At most one welcome per place in this time; the rest are batched or skipped.
    pub interval: Duration,
}

impl<P> Default for Welcome<P> {
    /// Nowhere, at the default interval.
    fn default() -> Welcome<P> {
        Welcome {
            places: Vec::new(),
            interval: crate::welcome::DEFAULT_INTERVAL,
        }
    }
}

impl<P> Welcome<P> {
    /// Whether any place is configured.
    pub fn is_on(&self) -> bool {
        !self.places.is_empty()
    }
}

/// A Discord guild and the channel in it where its newcomers are welcomed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WelcomeChannel {
    /// The guild (server) id.
    pub guild: u64,
    /// The channel id.
    pub channel: u64,
}

pub(super) fn interval(raw: &RawWelcome) -> Result<Duration, ConfigError> {
    match Duration::try_from_secs_f64(raw.interval_seconds) {
        Ok(interval) if interval >= Duration::from_secs(1) => Ok(interval),
        _ => Err(invalid(
            "welcome.interval_seconds",
            raw.interval_seconds.to_string(),
            "must be a number of seconds, at least 1",
        )),
    }
}

/// `discord.welcome_channels`: `GUILD:CHANNEL` pairs of ids.
pub(super) fn discord(
    raw: &[String],
    interval: Duration,
) -> Result<Welcome<WelcomeChannel>, ConfigError> {
    let places = raw
        .iter()
        .map(|pair| {
            let ids = pair.split_once(':').and_then(|(guild, channel)| {
                let id = |s: &str| s.trim().parse::<u64>().ok().filter(|&id| id != 0);
                Some(WelcomeChannel {
                    guild: id(guild)?,
                    channel: id(channel)?,
                })
            });
            ids.ok_or_else(|| {
                invalid(
                    "discord.welcome_channels",
                    pair.clone(),
                    "must be GUILD:CHANNEL pairs of Discord ids, e.g. 1200000000000000001:1210000000000000001",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Welcome { places, interval })
}

/// `slack.welcome_channels`: channel ids.
pub(super) fn slack(raw: &[String], interval: Duration) -> Result<Welcome<String>, ConfigError> {
    let places: Vec<String> = raw.iter().map(|c| c.trim().to_string()).collect();
    if let Some(bad) = places
        .iter()
        .find(|c| c.is_empty() || !c.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(invalid(
            "slack.welcome_channels",
            bad.clone(),
            "must be Slack channel ids such as C024BE91L",
        ));
    }
    Ok(Welcome { places, interval })
}

/// `matrix.welcome_rooms`: room ids.
pub(super) fn matrix(raw: &[String], interval: Duration) -> Result<Welcome<String>, ConfigError> {
    let places: Vec<String> = raw.iter().map(|r| r.trim().to_string()).collect();
    if let Some(bad) = places
        .iter()
        .find(|r| !r.starts_with('!') || !r.contains(':'))
    {
        return Err(invalid(
            "matrix.welcome_rooms",
            bad.clone(),
            "must be room ids such as !abc123:example.org (not aliases)",
        ));
    }
    Ok(Welcome { places, interval })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    /// Good places are read; a bad one is an error naming its key and value.
    #[test]
    fn places_are_checked() {
        let ok = discord(&["1:2".into(), " 3 : 4 ".into()], MINUTE).unwrap();
        assert_eq!(
            ok.places[1],
            WelcomeChannel {
                guild: 3,
                channel: 4
            }
        );
        for bad in ["1", "0:2", "a:b", "1:2:3"] {
            let error = discord(&[bad.into()], MINUTE).unwrap_err().to_string();
            assert!(
                error.contains("discord.welcome_channels") && error.contains(bad),
                "{error}"
            );
        }
        assert!(slack(&["C1".into()], MINUTE).unwrap().is_on());
        assert!(slack(&["#general".into()], MINUTE).is_err());
        assert!(matrix(&["!a:b".into()], MINUTE).is_ok());
        let error = matrix(&["#room:b".into()], MINUTE).unwrap_err().to_string();
        assert!(error.contains("matrix.welcome_rooms"), "{error}");
        let error = interval(&RawWelcome {
            interval_seconds: 0.5,
        })
        .unwrap_err()
        .to_string();
        assert!(error.contains("welcome.interval_seconds"), "{error}");
    }
}
