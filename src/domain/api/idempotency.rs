//! `Idempotency-Key`: the client's name for one creating request, so that
//! sending it again (the answer was lost on the way) makes nothing twice.

use crate::domain::AppError;

/// The header a client sends with a creating `POST`.
pub const HEADER: &str = "idempotency-key";
/// Long enough for a UUID or a client's own request id with a prefix.
pub const MAX_LEN: usize = 255;
/// How long a key is remembered (and a replay answered from it).
pub const KEPT_HOURS: i64 = 24;

/// A key as the client sent it: 1 to 255 visible ASCII characters, compared
/// exactly (no trimming, no case folding: it is the client's name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &[u8]) -> Result<Self, AppError> {
        let refused = |m: &str| AppError::validation("Idempotency-Key", m);
        if raw.is_empty() {
            return Err(refused("Give the key a value, or leave the header out."));
        }
        if raw.len() > MAX_LEN {
            return Err(refused(
                "Keep the key to 255 characters (a UUID is a good key).",
            ));
        }
        if !raw.iter().all(|b| (0x21..=0x7e).contains(b)) {
            return Err(refused(
                "Use only visible ASCII characters, without spaces (a UUID is a good key).",
            ));
        }
        // Every byte is ASCII, so this cannot fail.
        Ok(Self(String::from_utf8_lossy(raw).into_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_is_a_key() {
        let k = IdempotencyKey::parse(b"0190f2a4-7c1e-7b3a-9d2e-5f6a7b8c9d0e").unwrap();
        assert_eq!(k.as_str(), "0190f2a4-7c1e-7b3a-9d2e-5f6a7b8c9d0e");
    }

    #[test]
    fn keys_are_compared_as_sent() {
        assert_ne!(
            IdempotencyKey::parse(b"Visit-1").unwrap(),
            IdempotencyKey::parse(b"visit-1").unwrap()
        );
    }

    #[test]
    fn empty_long_and_invisible_keys_are_refused() {
        for bad in [
            &b""[..],
            &[b'a'; 256][..],
            b"two words",
            b"tab\there",
            "caf\u{e9}".as_bytes(),
            b"nul\0",
        ] {
            let e = IdempotencyKey::parse(bad).unwrap_err();
            assert!(
                matches!(&e, AppError::Validation(f) if f[0].field == "Idempotency-Key"),
                "{bad:?}: {e:?}"
            );
        }
        assert!(IdempotencyKey::parse(&[b'a'; 255]).is_ok());
    }
}
