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
}
