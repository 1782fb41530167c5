//! Slack request signatures: every HTTP request Slack sends carries `X-Slack-Signature`, which is
//! `v0=` + hex HMAC-SHA256 of `v0:{X-Slack-Request-Timestamp}:{raw body}` keyed with the app's
//! signing secret.
//!
//! The check runs on the raw bytes before anything is parsed, so an unsigned request costs one
//! HMAC and is never looked at further. The comparison is constant-time (`Mac::verify_slice`), and
//! the timestamp must lie within five minutes of now, so a captured request cannot be replayed
//! later, nor re-dated (the timestamp is part of what is signed).

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Secret;

/// Header holding the request's Unix time in seconds.
pub const TIMESTAMP_HEADER: &str = "x-slack-request-timestamp";
/// Header holding `v0=` and the hex signature.
pub const SIGNATURE_HEADER: &str = "x-slack-signature";
/// Most seconds a request's timestamp may differ from now (Slack's documented five minutes).
pub const MAX_SKEW_SECONDS: u64 = 5 * 60;

type HmacSha256 = Hmac<Sha256>;

/// Why a request was refused. Shown only in logs; Slack just gets a 401.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A required header is absent (or not visible ASCII).
    #[error("header {0} is missing")]
    MissingHeader(&'static str),
    /// The timestamp header is not a whole number of seconds.
    #[error("header {TIMESTAMP_HEADER} is not a Unix time in seconds")]
    BadTimestamp,
    /// The timestamp is too far from now: an old request replayed, or a badly wrong clock.
    #[error(
        "header {TIMESTAMP_HEADER} is {skew} s from now (at most {MAX_SKEW_SECONDS} s allowed)"
    )]
    Stale {
        /// How far from now, in seconds.
        skew: u64,
    },
    /// The signature header is not `v0=` followed by 64 hex digits.
    #[error("header {SIGNATURE_HEADER} is not v0= and 64 hex digits")]
    MalformedSignature,
    /// The signature does not match this timestamp and body.
    #[error("header {SIGNATURE_HEADER} does not match the timestamp and body")]
    Mismatch,
}

/// Checks request signatures with one signing secret.
#[derive(Clone)]
pub struct Verifier {
    /// The HMAC already keyed with the secret; cloned per request, so the key schedule runs once.
    keyed: HmacSha256,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verifier(***)")
    }
}

impl Verifier {
    /// A verifier for the app's signing secret.
    pub fn new(signing_secret: &Secret) -> Verifier {
        Verifier {
            keyed: keyed(signing_secret.expose()),
        }
    }

    /// Accepts the request only if `signature` is the signature of `timestamp` and `body`, and
    /// `timestamp` is within [`MAX_SKEW_SECONDS`] of `now` (Unix seconds).
    pub fn verify(
        &self,
        timestamp: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
        now: i64,
    ) -> Result<(), VerifyError> {
        let timestamp = timestamp.ok_or(VerifyError::MissingHeader(TIMESTAMP_HEADER))?;
        let signature = signature.ok_or(VerifyError::MissingHeader(SIGNATURE_HEADER))?;
        let seconds: i64 = timestamp.parse().map_err(|_| VerifyError::BadTimestamp)?;
        let skew = now.abs_diff(seconds);
        if skew > MAX_SKEW_SECONDS {
            return Err(VerifyError::Stale { skew });
        }
        let expected = signature
            .strip_prefix("v0=")
            .and_then(decode_hex)
            .ok_or(VerifyError::MalformedSignature)?;
        let mut mac = self.keyed.clone();
        feed(&mut mac, timestamp, body);
        // Constant-time: the time taken says nothing about how many bytes matched.
        mac.verify_slice(&expected)
            .map_err(|_| VerifyError::Mismatch)
    }
}

