//! The Slack adapter over real HTTP and websockets on 127.0.0.1, against local peers playing
//! Slack's part (`support::slack`): slash commands, the Events API, signature checks, the Web API
//! client's 429 handling, Socket Mode, message shortcuts and welcomes.

mod commands;
mod events;
mod interactive;
mod local;
mod shortcuts;
mod signatures;
mod socket;
pub(crate) mod welcome;
