//! Adapters: each turns one platform's events into [`crate::Incoming`] messages and sends the
//! rendered [`crate::Reply`] following that platform's conventions. Only the console exists in
//! the core build; platform adapters sit behind their own cargo features.

pub mod console;

#[cfg(feature = "discord")]
pub mod discord;
#[cfg(feature = "matrix")]
pub mod matrix;
#[cfg(feature = "slack")]
pub mod slack;
