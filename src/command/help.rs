//! `!help [command]`: generated from the command table.

use super::names::{GUIDANCE, HELP};
use super::spec::{ArgKind, Args, Context};
use crate::index::Index;
use crate::line;
use crate::reply::{Line, Reply, Section};

/// Words in a plain-words question that ask what the bot can do.
pub const TOPICS: &[&str] = &[
    "what can you do",
    "what do you do",
    "who are you",
    "what are you",
    "commands",
    "command",
    "options",
    "menu",
    "how do you work",
    "how does this work",
    "what can i ask",
    "can you help",
    "what do you know",
];

/// What the index knows for an argument of `kind`, so every profession, platform and harm can
/// be found from help.
fn known_values(index: &Index, kind: ArgKind) -> Vec<Line> {
    let ids = |label: &str, ids: Vec<&str>| line![format!("{label}: {}", ids.join(", "))];
    match kind {
        ArgKind::Profession => vec![
            ids(
                "Professions",
                index.professions.iter().map(|p| p.id.as_str()).collect(),
            ),
            ids(
                "Not covered yet",
                index.uncovered.iter().map(|u| u.id.as_str()).collect(),
            ),
        ],
        ArgKind::Platform => vec![
            ids(
                "Platforms",
                index.platforms.iter().map(|p| p.id.as_str()).collect(),
            ),
            ids(
                "What happened",
                super::abuse_help::harms::HARMS
                    .iter()
                    .map(|h| h.id)
                    .collect(),
            ),
        ],
        _ => Vec::new(),
    }
}

/// Lists every command, or explains the one named.
pub fn run(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    match args.command {
        None => {
            let lines: Vec<Line> = ctx
                .commands
                .iter()
                .map(|c| line![ctx.typed(&c.usage()), format!(" — {}", c.summary)])
                .collect();
            let mut reply = Reply::titled("Signpost commands");
            reply.intro.push(line![
                "Links to social media guidance and online-abuse help for UK health and care professionals."
            ]);
            reply.sections.push(Section {
                heading: None,
                lines,
                items: Vec::new(),
            });
            reply.notes.push(line![
                "More on one command: ",
                ctx.typed(&format!("{HELP} guidance")),
                ". Names and typos work: ",
                ctx.typed(&format!("{GUIDANCE} socail worker")),
                "."
            ]);
            reply
        }
        Some(spec) => {
            let mut reply = Reply::titled(format!("{}{}", ctx.prefix, spec.name));
            reply.intro.push(line![spec.summary]);
            let mut lines = vec![line!["Usage: ", ctx.typed(&spec.usage())]];
            for arg in spec.args {
                let kind = if arg.required { "required" } else { "optional" };
                lines.push(line![
                    crate::reply::code(arg.name),
                    format!(" ({kind}): {}", arg.help)
                ]);
                lines.extend(known_values(index, arg.kind));
            }
            if !spec.aliases.is_empty() {
                let names: Vec<String> = spec
                    .aliases
                    .iter()
                    .map(|a| format!("{}{a}", ctx.prefix))
                    .collect();
                lines.push(line![format!("Also: {}", names.join(", "))]);
            }
            lines.push(line!["Example: ", ctx.typed(spec.example)]);
            reply.sections.push(Section {
                heading: None,
                lines,
                items: Vec::new(),
            });
            reply
        }
    }
}
