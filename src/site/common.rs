//! What every page of one site shares while it is built: the index, the prefix, the time
//! stamp, and how a page is framed ([`Common::page`]) and filled with a command's reply.

use maud::Markup;

use super::clock::Stamp;
use super::html::Writer;
use super::layout::{self, Frame};
use super::search::Entry;
use super::HOME;
use crate::command::{self, Context};
use crate::index::Index;
use crate::message::Origin;
use crate::reply::Reply;

/// Every page of a site, and the items they show for the search list.
#[derive(Debug, Default)]
pub struct Built {
    /// Path from the site's root, and the page.
    pub pages: Vec<(String, Markup)>,
    /// Every item shown, in page order.
    pub entries: Vec<Entry>,
}

/// What every page of one site shares.
pub(crate) struct Common<'a> {
    pub(crate) index: &'a Index,
    pub(crate) prefix: &'a str,
    pub(crate) generated: Stamp,
}

impl Common<'_> {
    /// The whole reply a chat user gets for `rest` typed after the prefix, as the console sees
    /// it (so `abuse-help` covers every platform): the site keeps the full lists that chat
    /// answers shorten ([`command::more`]).
    pub(crate) fn answer(&self, rest: &str) -> Reply {
        let ctx = Context::new(self.prefix, Origin::Console);
        let typed = format!("{}{rest}", self.prefix);
        match command::parse(&typed, self.prefix, false) {
            Ok(Some(mut cmd)) => {
                if cmd
                    .spec
                    .args
                    .iter()
                    .any(|a| a.name == command::more::ALL.name)
                {
                    cmd.args.flags.push(command::more::ALL.name);
                }
                command::run(self.index, &ctx, &cmd)
            }
            Ok(None) => Reply::titled(rest.to_string()),
            Err(error) => command::parse_problem(&ctx, &error),
        }
    }

    /// `rest` as typed in chat, with the prefix.
    pub(crate) fn typed(&self, rest: &str) -> String {
        format!("{}{rest}", self.prefix)
    }

    /// A page at `path` titled `title`: its shell around what `content` writes.
    pub(crate) fn page(
        &self,
        built: &mut Built,
        path: &str,
        title: &str,
        commands: &[String],
        content: impl FnOnce(&mut Writer<'_>) -> Markup,
    ) {
        let mut writer = Writer::new(self.index, self.prefix, path);
        let body = content(&mut writer);
        let commands: Vec<String> = commands.iter().map(|c| self.typed(c)).collect();
        let frame = Frame {
            path,
            root: None,
            title,
            commands: &commands,
            generated: self.generated,
            reviewed: &self.index.provenance.reviewed,
            search: path == HOME,
        };
        built.entries.append(&mut writer.entries);
        built
            .pages
            .push((path.to_string(), layout::page(&frame, body)));
    }

    /// A page that is one command's reply.
    pub(crate) fn reply_page(&self, built: &mut Built, path: &str, rest: &str) {
        let reply = self.answer(rest);
        self.page(built, path, &reply.title, &[rest.to_string()], |w| {
            w.reply(&reply, 1)
        });
    }
}
