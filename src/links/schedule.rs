//! How many requests the checker has open: at most `per_host` to any one host and `global` in
//! all, so a run over an index where most links share a few publishers never hammers one site.
//!
//! A "host" is a URL's host name (or address) and port as written: `www.nhs.uk` and `nhs.uk`
//! are two hosts, and so are `127.0.0.1:8001` and `127.0.0.1:8002`, since each may be its own
//! server. A permit is taken for each request, not each link, so a redirect to another site
//! waits for that site's own turn.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

/// Per-host and global request limits.
#[derive(Debug)]
pub struct Scheduler {
    global: Arc<Semaphore>,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Leave to send one request; dropping it frees both the host's slot and the global one.
#[derive(Debug)]
pub struct Permit {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl Scheduler {
    /// Limits of `per_host` requests to one host and `global` in all (each at least one).
    pub fn new(per_host: usize, global: usize) -> Scheduler {
        Scheduler {
            global: Arc::new(Semaphore::new(global.max(1))),
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a slot at `url`'s host, then for a global one. The host comes first so that
    /// requests queued for one busy site do not hold global slots other sites could use.
    pub async fn acquire(&self, url: &Url) -> Permit {
        let host = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            hosts
                .entry(host_key(url))
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_host)))
                .clone()
        };
        // Neither semaphore is ever closed, so acquiring can only wait, never fail.
        let host = host.acquire_owned().await.expect("never closed");
        let global = self
            .global
            .clone()
            .acquire_owned()
            .await
            .expect("never closed");
        Permit {
            _host: host,
            _global: global,
        }
    }
}

/// The host and port a request to `url` goes to, e.g. `www.nhs.uk:443`.
pub fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default port is written out, so `https://a/` and `https://a:443/` are one host, and a
    /// different port or subdomain is another.
    #[test]
    fn host_keys() {
        let key = |text: &str| host_key(&Url::parse(text).unwrap());
        assert_eq!(key("https://www.nhs.uk/a"), key("https://www.nhs.uk:443/b"));
        assert_ne!(key("https://www.nhs.uk/"), key("https://nhs.uk/"));
        assert_ne!(key("http://127.0.0.1:8001/"), key("http://127.0.0.1:8002/"));
        assert_eq!(key("http://127.0.0.1:8001/x"), "127.0.0.1:8001");
    }

    /// A third request to one host waits until one of the first two is done, while another host
    /// is still served.
    #[tokio::test]
    async fn per_host_slots() {
        let scheduler = Scheduler::new(2, 16);
        let a = Url::parse("https://a.example/").unwrap();
        let b = Url::parse("https://b.example/").unwrap();
        let first = scheduler.acquire(&a).await;
        let _second = scheduler.acquire(&a).await;
        let _other = scheduler.acquire(&b).await;
        let third = scheduler.acquire(&a);
        tokio::pin!(third);
        assert!(poll_once(third.as_mut()).await.is_none(), "waits");
        drop(first);
        let _third = third.await;
    }

    /// Polls a future once, without waiting.
    async fn poll_once<F: std::future::Future + Unpin>(future: F) -> Option<F::Output> {
        let mut future = future;
        std::future::poll_fn(|cx| {
            std::task::Poll::Ready(
                match std::future::Future::poll(std::pin::Pin::new(&mut future), cx) {
                    std::task::Poll::Ready(out) => Some(out),
                    std::task::Poll::Pending => None,
                },
            )
        })
        .await
    }
}
