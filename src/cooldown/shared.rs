//! Cooldowns kept in a store that several processes share ([`Store::is_shared`]), so a person
//! over their limit on one replica is held on every replica: the same GCRA as the in-process
//! [`Cooldowns`], taken by one upsert per bucket ([`crate::store::shared`]).
//!
//! Bucket keys are keyed hashes of platform, scope and id; the key (the store's salt) is read
//! from the store once, so every replica computes the same names and the store holds no ids.
//! The hash is std's SipHash, the same in every replica built from one release; a new build may
//! name buckets differently, which at worst restarts everyone's cooldown once.
//!
//! While the store cannot answer, each process falls back to its own in-memory limits: an
//! outage loosens limits to one replica's share, it never stops answers.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::{Cooldowns, Limits, Scope, Verdict};
use crate::errors::{self, Throttle};
use crate::records::{now_ms, Bucket, StoreError, Taken};

/// What shared cooldowns need of storage: buckets every replica takes from, and the secret they
/// hash keys with. The store implements it; the runtime hands it to the core only when other
/// processes share the store. Both calls may wait for the store, up to its timeout.
pub trait Buckets: Send + Sync + std::fmt::Debug {
    /// Takes one answer from a cooldown bucket shared by every process using the store.
    fn take(&self, bucket: Bucket) -> Result<Taken, StoreError>;

    /// The secret every process sharing the store hashes cooldown keys with.
    fn salt(&self) -> Result<String, StoreError>;
}

/// Cooldowns whose buckets live in a shared store.
pub struct SharedCooldowns {
    store: Arc<dyn Buckets>,
    limits: Limits,
    salt: OnceLock<String>,
    fallback: Cooldowns,
    warn: Throttle,
}

impl std::fmt::Debug for SharedCooldowns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedCooldowns")
            .field("buckets", &self.store)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl SharedCooldowns {
    /// `limits`, kept in `store`.
    pub fn new(store: Arc<dyn Buckets>, limits: Limits) -> SharedCooldowns {
        SharedCooldowns {
            store,
            limits,
            salt: OnceLock::new(),
            fallback: Cooldowns::new(limits),
            warn: Throttle::new(Duration::from_secs(60)),
        }
    }

    /// Takes one answer from `person`'s and `channel`'s buckets on `platform`, or says why not.
    pub fn check(&self, platform: &str, person: &str, channel: &str) -> Verdict {
        match self.take(platform, person, channel) {
            Ok(verdict) => verdict,
            Err(error) => {
                if self.warn.ready() {
                    tracing::warn!(
                        error = %errors::chain(&error),
                        "cooldowns: the shared store did not answer; limiting per process meanwhile"
                    );
                }
                self.fallback.check(platform, person, channel)
            }
        }
    }

    fn take(&self, platform: &str, person: &str, channel: &str) -> Result<Verdict, StoreError> {
        let salt = self.salt()?;
        let limits = [
            (Scope::Person, self.limits.person, person),
            (Scope::Channel, self.limits.channel, channel),
        ];
        for (scope, limit, id) in limits {
            let Some(limit) = limit else { continue };
            let bucket = Bucket {
                key: bucket_key(salt, platform, scope, id),
                now_ms: now_ms(),
                period: limit.refill,
                burst: limit.burst.get(),
            };
            match self.store.take(bucket)? {
                Taken::Go => {}
                Taken::Warn { wait } => return Ok(Verdict::Warn { scope, wait }),
                Taken::Quiet { wait } => return Ok(Verdict::Quiet { scope, wait }),
            }
        }
        Ok(Verdict::Go)
    }

    fn salt(&self) -> Result<&str, StoreError> {
        if let Some(salt) = self.salt.get() {
            return Ok(salt);
        }
        let read = self.store.salt()?;
        Ok(self.salt.get_or_init(|| read))
    }
}

/// The name of one bucket: a salted hash, so the store never holds a platform id.
pub fn bucket_key(salt: &str, platform: &str, scope: Scope, id: &str) -> String {
    // Not `RandomState`: every replica must compute the same name, so the key is the salt's
    // (hex, from the store); a salt that is not hex still keys the hash as data.
    let half = |range: std::ops::Range<usize>| {
        salt.get(range)
            .and_then(|h| u64::from_str_radix(h, 16).ok())
            .unwrap_or(0)
    };
    #[allow(deprecated)]
    let mut hasher = std::hash::SipHasher::new_with_keys(half(0..16), half(16..32));
    let scope = match scope {
        Scope::Person => "person",
        Scope::Channel => "channel",
    };
    (salt, platform, scope, id).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cooldown::Limit;
    use crate::store::{StorageBackend, StorageSettings};
    use std::num::NonZeroU32;

    fn memory_store() -> Arc<dyn Buckets> {
        let settings = StorageSettings::new(StorageBackend::SqliteMemory);
        Arc::new(crate::store::sqlite::SqliteStore::open(None, &settings).expect("store"))
    }

    fn limits(burst: u32) -> Limits {
        Limits {
            person: Some(Limit {
                burst: NonZeroU32::new(burst).unwrap(),
                refill: Duration::from_secs(600),
            }),
            channel: None,
        }
    }

    /// Two cores on one store share each person's bucket: what one answered counts on the
    /// other, and the first refusal (on either) warns while later ones are quiet.
    #[test]
    fn two_cores_on_one_store_share_a_bucket() {
        let store = memory_store();
        let burst = 3;
        let a = SharedCooldowns::new(Arc::clone(&store), limits(burst));
        let b = SharedCooldowns::new(Arc::clone(&store), limits(burst));
        for n in 0..burst {
            let core = if n % 2 == 0 { &a } else { &b };
            assert_eq!(core.check("slack", "U1", "C1"), Verdict::Go, "answer {n}");
        }
        let Verdict::Warn { scope, wait } = b.check("slack", "U1", "C1") else {
            panic!("the first refusal warns");
        };
        assert_eq!(scope, Scope::Person);
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(600));
        assert!(matches!(
            a.check("slack", "U1", "C1"),
            Verdict::Quiet { .. }
        ));
        assert_eq!(a.check("slack", "U2", "C1"), Verdict::Go, "another person");
    }

    /// Bucket names are the same for the same salt and input, differ otherwise, and do not
    /// contain the id.
    #[test]
    fn bucket_keys_are_salted_hashes() {
        let key = bucket_key("salt", "slack", Scope::Person, "U0123456");
        assert_eq!(key, bucket_key("salt", "slack", Scope::Person, "U0123456"));
        assert_ne!(
            key,
            bucket_key("pepper", "slack", Scope::Person, "U0123456")
        );
        assert_ne!(key, bucket_key("salt", "slack", Scope::Channel, "U0123456"));
        assert!(!key.contains("U0123456"));
    }
}
