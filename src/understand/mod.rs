//! Plain-words questions: a message addressed to the bot that is not a command is read as a
//! question and answered exactly as the matching command would answer it.
//!
//! Reading is deterministic and explainable, with no language model: the words are folded
//! ([`tokenize`]), names, nations and topic words are found anywhere in them ([`find`], using the
//! index's [`PhraseTable`](crate::index::phrases::PhraseTable) and the [`lexicon`]), and fixed
//! rules pick the intent ([`intent`]). The result is a parsed [`Command`], the same type the
//! parser yields, plus other readings, so the answer is the command's own; the reply then says
//! how it was read ("I read this as `!guidance nurse`") and offers the other readings as
//! commands. Nothing recognisable gets the [`menu`], never an error.
//!
//! Safety comes first: words of danger or distress always lead to abuse help, which opens with
//! the emergency and crisis lines, whatever else the message asked.

pub mod find;
pub mod intent;
pub mod lexicon;
pub mod menu;
pub mod tokenize;
mod topic_words;

pub use intent::{Answer, Menu, Reading};

use crate::command::ParseError;
use crate::command::{self, ArgKind, Command, Context};
use crate::index::Index;
use crate::line;
use crate::reply::{Inline, Reply, Tone};
use crate::text::Clean;

/// Reads a message as a question.
pub fn read(index: &Index, text: &str) -> Reading {
    read_clean(index, &Clean::new(text))
}

/// [`read`] for text already folded at the boundary.
pub fn read_clean(index: &Index, text: &Clean) -> Reading {
    let signals = find::find(index, tokenize::tokenize(text));
    intent::decide(index, &signals)
}

/// A command as a person would type it, without the prefix: `guidance social-worker wales`.
pub fn typed(command: &Command) -> String {
    let mut out = command.spec.name.to_string();
    let a = &command.args;
    for arg in command.spec.args {
        let value = match arg.kind {
            ArgKind::Profession => a.profession.clone(),
            ArgKind::Nation => a.nation.map(|n| n.name().to_lowercase()),
            ArgKind::Platform => a.platform.clone(),
            ArgKind::Words => a.words.clone(),
            ArgKind::ResourceId => a.resource_id.clone(),
            ArgKind::Url => a.url.clone(),
            ArgKind::Note => a.note.clone(),
            ArgKind::SuggestionId => a.suggestion_id.clone(),
            ArgKind::CommandName => a.command.map(|c| c.name.to_string()),
            ArgKind::Flag => a.flag(arg.name).then(|| arg.name.to_string()),
        };
        if let Some(value) = value {
            out.push(' ');
            out.push_str(&value);
        }
    }
    out
}

