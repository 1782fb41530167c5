//! The short, friendly menu: the answer to hello and thanks, and to anything the bot cannot
//! place. It never guesses: it says what the bot can do and how to ask.

use super::intent::Menu;
use crate::command::abuse_help::EMERGENCY;
use crate::command::names::{ABUSE_HELP, ARTICLES, GUIDANCE, HELP, SEARCH, START, TIPS};
use crate::command::Context;
use crate::line;
use crate::reply::{Line, Reply, Section};

/// The menu, led by `first` when a command the person typed could not be answered (its problem,
/// in friendly words) and by "Did you mean" when a command name was close.
pub fn menu(ctx: &Context<'_>, kind: Menu, first: Option<&str>, close: Option<&str>) -> Reply {
    let title = match kind {
        Menu::Greeting => "Hello! I'm Signpost",
        Menu::Thanks => "You're welcome",
        Menu::NotUnderstood => "Here is what I can help with",
    };
    let mut reply = Reply::titled(title);
    if matches!(kind, Menu::Greeting | Menu::Thanks) && first.is_none() && close.is_none() {
        // A hello or a thank-you gets one line, not the whole menu.
        reply.intro.push(line![
            "Ask me about social media guidance for your profession or about online abuse, e.g. ",
            ctx.typed(&format!("{GUIDANCE} nurse")),
            ", or see everything with ",
            ctx.typed(HELP),
            "."
        ]);
        return reply;
    }
    if let Some(first) = first {
        reply.intro.push(line![format!("{first}.")]);
    }
    if let Some(name) = close {
        reply
            .intro
            .push(line!["Did you mean ", ctx.typed(name), "?"]);
    }
    reply.intro.push(line![
        "I point UK health and care professionals to social media guidance and online-abuse help, from a checked list of links. I can't help with other questions."
    ]);
    let lines: Vec<Line> = vec![
        line![
            "Guidance for your profession: ",
            ctx.typed(&format!("{GUIDANCE} nurse"))
        ],
        line!["Abuse or harassment online: ", ctx.typed(ABUSE_HELP)],
        line![
            "Getting started: ",
            ctx.typed(START),
            " · top tips: ",
            ctx.typed(TIPS),
            " · reading: ",
            ctx.typed(ARTICLES)
        ],
        line!["Search everything: ", ctx.typed(&format!("{SEARCH} hcpc"))],
        line!["Or just ask, e.g. “what does the NMC say about social media?”"],
    ];
    reply.sections.push(Section {
        heading: None,
        lines,
        items: Vec::new(),
    });
    reply.notes.push(line![
        format!("In danger now? Call {EMERGENCY}. Every command: "),
        ctx.typed(HELP),
        "."
    ]);
    reply
}
