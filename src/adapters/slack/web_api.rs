//! A small Slack Web API client: the methods the adapter calls (`auth.test`,
//! `chat.postMessage`, `chat.postEphemeral`, `views.publish`, `users.info`,
//! `apps.connections.open`) and posts to a slash command's `response_url`.
//!
//! The base URL is configurable (`slack.api_base`) so tests can point it at a local peer over
//! plain HTTP. A 429 is honoured: the call waits for `Retry-After` and tries again, a few times
//! at most. Logs carry the method and the outcome, never the message.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::config::Secret;
use crate::render::slack::{Block, SlackMessage};

/// Slack's Web API.
pub const DEFAULT_API_BASE: &str = "https://slack.com/api/";
/// Most attempts per call when Slack keeps answering 429.
pub const MAX_ATTEMPTS: u32 = 3;
/// Longest `Retry-After` honoured; a longer one is cut to this (the reply is stale by then).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// Time allowed for one HTTP exchange.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Why a Web API call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebApiError {
    /// The HTTP client could not be set up (TLS roots).
    #[error("cannot set up the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
    /// Slack could not be reached, or the exchange failed midway.
    #[error("{method}: cannot reach Slack")]
    Transport {
        /// The method called.
        method: &'static str,
        /// What failed.
        #[source]
        source: reqwest::Error,
    },
    /// Slack answered with an HTTP error status.
    #[error("{method}: HTTP status {status}")]
    Status {
        /// The method called.
        method: &'static str,
        /// The status code.
        status: u16,
    },
    /// Slack still answered 429 after [`MAX_ATTEMPTS`] attempts.
    #[error("{method}: still rate limited after {MAX_ATTEMPTS} attempts")]
    RateLimited {
        /// The method called.
        method: &'static str,
    },
    /// Slack answered `"ok": false` with this error code (e.g. `invalid_auth`, `channel_not_found`).
    #[error("{method}: Slack answered error `{error}`")]
    Api {
        /// The method called.
        method: &'static str,
        /// Slack's error code.
        error: String,
    },
    /// The answer was not the JSON this method returns.
    #[error("{method}: unexpected answer: {source}")]
    Decode {
        /// The method called.
        method: &'static str,
        /// What did not parse.
        #[source]
        source: serde_json::Error,
    },
    /// A `response_url` that does not belong to Slack (or to the configured test peer); posting
    /// to it would let a forged payload make the bot send requests anywhere.
    #[error("response_url on host {host:?} is not a Slack URL")]
    ForeignResponseUrl {
        /// The URL's host (the rest of a response_url is a credential, so it is not kept).
        host: String,
    },
}

impl WebApiError {
    /// Whether retrying cannot help: the token is wrong, revoked or lacks a scope.
    pub fn is_auth(&self) -> bool {
        matches!(self, WebApiError::Api { error, .. } if matches!(error.as_str(),
            "invalid_auth" | "not_authed" | "account_inactive" | "token_revoked"
            | "token_expired" | "not_allowed_token_type" | "missing_scope"))
    }
}

/// Who the bot is, from `auth.test`.
#[derive(Debug, Clone, Deserialize)]
pub struct Identity {
    /// The bot's user id (`U…`): messages from it are ignored and its mention is stripped.
    pub user_id: String,
    /// The bot id (`B…`), when Slack gives one.
    #[serde(default)]
    pub bot_id: Option<String>,
}

/// Arguments of `chat.postMessage` and `chat.postEphemeral`.
#[derive(Debug, Clone, Serialize)]
pub struct PostMessage<'a> {
    /// Channel id.
    pub channel: &'a str,
    /// For `chat.postEphemeral`: the one person who sees it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<&'a str>,
    /// Thread to answer in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_ts: Option<&'a str>,
    /// Notification fallback.
    pub text: &'a str,
    /// The Block Kit blocks.
    pub blocks: &'a [Block],
    /// Always false: a reply full of links would otherwise fill the thread with previews.
    pub unfurl_links: bool,
    /// Always false, as `unfurl_links`.
    pub unfurl_media: bool,
}

impl<'a> PostMessage<'a> {
    /// `message` for `channel`, in thread `thread_ts`, without link previews.
    pub fn new(channel: &'a str, thread_ts: Option<&'a str>, message: &'a SlackMessage) -> Self {
        PostMessage {
            channel,
            user: None,
            thread_ts,
            text: &message.text,
            blocks: &message.blocks,
            unfurl_links: false,
            unfurl_media: false,
        }
    }
}

/// A Web API client holding the bot token.
#[derive(Debug, Clone)]
pub struct WebApi {
    http: reqwest::Client,
    base: Url,
    bot_token: Secret,
}

