//! Tokens for emailed links (invitations, password resets): 32 random bytes,
//! written as 64 hex digits in the link; only their SHA-256 is stored, so a
//! copy of the database opens nothing.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new token for a link, and the hash to store.
pub fn new_token() -> (String, [u8; 32]) {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let token = super::hex(&raw);
    let hash = digest(&token);
    (token, hash)
}

/// The stored hash of a token from a link, or `None` when it cannot be one
/// of ours (so a forged link costs no database lookup).
pub fn hash_token(token: &str) -> Option<[u8; 32]> {
    let t = token.trim();
    (t.len() == 64
        && t.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
    .then(|| digest(t))
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_hashes_to_its_stored_hash() {
        let (token, hash) = new_token();
        assert_eq!(token.len(), 64);
        assert_eq!(hash_token(&token), Some(hash));
        assert_ne!(new_token().0, token, "tokens are random");
    }

    #[test]
    fn anything_else_is_not_a_token() {
        for bad in ["", "abc", &"g".repeat(64), &"A".repeat(64), &"a".repeat(65)] {
            assert_eq!(hash_token(bad), None, "{bad}");
        }
    }
}
