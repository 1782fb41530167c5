//! The routes adapters mount on the shared HTTP listener ([`crate::http`]): set and cleared as
//! adapters start, fail and restart under the supervisor while the listener stays up.

use std::sync::RwLock;

use axum::Router;

/// Routes platform adapters lend the listener while they run, by adapter name (Slack's
/// `/slack/…`, Discord's `/discord/interactions`). Their paths must not overlap.
#[derive(Debug, Default)]
pub struct Mount {
    routes: RwLock<Mounted>,
}

#[derive(Debug, Default)]
struct Mounted {
    by_adapter: std::collections::BTreeMap<&'static str, Router>,
    /// Every adapter's routes merged, rebuilt on each change so a request only clones it.
    merged: Option<Router>,
}

impl Mount {
    /// Serves `routes` for `adapter` from now on (replacing any it mounted before).
    pub fn set(&self, adapter: &'static str, routes: Router) {
        let mut mounted = self.routes.write().unwrap_or_else(|p| p.into_inner());
        mounted.by_adapter.insert(adapter, routes);
        mounted.merge();
    }

    /// Stops serving `adapter`'s routes; with nothing mounted, requests get 503 until
    /// something is mounted again.
    pub fn clear(&self, adapter: &'static str) {
        let mut mounted = self.routes.write().unwrap_or_else(|p| p.into_inner());
        mounted.by_adapter.remove(adapter);
        mounted.merge();
    }

    /// Every adapter's routes merged, if any are mounted.
    pub(crate) fn get(&self) -> Option<Router> {
        self.routes
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .merged
            .clone()
    }
}

impl Mounted {
    fn merge(&mut self) {
        self.merged = if self.by_adapter.is_empty() {
            None
        } else {
            Some(
                self.by_adapter
                    .values()
                    .fold(Router::new(), |all, routes| all.merge(routes.clone())),
            )
        };
    }
}