impl WebApi {
    /// A client for `base` (default [`DEFAULT_API_BASE`]) calling with `bot_token`.
    pub fn new(base: Option<&Url>, bot_token: Secret) -> Result<WebApi, WebApiError> {
        let mut base = base
            .cloned()
            .unwrap_or_else(|| Url::parse(DEFAULT_API_BASE).expect("constant URL"));
        // `join` replaces the last path segment unless the path ends with a slash.
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let mut http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("signpost/", env!("CARGO_PKG_VERSION")));
        if is_loopback(&base) {
            // A local test peer: an `http_proxy` in the environment must not capture it.
            http = http.no_proxy();
        }
        let http = http.build().map_err(WebApiError::Client)?;
        Ok(WebApi {
            http,
            base,
            bot_token,
        })
    }

    /// The base URL methods are called under.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// `auth.test`: who the bot token belongs to.
    pub async fn auth_test(&self) -> Result<Identity, WebApiError> {
        self.call("auth.test", &self.bot_token, &serde_json::json!({}))
            .await
    }

    /// `chat.postMessage`.
    pub async fn post_message(&self, message: &PostMessage<'_>) -> Result<(), WebApiError> {
        self.call::<serde_json::Value>("chat.postMessage", &self.bot_token, message)
            .await
            .map(drop)
    }

    /// `views.publish`: a person's App Home tab.
    pub async fn publish_view(&self, view: &super::home::Publish) -> Result<(), WebApiError> {
        self.call::<serde_json::Value>("views.publish", &self.bot_token, view)
            .await
            .map(drop)
    }

    /// `chat.postEphemeral` (`message.user` must be set).
    pub async fn post_ephemeral(&self, message: &PostMessage<'_>) -> Result<(), WebApiError> {
        self.call::<serde_json::Value>("chat.postEphemeral", &self.bot_token, message)
            .await
            .map(drop)
    }

    /// `apps.connections.open` with the app-level token: a fresh Socket Mode websocket URL.
    pub async fn open_connection(&self, app_token: &Secret) -> Result<String, WebApiError> {
        #[derive(Deserialize)]
        struct Opened {
            url: String,
        }
        let opened: Opened = self
            .call("apps.connections.open", app_token, &serde_json::json!({}))
            .await?;
        Ok(opened.url)
    }

    /// Posts a later message for a slash command to its `response_url`, which must be a Slack URL
    /// (or lie under the configured API base, for local test peers).
    pub async fn respond(
        &self,
        response_url: &str,
        message: &(impl Serialize + ?Sized),
    ) -> Result<(), WebApiError> {
        const METHOD: &str = "response_url";
        let outcome = match Url::parse(response_url).ok().filter(|u| self.trusts(u)) {
            // response_url answers plain `ok`, not the Web API's JSON: the status is the outcome.
            Some(url) => self
                .send(METHOD, || self.http.post(url.clone()).json(message))
                .await
                .map(drop),
            None => Err(WebApiError::ForeignResponseUrl {
                host: Url::parse(response_url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
                    .unwrap_or_default(),
            }),
        };
        log_outcome(METHOD, &outcome);
        outcome
    }

    /// Slack's own hosts over https, or the configured API base's origin (a local test peer).
    fn trusts(&self, url: &Url) -> bool {
        let slack = url.scheme() == "https"
            && url
                .host_str()
                .is_some_and(|h| h == "slack.com" || h.ends_with(".slack.com"));
        slack || url.origin() == self.base.origin()
    }

    /// `users.info`: whether `user` is a bot (an app's bot user, or Slackbot), so newcomers who
    /// are bots get no welcome. Form-encoded: Slack's read methods take no JSON body.
    pub async fn is_bot(&self, user: &str) -> Result<bool, WebApiError> {
        #[derive(Deserialize)]
        struct Info {
            user: Person,
        }
        #[derive(Deserialize)]
        struct Person {
            #[serde(default)]
            id: String,
            #[serde(default)]
            is_bot: bool,
        }
        let info: Info = self
            .call_with("users.info", &self.bot_token, |request| {
                request.form(&[("user", user)])
            })
            .await?;
        Ok(info.user.is_bot || info.user.id == "USLACKBOT")
    }

    /// Calls `method` with `args` as JSON and returns the answer's fields when `"ok": true`.
    async fn call<T: DeserializeOwned>(
        &self,
        method: &'static str,
        token: &Secret,
        args: &(impl Serialize + ?Sized),
    ) -> Result<T, WebApiError> {
        self.call_with(method, token, |request| request.json(args))
            .await
    }

    /// Calls `method` with the arguments `body` adds to the request.
    async fn call_with<T: DeserializeOwned>(
        &self,
        method: &'static str,
        token: &Secret,
        body: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<T, WebApiError> {
        let url = self
            .base
            .join(method)
            .expect("method names are valid paths");
        let outcome = async {
            let response = self
                .send(method, || {
                    body(self.http.post(url.clone()).bearer_auth(token.expose()))
                })
                .await?;
            let body = response
                .bytes()
                .await
                .map_err(|source| transport(method, source))?;
            let value: serde_json::Value = serde_json::from_slice(&body)
                .map_err(|source| WebApiError::Decode { method, source })?;
            if value.get("ok").and_then(serde_json::Value::as_bool) != Some(true) {
                let error = value
                    .get("error")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("unknown")
                    .to_string();
                return Err(WebApiError::Api { method, error });
            }
            serde_json::from_value(value).map_err(|source| WebApiError::Decode { method, source })
        }
        .await;
        log_outcome(method, &outcome);
        outcome
    }

    /// Sends the request built by `build`, waiting out 429s for at most [`MAX_ATTEMPTS`] tries.
    async fn send(
        &self,
        method: &'static str,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, WebApiError> {
        for attempt in 1..=MAX_ATTEMPTS {
            let response = build()
                .send()
                .await
                .map_err(|source| transport(method, source))?;
            let status = response.status();
            if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                if attempt == MAX_ATTEMPTS {
                    break;
                }
                let wait = retry_after(&response);
                tracing::warn!(
                    method,
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "slack web api: rate limited, waiting"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            if !status.is_success() {
                return Err(WebApiError::Status {
                    method,
                    status: status.as_u16(),
                });
            }
            return Ok(response);
        }
        Err(WebApiError::RateLimited { method })
    }
}

/// A transport error without its URL: a `response_url` is a credential and must not be logged.
fn transport(method: &'static str, source: reqwest::Error) -> WebApiError {
    WebApiError::Transport {
        method,
        source: source.without_url(),
    }
}

/// Logs the method and whether it worked, never what was sent.
fn log_outcome<T>(method: &'static str, outcome: &Result<T, WebApiError>) {
    match outcome {
        Ok(_) => tracing::info!(method, outcome = "ok", "slack web api"),
        // With its causes: "error sending request" alone does not say whether DNS, the
        // connection or TLS failed.
        Err(e) => tracing::warn!(
            method,
            outcome = "error",
            "slack web api: {}",
            crate::errors::chain(e)
        ),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

/// The `Retry-After` delay in whole seconds (1 s when absent or unreadable), at most
/// [`MAX_RETRY_AFTER`].
fn retry_after(response: &reqwest::Response) -> Duration {
    let seconds = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1);
    Duration::from_secs(seconds).min(MAX_RETRY_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(base: &str) -> WebApi {
        WebApi::new(Some(&Url::parse(base).unwrap()), Secret::new("xoxb-test")).unwrap()
    }

    /// A base without a trailing slash keeps its path when methods are joined on.
    #[test]
    fn base_keeps_its_path() {
        assert_eq!(
            api("http://127.0.0.1:9/api").base().as_str(),
            "http://127.0.0.1:9/api/"
        );
        assert_eq!(
            api("http://127.0.0.1:9/api")
                .base()
                .join("auth.test")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:9/api/auth.test"
        );
        let default = WebApi::new(None, Secret::new("x")).unwrap();
        assert_eq!(default.base().as_str(), DEFAULT_API_BASE);
    }

    /// response_url must be Slack's (https) or the configured peer's; anything else is refused.
    #[test]
    fn response_urls_are_checked() {
        let peer = api("http://127.0.0.1:9/api/");
        let trusted = |u: &str| peer.trusts(&Url::parse(u).unwrap());
        assert!(trusted("https://hooks.slack.com/commands/T1/2/abc"));
        assert!(trusted("http://127.0.0.1:9/respond/1"));
        assert!(!trusted("http://hooks.slack.com/commands/T1/2/abc"));
        assert!(!trusted("https://hooks.slack.com.evil.example/x"));
        assert!(!trusted("https://evilslack.com/x"));
        assert!(!trusted("http://127.0.0.1:10/respond/1"));
    }

    /// Only token problems count as fatal.
    #[test]
    fn auth_errors_are_fatal() {
        let api_error = |e: &str| WebApiError::Api {
            method: "auth.test",
            error: e.into(),
        };
        assert!(api_error("invalid_auth").is_auth());
        assert!(!api_error("ratelimited").is_auth());
        assert!(!WebApiError::RateLimited { method: "x" }.is_auth());
    }
}
