//! The sync filters: the live one, uploaded once and named in the store, and the catch-up one
//! for the first sync after start, sent inline and different on every start.

use matrix_sdk::ruma::api::client::filter::{
    Filter as EventFilter, FilterDefinition, LazyLoadOptions, RoomEventFilter, RoomFilter,
};
use matrix_sdk::ruma::api::client::sync::sync_events::v3::Filter;
use matrix_sdk::ruma::{OwnedUserId, UInt};
use matrix_sdk::Client;
use tokio_util::sync::CancellationToken;

use super::{retry_after, FIRST_BACKOFF, MAX_BACKOFF};
use crate::adapters::backoff::Backoff;
use crate::records::new_id;

/// Timeline events per room per live sync: large enough that a burst of commands arrives whole
/// (a small limit gives `limited` timelines and silently skips commands).
pub const TIMELINE_LIMIT: u32 = 500;
/// Timeline events per room in the catch-up sync: everything in it is history, so one will do
/// (the room state still comes whole).
pub const CATCH_UP_LIMIT: u32 = 1;
/// The live filter's name, the SDK's cache key for its id: change it whenever its definition
/// changes.
const LIVE_FILTER: &str = "signpost-v3";
/// The global account data the live filter leaves out. Push rules only feed notification
/// counts, which the bot never reads; without them in the store the SDK evaluates the server's
/// default rules, built in code, instead of parsing the account's rules from JSON on every sync.
pub const UNREAD_ACCOUNT_DATA: &[&str] = &["m.push_rules"];
/// The account-data type the catch-up filter leaves out: none exists, so nothing is lost; its
/// suffix makes each start's filter differ from the last one's.
const START_MARKER: &str = "org.signpost.start";

/// `limit` timeline events per room, lazy-loaded members, and nothing the bot never reads (its
/// own messages, typing and receipts, presence, push rules), so each sync carries and stores
/// little.
pub fn definition(own: &OwnedUserId, limit: u32) -> FilterDefinition {
    let mut timeline = RoomEventFilter::default();
    timeline.limit = Some(UInt::from(limit));
    timeline.not_senders = vec![own.clone()];
    let mut state = RoomEventFilter::default();
    state.lazy_load_options = LazyLoadOptions::Enabled {
        include_redundant_members: false,
    };
    let mut room = RoomFilter::default();
    room.timeline = timeline;
    room.state = state;
    room.ephemeral = RoomEventFilter::ignore_all();
    room.account_data = RoomEventFilter::ignore_all();
    let mut filter = FilterDefinition::default();
    filter.room = room;
    filter.presence = EventFilter::ignore_all();
    filter.account_data.not_types = UNREAD_ACCOUNT_DATA.iter().map(|t| t.to_string()).collect();
    filter
}

/// The catch-up filter for this start, sent inline. Synapse keeps each initial
/// sync's response for a while (`sync_response_cache_duration`, two minutes by default), keyed
/// by the request: a restart within that window asking exactly what the last start asked would
/// get the last start's response, and its position, and then take everything said since as new.
/// A filter that differs per start (a random id in it) makes every initial sync a fresh one.
pub fn catch_up(own: &OwnedUserId) -> Filter {
    let mut filter = definition(own, CATCH_UP_LIMIT);
    filter
        .account_data
        .not_types
        .push(format!("{START_MARKER}.{}", new_id()));
    Filter::FilterDefinition(filter)
}

/// The live filter's id, uploading its definition unless the store already holds it.
pub async fn live(client: &Client, own: &OwnedUserId, shutdown: &CancellationToken) -> Filter {
    let mut backoff = Backoff::new(FIRST_BACKOFF, MAX_BACKOFF);
    loop {
        let uploaded = client
            .get_or_upload_filter(LIVE_FILTER, definition(own, TIMELINE_LIMIT))
            .await;
        match uploaded {
            Ok(id) => return Filter::FilterId(id),
            Err(e) => {
                tracing::warn!(adapter = "matrix", "filter upload failed: {e}");
                let wait = backoff.after(retry_after(&e));
                tokio::select! {
                    () = shutdown.cancelled() => return Filter::FilterId(String::new()),
                    () = tokio::time::sleep(wait) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The live filter drops the bot's own events, typing, receipts, presence and push rules,
    /// keeps the account data it reads (m.direct), and keeps a timeline long enough for bursts.
    #[test]
    fn filter_keeps_only_what_the_bot_reads() {
        let own: OwnedUserId = "@signpost:localhost".parse().expect("user id");
        let f = definition(&own, TIMELINE_LIMIT);
        assert_eq!(f.room.timeline.not_senders, vec![own]);
        assert_eq!(f.room.timeline.limit, Some(UInt::from(TIMELINE_LIMIT)));
        assert_eq!(f.room.ephemeral.types, Some(vec![]));
        assert_eq!(f.presence.types, Some(vec![]));
        let left_out = &f.account_data.not_types;
        assert!(left_out.contains(&"m.push_rules".to_owned()));
        assert!(
            !left_out.contains(&"m.direct".to_owned()),
            "m.direct must come"
        );
        assert_eq!(f.account_data.types, None, "other account data still comes");
    }

    /// Two starts ask for different catch-up syncs (so no server hands one start's cached
    /// response to the next), each with the short timeline and nothing left out beyond what the
    /// live filter leaves out.
    #[test]
    fn each_start_catches_up_afresh() {
        let own: OwnedUserId = "@signpost:localhost".parse().expect("user id");
        let json = |f: Filter| match f {
            Filter::FilterDefinition(d) => serde_json::to_string(&d).expect("json"),
            Filter::FilterId(id) => panic!("catch-up filter uploaded as {id}"),
            _ => panic!("unknown filter kind"),
        };
        let (a, b) = (json(catch_up(&own)), json(catch_up(&own)));
        assert_ne!(a, b);
        let Filter::FilterDefinition(d) = catch_up(&own) else {
            panic!("inline");
        };
        assert_eq!(d.room.timeline.limit, Some(UInt::from(CATCH_UP_LIMIT)));
        let left_out = &d.account_data.not_types;
        let (markers, real): (Vec<_>, Vec<_>) =
            left_out.iter().partition(|t| t.starts_with(START_MARKER));
        assert_eq!(markers.len(), 1, "one start marker");
        assert_eq!(real, UNREAD_ACCOUNT_DATA.iter().collect::<Vec<_>>());
    }
}
