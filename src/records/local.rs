//! A community's own resources (`!local`): what its moderators add to the answers their
//! community sees, such as a trust's social media policy or a staff network, kept per
//! community and never shown anywhere else.

/// The most entries one community keeps: enough for a policy, a network and a few lines of
/// support, few enough that every answer stays short.
pub const MAX_LOCAL: usize = 20;

/// An entry as a moderator adds it, already checked (see [`crate::suggestions::local`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLocal {
    /// The community it belongs to ([`crate::Incoming::community`]).
    pub community: String,
    /// The https URL, cleaned.
    pub url: String,
    /// The URL normalised, so the same page is not added twice
    /// ([`crate::suggestions::url_key`]).
    pub url_key: String,
    /// The title shown, cleaned and bounded.
    pub title: String,
    /// The moderator's id on their platform (`console` for the console).
    pub added_by: String,
    /// When, in Unix microseconds ([`now_us`]): fine enough to keep a community's entries in
    /// the order they were added.
    pub at_us: i64,
}

/// The time now, in Unix microseconds.
pub fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// Its short id, as `!local list` shows it and `!local remove` takes it.
    pub id: String,
    /// What was stored.
    pub new: NewLocal,
}

/// What adding an entry did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddedLocal {
    /// Stored as new.
    Stored(Local),
    /// Not stored: the community has this page already.
    Existing(Local),
    /// Not stored: the community has [`MAX_LOCAL`] entries.
    Full,
}