/// A missed question's words with each typo read as the word it is closest to, so "socail
/// worker" and "social worker" are counted as one miss.
pub fn respelled(index: &Index, text: &str) -> String {
    tokenize::tokenize(&Clean::new(text))
        .into_iter()
        .map(|t| find::respelled(index, t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How an answer is counted in the report: the command with its arguments as index ids, so
/// "guidance socail worker", "guidance SW" and "guidance social workers" count as one.
pub fn canonical(index: &Index, command: &Command) -> String {
    let mut canonical = command.clone();
    let a = &mut canonical.args;
    if let Some(id) = a.profession.as_deref().and_then(|n| index.profession_id(n)) {
        a.profession = Some(id.to_string());
    }
    if a.platform.is_some() {
        let named = command::abuse_help::read(index, a.platform.as_deref());
        let platform = named.platform.map(|p| index.platforms[p].id.as_str());
        let known: Vec<&str> = platform
            .into_iter()
            .chain(named.harm.map(|h| h.id))
            .collect();
        if !known.is_empty() {
            a.platform = Some(known.join(" "));
        }
    }
    if let Some(words) = a.words.as_deref() {
        a.words = Some(crate::index::normalize(words));
    }
    a.flags.clear();
    typed(&canonical)
}

/// What a command typed without the prefix said before it was read as a question.
#[derive(Debug, Clone, Copy, Default)]
pub struct Before<'a> {
    /// The problem the command ran into, in a sentence ("Nothing found for “x”").
    pub problem: Option<&'a str>,
    /// A command name close to the first word.
    pub close: Option<&'static str>,
}

/// Answers a reading: the command's own reply with a line saying how it was read, or the menu.
pub fn answer(index: &Index, ctx: &Context<'_>, reading: &Reading, before: Before<'_>) -> Reply {
    answer_counted(index, ctx, reading, before).0
}

/// How an answer counts for the report of what people could not find ([`crate::misses`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    /// Answered confidently, as this command (typed without the prefix).
    Answer(String),
    /// No confident answer: the menu for something not understood, or a reading that was not
    /// sure.
    Miss,
    /// Neither: a hello or thanks, or a command that keeps its own counts.
    Nothing,
}

/// [`answer`], and how it counts.
fn answer_counted(
    index: &Index,
    ctx: &Context<'_>,
    reading: &Reading,
    before: Before<'_>,
) -> (Reply, Counted) {
    let menu_kind = match &reading.best {
        Answer::Menu(kind) => *kind,
        Answer::Command(best) => {
            let mut reply = command::run(index, ctx, best);
            if reply.tone == Tone::Answer {
                reply.notes.insert(0, explanation(ctx, reading, best));
                let counted = if reply.missed {
                    Counted::Miss
                } else if reading.sure || reading.urgent {
                    Counted::Answer(canonical(index, best))
                } else {
                    Counted::Miss
                };
                return (reply, counted);
            }
            // A reading only names what the index holds, so this is a data edge case; the
            // menu is still a better answer than an error.
            Menu::NotUnderstood
        }
    };
    let counted = match menu_kind {
        Menu::NotUnderstood => Counted::Miss,
        Menu::Greeting | Menu::Thanks => Counted::Nothing,
    };
    (
        menu::menu(ctx, menu_kind, before.problem, before.close),
        counted,
    )
}

/// A message addressed to the bot, answered as a question or as the command it starts with.
#[derive(Debug, Clone)]
pub struct Addressed {
    /// The answer.
    pub reply: Reply,
    /// What to log it as: the command's name, or `question`.
    pub name: &'static str,
    /// How it counts for the report.
    pub counted: Counted,
}

/// "I read this as `!x`.", with the other readings as commands.
fn explanation(ctx: &Context<'_>, reading: &Reading, best: &Command) -> Vec<Inline> {
    let mut line = line!["I read this as ", ctx.typed(&typed(best)), "."];
    if !reading.others.is_empty() {
        line.push(
            if reading.sure {
                " Also: "
            } else {
                " Did you mean "
            }
            .into(),
        );
        for (n, other) in reading.others.iter().enumerate() {
            if n > 0 {
                line.push(
                    if n + 1 == reading.others.len() {
                        " or "
                    } else {
                        ", "
                    }
                    .into(),
                );
            }
            line.push(ctx.typed(&typed(other)));
        }
        line.push(if reading.sure { "." } else { "?" }.into());
    }
    line
}

/// The answer to a message addressed to the bot without the command prefix, when it is read as
/// a question: always when it speaks of danger, when it is no command, or when the command it
/// starts with could not be answered. `None` leaves the message to the command route, as it does
/// for commands that use the store: their refusals must reach the person, and a note about a
/// crisis line is a suggestion, not a crisis.
pub fn answer_addressed(
    index: &Index,
    ctx: &Context<'_>,
    text: &Clean,
    prefix: &str,
    parsed: &Result<Option<Command>, ParseError>,
) -> Option<Addressed> {
    if text.is_empty() || (!prefix.is_empty() && text.starts_with(prefix)) {
        return None;
    }
    if matches!(parsed, Ok(Some(cmd)) if cmd.spec.uses_store()) {
        return None;
    }
    let reading = read_clean(index, text);
    let question = |before: Before<'_>| {
        let (reply, counted) = answer_counted(index, ctx, &reading, before);
        Some(Addressed {
            reply,
            name: "question",
            counted,
        })
    };
    if reading.urgent {
        return question(Before::default());
    }
    match parsed {
        Ok(Some(cmd)) => {
            let reply = command::run(index, ctx, cmd);
            if reply.tone == Tone::Answer {
                let counted = if reply.missed {
                    Counted::Miss
                } else {
                    Counted::Answer(canonical(index, cmd))
                };
                return Some(Addressed {
                    reply,
                    name: cmd.spec.name,
                    counted,
                });
            }
            question(Before {
                problem: Some(&reply.title),
                close: None,
            })
        }
        Ok(None) => question(Before::default()),
        Err(ParseError::UnknownCommand { suggestion, .. }) => question(Before {
            problem: None,
            close: *suggestion,
        }),
        Err(_) => question(Before::default()),
    }
}