/// The `X-Slack-Signature` value Slack would send for `body` at `timestamp`. For tests, the
/// benchmark and local tools that play Slack's part.
pub fn sign(signing_secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = keyed(signing_secret);
    feed(&mut mac, &timestamp.to_string(), body);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(3 + 2 * digest.len());
    out.push_str("v0=");
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Now, in Unix seconds.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn keyed(secret: &str) -> HmacSha256 {
    // HMAC takes keys of any length, so this cannot fail.
    HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length")
}

fn feed(mac: &mut HmacSha256, timestamp: &str, body: &[u8]) {
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
}

/// 64 hex digits (either case) to 32 bytes; anything else is `None`.
fn decode_hex(text: &str) -> Option<[u8; 32]> {
    let digits = text.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let high = (pair[0] as char).to_digit(16)?;
        let low = (pair[1] as char).to_digit(16)?;
        *byte = u8::try_from(high * 16 + low).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    const NOW: i64 = 1_531_420_618;

    fn verifier() -> Verifier {
        Verifier::new(&Secret::new(SECRET))
    }

    /// Slack's own documented example request verifies, and `sign` reproduces its signature.
    #[test]
    fn slack_documented_example() {
        let body = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        let signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
        assert_eq!(sign(SECRET, NOW, body), signature);
        assert_eq!(
            verifier().verify(Some("1531420618"), Some(signature), body, NOW + 10),
            Ok(())
        );
    }

    /// A changed body, a changed timestamp or another secret all fail to match.
    #[test]
    fn tampering_is_caught() {
        let body = b"command=%2Fguidance&text=nurse";
        let good = sign(SECRET, NOW, body);
        let v = verifier();
        assert_eq!(
            v.verify(
                Some("1531420618"),
                Some(&good),
                b"command=%2Fguidance&text=gp",
                NOW
            ),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            v.verify(Some("1531420619"), Some(&good), body, NOW),
            Err(VerifyError::Mismatch)
        );
        let other = sign("another-secret", NOW, body);
        assert_eq!(
            v.verify(Some("1531420618"), Some(&other), body, NOW),
            Err(VerifyError::Mismatch)
        );
        // Upper-case hex is the same signature.
        let upper = format!("v0={}", good[3..].to_uppercase());
        assert_eq!(
            v.verify(Some("1531420618"), Some(&upper), body, NOW),
            Ok(())
        );
    }

    /// Old, future and unreadable timestamps and malformed signatures are refused by name.
    #[test]
    fn bad_headers_are_named() {
        let body = b"x";
        let v = verifier();
        let at = |ts: i64| sign(SECRET, ts, body);
        let old = NOW - 6 * 60;
        assert_eq!(
            v.verify(Some(&old.to_string()), Some(&at(old)), body, NOW),
            Err(VerifyError::Stale { skew: 360 })
        );
        let future = NOW + 301;
        assert_eq!(
            v.verify(Some(&future.to_string()), Some(&at(future)), body, NOW),
            Err(VerifyError::Stale { skew: 301 })
        );
        assert_eq!(
            v.verify(None, Some(&at(NOW)), body, NOW),
            Err(VerifyError::MissingHeader(TIMESTAMP_HEADER))
        );
        assert_eq!(
            v.verify(Some("1531420618"), None, body, NOW),
            Err(VerifyError::MissingHeader(SIGNATURE_HEADER))
        );
        assert_eq!(
            v.verify(Some("soon"), Some(&at(NOW)), body, NOW),
            Err(VerifyError::BadTimestamp)
        );
        for bad in ["v1=00", "v0=xyz", "", "v0=", &at(NOW)[..66]] {
            assert_eq!(
                v.verify(Some("1531420618"), Some(bad), body, NOW),
                Err(VerifyError::MalformedSignature),
                "{bad}"
            );
        }
    }

    /// The secret never shows in debug output.
    #[test]
    fn debug_hides_the_secret() {
        assert_eq!(format!("{:?}", verifier()), "Verifier(***)");
    }
}
