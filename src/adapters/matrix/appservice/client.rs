//! The client-server API calls appservice mode makes, as its sender user with the `as_token`:
//! ruma's request types sent with reqwest, so no matrix-sdk client (and no sync, no store) is
//! needed. Rate limits (`M_LIMIT_EXCEEDED`) are waited out as the server asks and passing faults
//! are retried with [`Backoff`]; other Matrix errors are returned at once.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Duration;

use axum::http;
use matrix_sdk::ruma::api::auth_scheme::{AuthScheme, SendAccessToken};
use matrix_sdk::ruma::api::error::{
    Error as MatrixApiError, ErrorKind, FromHttpResponseError, IntoHttpError,
};
use matrix_sdk::ruma::api::path_builder::PathBuilder;
use matrix_sdk::ruma::api::{IncomingResponse, OutgoingRequest, SupportedVersions};

use super::super::send::rate_limit_wait;
use crate::adapters::backoff::Backoff;
use crate::config::Secret;

/// Attempts per call before giving up (rate limits wait as long as the server asks).
const ATTEMPTS: u32 = 6;
/// Passing faults are retried after this, doubling…
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// …up to this.
const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// How long one call may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Why a call to the homeserver failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// The request could not be built (a bug, or an id the server cannot take).
    #[error("matrix appservice: cannot build the request")]
    Build(#[source] IntoHttpError),
    /// The homeserver could not be reached, or the answer not read.
    #[error("matrix appservice: the homeserver did not answer")]
    Network(#[source] reqwest::Error),
    /// The homeserver refused the call, or answered something that is not its response.
    #[error("matrix appservice: the homeserver refused the call")]
    Refused(#[source] FromHttpResponseError<MatrixApiError>),
    /// The HTTP client could not be made.
    #[error("matrix appservice: cannot make the HTTP client")]
    Client(#[source] reqwest::Error),
}

impl CallError {
    /// The Matrix error code, when the homeserver gave one.
    pub fn kind(&self) -> Option<&ErrorKind> {
        match self {
            CallError::Refused(FromHttpResponseError::Server(error)) => error.error_kind(),
            _ => None,
        }
    }
}

/// The homeserver, as the sender user.
#[derive(Debug, Clone)]
pub struct Homeserver {
    http: reqwest::Client,
    base: String,
    token: Secret,
}

impl Homeserver {
    /// Calls `base` (the homeserver URL) with `token` (the `as_token`).
    pub fn new(base: &url::Url, token: Secret) -> Result<Homeserver, CallError> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(CallError::Client)?;
        Ok(Homeserver {
            http,
            base: base.as_str().trim_end_matches('/').to_string(),
            token,
        })
    }

    /// Sends `request`, retrying rate limits and passing faults; the same request (and so the
    /// same transaction id, for sends) is repeated, so the homeserver applies it once.
    pub async fn call<R>(&self, request: R) -> Result<R::IncomingResponse, CallError>
    where
        R: OutgoingRequest<EndpointError = MatrixApiError>,
        for<'a> R::Authentication: AuthScheme<Input<'a> = SendAccessToken<'a>>,
        for<'a> R::PathBuilder: PathBuilder<Input<'a> = Cow<'a, SupportedVersions>>,
    {
        let mut backoff = Backoff::new(FIRST_BACKOFF, MAX_BACKOFF);
        let mut attempt = 1;
        loop {
            let (endpoint, result) = self.once(request.clone()).await;
            let wait = match &result {
                Ok(_) => return result,
                Err(e) if attempt >= ATTEMPTS => {
                    tracing::warn!(
                        adapter = super::ADAPTER,
                        attempt,
                        "homeserver call {endpoint} failed: {}",
                        crate::errors::chain(e)
                    );
                    return result;
                }
                Err(e @ CallError::Refused(_)) => match rate_limit_wait(e.kind()) {
                    Some(wait) => backoff.after(Some(wait)),
                    None if e.kind().is_some() => return result,
                    // No Matrix error: a proxy or the server failed; try again shortly.
                    None => backoff.after(None),
                },
                Err(CallError::Network(_)) => backoff.after(None),
                Err(_) => return result,
            };
            if let Err(e) = &result {
                tracing::warn!(
                    adapter = super::ADAPTER,
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "homeserver call {endpoint} failed, retrying: {}",
                    crate::errors::chain(e)
                );
            }
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One attempt, with the endpoint it called as logs may show it ([`endpoint`]).
    async fn once<R>(&self, request: R) -> (String, Result<R::IncomingResponse, CallError>)
    where
        R: OutgoingRequest<EndpointError = MatrixApiError>,
        for<'a> R::Authentication: AuthScheme<Input<'a> = SendAccessToken<'a>>,
        for<'a> R::PathBuilder: PathBuilder<Input<'a> = Cow<'a, SupportedVersions>>,
    {
        let versions = SupportedVersions::from_parts(&["v1.1".to_string()], &BTreeMap::new());
        let request = match request.try_into_http_request::<Vec<u8>>(
            &self.base,
            SendAccessToken::Always(self.token.expose()),
            Cow::Owned(versions),
        ) {
            Ok(request) => request,
            Err(e) => return ("(unbuilt request)".to_string(), Err(CallError::Build(e))),
        };
        let endpoint = endpoint(request.method(), request.uri().path());
        (endpoint, self.send::<R>(request).await)
    }

    async fn send<R>(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<R::IncomingResponse, CallError>
    where
        R: OutgoingRequest<EndpointError = MatrixApiError>,
    {
        let request = reqwest::Request::try_from(request).map_err(CallError::Network)?;
        let response = self
            .http
            .execute(request)
            .await
            .map_err(CallError::Network)?;
        let mut answer = http::Response::builder().status(response.status());
        if let Some(headers) = answer.headers_mut() {
            *headers = response.headers().clone();
        }
        let body = response.bytes().await.map_err(CallError::Network)?;
        let answer = answer
            .body(body)
            .expect("status and headers came from a response");
        R::IncomingResponse::try_from_http_response(answer).map_err(CallError::Refused)
    }
}

/// `PUT /_matrix/client/v3/rooms/:id/send/m.room.message/:id`: the method and path, with every
/// room, user, event and transaction id replaced, so a log line names the call and no one.
/// (The access token travels in a header, never in the path.)
pub fn endpoint(method: &http::Method, path: &str) -> String {
    let mut out = format!("{method} ");
    let segments: Vec<&str> = path.split('/').collect();
    for (n, segment) in segments.iter().enumerate() {
        if n > 0 {
            out.push('/');
        }
        // A path's fixed words are lowercase names and versions; ids start with a sigil
        // (percent-encoded) or are generated, with capitals and digits.
        let version = segment.len() > 1
            && segment.starts_with(['v', 'r'])
            && segment[1..].chars().all(|c| c.is_ascii_digit());
        let word = segment
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
        let fixed = word || version;
        out.push_str(if fixed { segment } else { ":id" });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Logged endpoints keep the call's words and versions and hide every id.
    #[test]
    fn endpoints_hide_ids() {
        let put = http::Method::PUT;
        assert_eq!(
            endpoint(
                &put,
                "/_matrix/client/v3/rooms/%21abc%3Alocalhost/send/m.room.message/Xy12abCD"
            ),
            "PUT /_matrix/client/v3/rooms/:id/send/m.room.message/:id"
        );
        assert_eq!(
            endpoint(
                &http::Method::GET,
                "/_matrix/client/v3/user/%40bot%3Alocalhost/account_data/m.direct"
            ),
            "GET /_matrix/client/v3/user/:id/account_data/m.direct"
        );
    }
}
