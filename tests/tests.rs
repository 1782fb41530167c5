//! Integration tests, in one crate so they link once. One module per area; shared helpers live in
//! `support`.

mod support;

#[cfg(all(feature = "discord", feature = "slack", feature = "matrix"))]
mod all_platforms;
mod cli;
mod commands;
mod console;
mod cooldowns;
#[cfg(feature = "discord")]
mod discord;
mod escaping;
mod handled;
mod hostile;
mod index_data;
mod invisible;
mod layers;
#[cfg(feature = "links")]
mod links;
mod local;
#[cfg(feature = "matrix")]
mod matrix;
#[cfg(feature = "matrix")]
mod matrix_appservice;
#[cfg(feature = "matrix")]
mod matrix_appservice_parity;
#[cfg(feature = "matrix")]
mod matrix_crash;
#[cfg(feature = "matrix")]
mod matrix_local;
#[cfg(feature = "matrix")]
mod matrix_menus;
#[cfg(feature = "matrix")]
mod matrix_moderation;
#[cfg(feature = "matrix")]
mod matrix_welcome;
mod menus;
mod misses;
mod professions;
mod questions;
mod reload;
mod render_limits;
#[cfg(feature = "slack")]
mod replicas;
mod seed;
#[cfg(feature = "slack")]
mod service;
mod short_answers;
mod site;
#[cfg(feature = "slack")]
mod slack;
mod suggestions;
mod typed;
