//! Discord interaction signatures: every request Discord sends to the interactions endpoint
//! carries `X-Signature-Ed25519`, the hex Ed25519 signature of `X-Signature-Timestamp` followed
//! by the raw body, made with the application's key; the public half is `discord.public_key`.
//!
//! The check runs on the raw bytes before anything is parsed, so a forged request costs one
//! signature check and is never looked at further. Verification is `verify_strict` (no weak
//! keys, no malleable signatures). Discord documents no replay window, so Signpost sets one: the
//! signed timestamp may be at most [`MAX_AGE_SECONDS`] old (Slack's five minutes) and at most
//! [`MAX_AHEAD_SECONDS`] in the future (clock skew between Discord and this host), so a captured
//! request cannot be replayed later. The timestamp is part of what is signed, so it cannot be
//! re-dated.

use ed25519_dalek::{Signature, VerifyingKey};

use crate::config::{from_hex, PublicKey};

/// Header holding the hex signature.
pub const SIGNATURE_HEADER: &str = "x-signature-ed25519";
/// Header holding the request's Unix time in seconds.
pub const TIMESTAMP_HEADER: &str = "x-signature-timestamp";
/// Most seconds a request's timestamp may lie in the past.
pub const MAX_AGE_SECONDS: i64 = 5 * 60;
/// Most seconds a request's timestamp may lie in the future.
pub const MAX_AHEAD_SECONDS: i64 = 60;

/// Why a request was refused. Shown only in logs; Discord just gets a 401.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A required header is absent (or not visible ASCII).
    #[error("header {0} is missing")]
    MissingHeader(&'static str),
    /// The timestamp header is not a whole number of seconds.
    #[error("header {TIMESTAMP_HEADER} is not a Unix time in seconds")]
    BadTimestamp,
    /// The timestamp is too old (a replay) or too far ahead (a wrong clock).
    #[error(
        "header {TIMESTAMP_HEADER} is {age} s from now (between -{MAX_AHEAD_SECONDS} and \
         {MAX_AGE_SECONDS} s allowed)"
    )]
    Stale {
        /// Seconds since the timestamp; negative when it lies in the future.
        age: i64,
    },
    /// The signature header is not 128 hex digits.
    #[error("header {SIGNATURE_HEADER} is not 128 hex digits")]
    MalformedSignature,
    /// The signature does not match this timestamp and body under the application's key.
    #[error("header {SIGNATURE_HEADER} does not match the timestamp and body")]
    Mismatch,
}

/// Checks interaction signatures with one application's public key.
#[derive(Debug, Clone)]
pub struct Verifier {
    key: VerifyingKey,
}

impl Verifier {
    /// A verifier for `key`; `None` when it is no curve point (settings check this at load).
    pub fn new(key: &PublicKey) -> Option<Verifier> {
        VerifyingKey::from_bytes(&key.0)
            .ok()
            .map(|key| Verifier { key })
    }

    /// Accepts the request only if `signature` signs `timestamp` followed by `body`, and
    /// `timestamp` lies within the window around `now` (Unix seconds).
    pub fn verify(
        &self,
        timestamp: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
        now: i64,
    ) -> Result<(), VerifyError> {
        let timestamp = timestamp.ok_or(VerifyError::MissingHeader(TIMESTAMP_HEADER))?;
        let signature = signature.ok_or(VerifyError::MissingHeader(SIGNATURE_HEADER))?;
        let sent: i64 = timestamp.parse().map_err(|_| VerifyError::BadTimestamp)?;
        let age = now.saturating_sub(sent);
        if !(-MAX_AHEAD_SECONDS..=MAX_AGE_SECONDS).contains(&age) {
            return Err(VerifyError::Stale { age });
        }
        let signature = Signature::from_bytes(
            &from_hex::<64>(signature).ok_or(VerifyError::MalformedSignature)?,
        );
        let mut signed = Vec::with_capacity(timestamp.len() + body.len());
        signed.extend_from_slice(timestamp.as_bytes());
        signed.extend_from_slice(body);
        self.key
            .verify_strict(&signed, &signature)
            .map_err(|_| VerifyError::Mismatch)
    }
}

/// Now, in Unix seconds.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    const NOW: i64 = 1_700_000_000;

    fn keys() -> (SigningKey, Verifier) {
        let signing = SigningKey::from_bytes(&[7; 32]);
        let public = PublicKey(signing.verifying_key().to_bytes());
        (signing, Verifier::new(&public).expect("a valid key"))
    }

    fn sign(key: &SigningKey, timestamp: &str, body: &[u8]) -> String {
        let mut signed = timestamp.as_bytes().to_vec();
        signed.extend_from_slice(body);
        key.sign(&signed)
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A signature over the timestamp and body is accepted; any change to either, a missing
    /// header, a malformed signature or another key's signature is refused with its reason.
    #[test]
    fn signatures_are_checked() {
        let (key, verifier) = keys();
        let body = br#"{"type":1}"#;
        let ts = NOW.to_string();
        let good = sign(&key, &ts, body);
        assert_eq!(verifier.verify(Some(&ts), Some(&good), body, NOW), Ok(()));
        assert_eq!(
            verifier.verify(Some(&ts), Some(&good), br#"{"type":2}"#, NOW),
            Err(VerifyError::Mismatch)
        );
        let later = (NOW + 1).to_string();
        assert_eq!(
            verifier.verify(Some(&later), Some(&good), body, NOW),
            Err(VerifyError::Mismatch)
        );
        let other = sign(&SigningKey::from_bytes(&[8; 32]), &ts, body);
        assert_eq!(
            verifier.verify(Some(&ts), Some(&other), body, NOW),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            verifier.verify(None, Some(&good), body, NOW),
            Err(VerifyError::MissingHeader(TIMESTAMP_HEADER))
        );
        assert_eq!(
            verifier.verify(Some(&ts), None, body, NOW),
            Err(VerifyError::MissingHeader(SIGNATURE_HEADER))
        );
        assert_eq!(
            verifier.verify(Some(&ts), Some(&good[2..]), body, NOW),
            Err(VerifyError::MalformedSignature)
        );
        assert_eq!(
            verifier.verify(Some("soon"), Some(&good), body, NOW),
            Err(VerifyError::BadTimestamp)
        );
    }

    /// Timestamps are accepted up to five minutes old and one minute ahead, and no further.
    #[test]
    fn stale_and_future_timestamps_are_refused() {
        let (key, verifier) = keys();
        let body = b"{}";
        for (offset, ok) in [
            (0, true),
            (MAX_AGE_SECONDS, true),
            (MAX_AGE_SECONDS + 1, false),
            (-MAX_AHEAD_SECONDS, true),
            (-MAX_AHEAD_SECONDS - 1, false),
        ] {
            let ts = (NOW - offset).to_string();
            let signature = sign(&key, &ts, body);
            let checked = verifier.verify(Some(&ts), Some(&signature), body, NOW);
            assert_eq!(checked.is_ok(), ok, "{offset}: {checked:?}");
            if !ok {
                assert_eq!(checked, Err(VerifyError::Stale { age: offset }));
            }
        }
    }
}
