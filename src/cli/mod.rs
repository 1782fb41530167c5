//! What the `signpost` binary runs besides its command line: part of the binary, not the
//! library, so it may use `anyhow` and print.

pub mod serve;
pub mod tools;
