//! Integration tests, in one crate so they link once. One module per area; shared helpers live in
//! `support`.

mod support;

mod cli;
mod commands;
mod console;
mod escaping;
mod index_data;
mod professions;
mod render_limits;
mod seed;
#[cfg(feature = "slack")]
mod slack;
