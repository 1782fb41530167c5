//! The App Home tab: what Slack shows when someone opens Signpost's home (`app_home_opened`
//! with `tab = "home"`), published with `views.publish`. Slack recommends the tab for
//! onboarding; it holds what the bot does, how to get started, the profession picker and where
//! to get help with abuse,
//! each the core's own answer to the matching command, so the tab never says anything the chat
//! would not.

use serde::Serialize;

use crate::bot::Signpost;
use crate::command::table::{ABUSE_HELP, GUIDANCE, HELP, START};
use crate::message::Incoming;
use crate::message::Origin;
use crate::render::slack::{self, Block};

use super::commands::UMBRELLA_PREFIX;

/// Blocks a Home tab view may hold.
pub const HOME_BLOCKS: usize = 100;

/// The commands whose answers make up the tab, in order: `guidance` alone is the profession
/// picker (a select; a pick is answered in the person's direct messages).
pub const SECTIONS: [&str; 4] = [START, GUIDANCE, ABUSE_HELP, HELP];

/// A `views.publish` body.
#[derive(Debug, Serialize)]
pub struct Publish {
    /// Whose Home tab.
    pub user_id: String,
    /// The view.
    pub view: HomeView,
}

/// A Home tab view.
#[derive(Debug, Serialize)]
pub struct HomeView {
    /// Always `home`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The blocks, at most [`HOME_BLOCKS`].
    pub blocks: Vec<Block>,
}

/// The Home tab for `user`: each section command's answer as Slack renders it, divided, cut at
/// whole blocks to fit.
pub fn view(core: &Signpost, user: &str) -> Publish {
    let mut blocks = Vec::new();
    for (n, name) in SECTIONS.iter().enumerate() {
        let mut incoming = Incoming::new(*name, Origin::Slack);
        incoming.addressed = true;
        incoming.command_prefix = Some(UMBRELLA_PREFIX);
        let Some(reply) = core.handle(&incoming) else {
            continue;
        };
        if n > 0 {
            blocks.push(Block::Divider);
        }
        for message in slack::to_messages(&reply) {
            blocks.extend(message.blocks);
        }
    }
    blocks.truncate(HOME_BLOCKS);
    Publish {
        user_id: user.to_string(),
        view: HomeView {
            kind: "home",
            blocks,
        },
    }
}
