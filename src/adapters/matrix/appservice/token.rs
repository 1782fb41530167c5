//! Checking the `hs_token` the homeserver sends with every push: in the `Authorization: Bearer`
//! header (the spec since v1.4), or the legacy `access_token` query parameter older homeservers
//! use. Compared in constant time, so the answer's timing says nothing about how much of a
//! guess was right.

use crate::config::Secret;

/// Why a push was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No token at all: 401 `M_UNAUTHORIZED`.
    Missing,
    /// A token that is not the `hs_token`: 403 `M_FORBIDDEN`.
    Wrong,
}

impl Refusal {
    /// The HTTP status and Matrix error code the spec gives for it.
    pub fn status_and_code(self) -> (u16, &'static str) {
        match self {
            Refusal::Missing => (401, "M_UNAUTHORIZED"),
            Refusal::Wrong => (403, "M_FORBIDDEN"),
        }
    }
}

/// Whether the token in `authorization` (the header's value) or `query` (the URL's query
/// string) is `expected`.
pub fn check(
    expected: &Secret,
    authorization: Option<&[u8]>,
    query: Option<&str>,
) -> Result<(), Refusal> {
    let bearer = authorization.and_then(|value| {
        let value = std::str::from_utf8(value).ok()?.trim();
        let (scheme, token) = value.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_string())
    });
    let legacy = || {
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .find(|(key, _)| key == "access_token")
            .map(|(_, value)| value.into_owned())
    };
    let Some(given) = bearer.or_else(legacy) else {
        return Err(Refusal::Missing);
    };
    if same(given.as_bytes(), expected.expose().as_bytes()) {
        Ok(())
    } else {
        Err(Refusal::Wrong)
    }
}

/// Byte-wise equality that looks at every byte of the longer input whatever it finds (only the
/// lengths, which are not secret enough to matter, can show).
fn same(given: &[u8], expected: &[u8]) -> bool {
    let mut differ = u8::from(given.len() != expected.len());
    for i in 0..given.len().max(expected.len()) {
        let a = given.get(i).copied().unwrap_or(0);
        let b = expected.get(i).copied().unwrap_or(0xff);
        differ |= a ^ b;
    }
    std::hint::black_box(differ) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "hs-token-ABC123";

    /// The header and the legacy query parameter are both read; a missing token is told
    /// apart from a wrong one; prefixes, extensions and empty tokens are wrong.
    #[test]
    fn tokens_are_checked() {
        let expected = Secret::new(TOKEN);
        let header = format!("Bearer {TOKEN}");
        assert_eq!(check(&expected, Some(header.as_bytes()), None), Ok(()));
        let lower = format!("bearer {TOKEN}");
        assert_eq!(check(&expected, Some(lower.as_bytes()), None), Ok(()));
        let query = format!("access_token={TOKEN}");
        assert_eq!(check(&expected, None, Some(&query)), Ok(()));
        assert_eq!(check(&expected, None, None), Err(Refusal::Missing));
        assert_eq!(
            check(&expected, None, Some("other=1")),
            Err(Refusal::Missing)
        );
        assert_eq!(
            check(&expected, Some(b"Basic abc"), None),
            Err(Refusal::Missing)
        );
        for wrong in ["hs-token-ABC12", "hs-token-ABC1234", "", "HS-TOKEN-abc123"] {
            let header = format!("Bearer {wrong}");
            let refused = check(&expected, Some(header.as_bytes()), None);
            assert_ne!(refused, Ok(()), "{wrong:?} accepted");
        }
        let wrong = "access_token=nope".to_string();
        assert_eq!(check(&expected, None, Some(&wrong)), Err(Refusal::Wrong));
        // The header wins over the query, as the spec prefers it.
        let header = "Bearer nope";
        assert_eq!(
            check(&expected, Some(header.as_bytes()), Some(&query)),
            Err(Refusal::Wrong)
        );
        assert_eq!(Refusal::Wrong.status_and_code(), (403, "M_FORBIDDEN"));
        assert_eq!(Refusal::Missing.status_and_code().0, 401);
    }

    /// Equality is exact, whatever the lengths.
    #[test]
    fn comparison_is_exact() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"ab", b"abc"));
        assert!(!same(b"abc", b"ab"));
        assert!(same(b"", b""));
    }
}
