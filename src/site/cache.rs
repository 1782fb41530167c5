//! The site the HTTP listener serves: built on first request and again on the first request
//! after the index changes, keyed by the index's `Arc` itself.
//!
//! Holding the `Arc` (not just its address) means the address cannot be reused by a newer index
//! while the old site is cached, so "same pointer" really is "same index"; the cost is that the
//! replaced index stays in memory until the next request. Nothing in the reload path has to know
//! the site exists, and a bot whose page nobody reads never builds it.

use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use super::{build, Options, Site};
use crate::bot::Signpost;
use crate::index::Index;

/// The site for the index a core is serving, rebuilt when that index is replaced.
#[derive(Debug, Default)]
pub struct SiteCache {
    built: RwLock<Option<(Arc<Index>, Arc<Site>)>>,
}

impl SiteCache {
    /// The site for the index `core` serves now, with `core`'s command prefix.
    pub fn site(&self, core: &Signpost) -> Arc<Site> {
        let index = core.index();
        if let Some(site) = self.cached(&index) {
            return site;
        }
        let mut built = self.built.write().unwrap_or_else(|p| p.into_inner());
        // Another request may have built it while this one waited for the lock.
        if let Some((for_index, site)) = built.as_ref() {
            if Arc::ptr_eq(for_index, &index) {
                return Arc::clone(site);
            }
        }
        let options = Options {
            prefix: core.prefix().to_string(),
            generated: SystemTime::now(),
        };
        let site = Arc::new(build(&index, &options));
        *built = Some((index, Arc::clone(&site)));
        site
    }

    fn cached(&self, index: &Arc<Index>) -> Option<Arc<Site>> {
        let built = self.built.read().unwrap_or_else(|p| p.into_inner());
        match built.as_ref() {
            Some((for_index, site)) if Arc::ptr_eq(for_index, index) => Some(Arc::clone(site)),
            _ => None,
        }
    }
}
