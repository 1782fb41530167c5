//! Checking one URL: HEAD first, since it costs the site nothing but headers; GET when HEAD
//! gets an error status, because many servers refuse or mishandle HEAD (405, 403, 501, even 404)
//! while serving the page to a browser, and a dead verdict should rest on what a browser gets.
//!
//! Redirects are followed here rather than by the client, so the final address can be reported
//! (the index should link there) and a loop is caught by seeing an address twice. Bodies are
//! never read: the status line and headers say all the checker needs.

use std::fmt;

use reqwest::header::LOCATION;
use reqwest::{Client, Method, StatusCode};
use url::Url;

use super::schedule::Scheduler;
use super::{LinkError, Settings, USER_AGENT};

/// What one URL's check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The URL as the index has it.
    pub url: Url,
    /// The verdict.
    pub verdict: Verdict,
    /// Where the redirects led, when there were any.
    pub final_url: Option<Url>,
    /// Requests sent, HEAD and GET fallbacks and redirects included.
    pub requests: u32,
}

/// How a link fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The page answered 2xx at the address given.
    Ok {
        /// The status.
        status: u16,
    },
    /// The page answered 2xx after redirects: the index should link the final address.
    Moved {
        /// The final status.
        status: u16,
        /// True when every redirect said it was permanent (301, 308).
        permanent: bool,
    },
    /// The server answered that the page is missing or broken, or its redirects never end.
    Dead(Dead),
    /// No usable answer: nothing says the page is gone, but it could not be seen either.
    Unreachable(Unreachable),
}

/// Why a link is dead: the server's own answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dead {
    /// A 4xx or 5xx status other than those in [`Unreachable::Refused`].
    Status(u16),
    /// A redirect back to an address already visited.
    RedirectLoop(Url),
    /// More redirects than the settings allow.
    TooManyRedirects(usize),
    /// A redirect with no usable `Location` (missing, unparsable, or not a web address).
    BadRedirect(String),
}

/// Why a link could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreachable {
    /// No answer within the timeout.
    Timeout,
    /// Nothing listens at that address and port.
    ConnectionRefused,
    /// The host name does not resolve.
    Dns(String),
    /// The TLS handshake failed (bad certificate, or no TLS spoken there).
    Tls(String),
    /// The server answered but turned the checker away: 401, 403 or 407 (it wants a login or
    /// blocks robots), 429 (too many requests) or 503 (down for now).
    Refused(u16),
    /// Any other failure to get an answer, in the client's words.
    Other(String),
}

impl fmt::Display for Dead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dead::Status(status) => write!(f, "{}", status_text(*status)),
            Dead::RedirectLoop(url) => write!(f, "redirect loop back to {url}"),
            Dead::TooManyRedirects(n) => write!(f, "more than {n} redirects"),
            Dead::BadRedirect(location) => write!(f, "redirect to unusable address {location:?}"),
        }
    }
}

impl fmt::Display for Unreachable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreachable::Timeout => f.write_str("timed out"),
            Unreachable::ConnectionRefused => f.write_str("connection refused"),
            Unreachable::Dns(detail) => write!(f, "host not found: {detail}"),
            Unreachable::Tls(detail) => write!(f, "TLS failed: {detail}"),
            Unreachable::Refused(status) => {
                write!(
                    f,
                    "{} (the site turned the checker away)",
                    status_text(*status)
                )
            }
            Unreachable::Other(detail) => f.write_str(detail),
        }
    }
}

/// `404 Not Found`.
fn status_text(status: u16) -> String {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    format!("{status} {reason}").trim_end().to_string()
}

/// Statuses that say "not for you" or "not now" rather than "not here".
const TURNED_AWAY: [u16; 5] = [401, 403, 407, 429, 503];

/// The client every check shares: no automatic redirects, the checker's own User-Agent.
pub fn client(settings: &Settings) -> Result<Client, LinkError> {
    Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(settings.timeout)
        .pool_max_idle_per_host(settings.per_host)
        .build()
        .map_err(LinkError::Client)
}

/// What one hop answered.
struct Answer {
    status: StatusCode,
    location: Option<String>,
}

/// Checks `url`, following its redirects.
pub async fn check_url(
    client: &Client,
    scheduler: &Scheduler,
    url: Url,
    settings: &Settings,
) -> Checked {
    let mut hops = Hops {
        seen: vec![url.clone()],
        permanent: true,
        requests: 0,
    };
    let verdict = loop {
        let current = hops.seen.last().expect("starts with the url").clone();
        let answer = match fetch(client, scheduler, &current, settings, &mut hops.requests).await {
            Ok(answer) => answer,
            Err(error) => break Verdict::Unreachable(classify(&error)),
        };
        if !answer.status.is_redirection() || answer.status == StatusCode::NOT_MODIFIED {
            break verdict_of(answer.status, hops.seen.len() > 1, hops.permanent);
        }
        if let Err(dead) = hops.follow(&current, &answer, settings.max_redirects) {
            break Verdict::Dead(dead);
        }
    };
    let final_url = hops.seen.last().filter(|_| hops.seen.len() > 1).cloned();
    Checked {
        url,
        verdict,
        final_url,
        requests: hops.requests,
    }
}

