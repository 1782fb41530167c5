//! Errors written for logs: one line with every cause, `outer: inner: innermost`, since a log
//! line that shows only the outermost error hides why it happened.

/// The error and its causes, `outer: inner: innermost`.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Lets a repeating warning through at most once per interval, so an outage that fails every
/// message logs one line a minute rather than one per message.
#[derive(Debug)]
pub struct Throttle {
    every: std::time::Duration,
    last: std::sync::Mutex<Option<std::time::Instant>>,
}

impl Throttle {
    /// At most once per `every`.
    pub const fn new(every: std::time::Duration) -> Throttle {
        Throttle {
            every,
            last: std::sync::Mutex::new(None),
        }
    }

    /// Whether to log now: true the first time and then once `every` has passed.
    pub fn ready(&self) -> bool {
        let now = std::time::Instant::now();
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match *last {
            Some(at) if now.duration_since(at) < self.every => false,
            _ => {
                *last = Some(now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[derive(Debug, thiserror::Error)]
    #[error("reading the index")]
    struct Outer(#[source] std::io::Error);

    /// Every cause is written, outermost first; an error without one is written alone.
    #[test]
    fn causes_follow_the_error() {
        let outer = Outer(std::io::Error::other("disk full"));
        assert_eq!(super::chain(&outer), "reading the index: disk full");
        assert_eq!(super::chain(&std::io::Error::other("once")), "once");
    }

    /// The first warning goes through and repeats inside the interval are held back.
    #[test]
    fn throttle_lets_one_through_per_interval() {
        let throttle = super::Throttle::new(std::time::Duration::from_secs(3600));
        assert!(throttle.ready());
        assert!(!throttle.ready());
        let always = super::Throttle::new(std::time::Duration::ZERO);
        assert!(always.ready() && always.ready());
    }
}
