//! Welcoming newcomers to `slack.welcome_channels`: on `member_joined_channel`, the core's
//! welcome posted with `chat.postEphemeral`, so only the newcomer sees it. An ephemeral message
//! has one reader, so a batched welcome is one ephemeral message per person in the batch (at
//! most [`crate::welcome::MAX_NAMED`] per channel per interval). Bots (`users.info`'s
//! `is_bot`, asked only for people about to be welcomed) and Signpost itself get nothing.

use std::sync::Arc;

use super::commands::UMBRELLA_PREFIX;
use super::dispatch::{Adapter, Handled};
use super::events::Event;
use super::web_api::PostMessage;
use crate::render::slack;

impl Adapter {
    /// Someone joined a channel: welcomed privately if the channel has welcomes, within the
    /// limits. Acknowledged at once; the welcome is posted in the background.
    pub(super) fn member_joined(
        self: &Arc<Self>,
        event_id: Option<&str>,
        event: &Event,
    ) -> Handled {
        let (Some(greeter), Some(user), Some(channel)) = (
            &self.welcomes,
            event.user.as_deref(),
            event.channel.as_deref(),
        ) else {
            return Handled::Done;
        };
        if !self.welcome_channels.iter().any(|c| c == channel) {
            return Handled::Done;
        }
        if user == self.bot_user_id {
            greeter.bot();
            return Handled::Done;
        }
        // A redelivered event must not count (or welcome) twice.
        if event_id.is_some_and(|id| !self.seen.first_time(id)) {
            return Handled::Done;
        }
        let adapter = Arc::clone(self);
        let channel = channel.to_string();
        greeter.join(&channel.clone(), user, move |people| async move {
            adapter.welcome(&channel, &people).await
        });
        Handled::Done
    }

    /// Posts the welcome to each person in `people` who is not a bot; whether all went out.
    async fn welcome(&self, channel: &str, people: &[String]) -> bool {
        let reply = crate::welcome::reply(UMBRELLA_PREFIX);
        let messages = slack::to_messages(&reply);
        let mut all_sent = true;
        for person in people {
            match self.api.is_bot(person).await {
                Ok(false) => {}
                // Errors are logged by the client; welcome no one rather than a bot.
                Ok(true) | Err(_) => continue,
            }
            for message in &messages {
                let mut post = PostMessage::new(channel, None, message);
                post.user = Some(person);
                all_sent &= self.api.post_ephemeral(&post).await.is_ok();
            }
        }
        all_sent
    }
}