/// The addresses visited so far.
struct Hops {
    seen: Vec<Url>,
    permanent: bool,
    requests: u32,
}

impl Hops {
    /// Adds the redirect target of `answer`, or says why the chain is dead.
    fn follow(&mut self, current: &Url, answer: &Answer, max: usize) -> Result<(), Dead> {
        let location = answer
            .location
            .as_deref()
            .ok_or_else(|| Dead::BadRedirect(String::new()))?;
        let next = current
            .join(location)
            .ok()
            .filter(|u| u.scheme() == "https" || u.scheme() == "http")
            .ok_or_else(|| Dead::BadRedirect(location.to_string()))?;
        if self.seen.contains(&next) {
            return Err(Dead::RedirectLoop(next));
        }
        if self.seen.len() > max {
            return Err(Dead::TooManyRedirects(max));
        }
        self.permanent &= matches!(
            answer.status,
            StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
        );
        self.seen.push(next);
        Ok(())
    }
}

/// The verdict on a final, non-redirect status.
fn verdict_of(status: StatusCode, redirected: bool, permanent: bool) -> Verdict {
    let code = status.as_u16();
    if status.is_success() {
        if redirected {
            Verdict::Moved {
                status: code,
                permanent,
            }
        } else {
            Verdict::Ok { status: code }
        }
    } else if TURNED_AWAY.contains(&code) {
        Verdict::Unreachable(Unreachable::Refused(code))
    } else {
        // 4xx and 5xx; also 1xx or 304 as a final answer, since a server that confused is not
        // serving the page either.
        Verdict::Dead(Dead::Status(code))
    }
}

/// HEAD, then GET when HEAD got an error status.
async fn fetch(
    client: &Client,
    scheduler: &Scheduler,
    url: &Url,
    settings: &Settings,
    requests: &mut u32,
) -> Result<Answer, reqwest::Error> {
    let head = send(client, scheduler, Method::HEAD, url, settings, requests).await?;
    if head.status.is_client_error() || head.status.is_server_error() {
        return send(client, scheduler, Method::GET, url, settings, requests).await;
    }
    Ok(head)
}

/// One request, under the scheduler's limits; the body is dropped unread.
async fn send(
    client: &Client,
    scheduler: &Scheduler,
    method: Method,
    url: &Url,
    settings: &Settings,
    requests: &mut u32,
) -> Result<Answer, reqwest::Error> {
    let _permit = scheduler.acquire(url).await;
    *requests += 1;
    let response = client
        .request(method, url.clone())
        .timeout(settings.timeout)
        .send()
        .await?;
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    Ok(Answer {
        status: response.status(),
        location,
    })
}

/// Names a failure to get an answer from the error's chain of causes.
fn classify(error: &reqwest::Error) -> Unreachable {
    if error.is_timeout() {
        return Unreachable::Timeout;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    let mut words = Vec::new();
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(found) = classify_io(io) {
                return found;
            }
        }
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Unreachable::Tls(tls.to_string());
        }
        let text = e.to_string();
        if text.starts_with("dns error") {
            return Unreachable::Dns(
                e.source()
                    .map_or_else(|| text.clone(), |inner| inner.to_string()),
            );
        }
        words.push(text);
        cause = e.source();
    }
    Unreachable::Other(words.join(": "))
}

/// Looks inside an I/O error and the I/O errors it wraps: their `source` skips the wrapped
/// error itself, which is where rustls puts its own.
fn classify_io(mut io: &std::io::Error) -> Option<Unreachable> {
    loop {
        match io.kind() {
            std::io::ErrorKind::ConnectionRefused => return Some(Unreachable::ConnectionRefused),
            std::io::ErrorKind::TimedOut => return Some(Unreachable::Timeout),
            _ => {}
        }
        let inner = io.get_ref()?;
        if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
            return Some(Unreachable::Tls(tls.to_string()));
        }
        io = inner.downcast_ref::<std::io::Error>()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Final statuses map to verdicts: 2xx ok (moved after redirects), the turned-away statuses
    /// unreachable, every other error status dead.
    #[test]
    fn statuses() {
        let at = |code: u16, redirected| {
            verdict_of(StatusCode::from_u16(code).unwrap(), redirected, true)
        };
        assert_eq!(at(200, false), Verdict::Ok { status: 200 });
        assert!(matches!(at(204, true), Verdict::Moved { status: 204, .. }));
        assert_eq!(at(404, false), Verdict::Dead(Dead::Status(404)));
        assert_eq!(at(410, true), Verdict::Dead(Dead::Status(410)));
        assert_eq!(at(500, false), Verdict::Dead(Dead::Status(500)));
        for code in TURNED_AWAY {
            assert_eq!(
                at(code, false),
                Verdict::Unreachable(Unreachable::Refused(code))
            );
        }
        assert_eq!(Dead::Status(404).to_string(), "404 Not Found");
    }
}
