//! Secrets the server must read back but a copy of the database must not
//! reveal (clinics' OIDC client secrets, staff's authenticator keys):
//! AES-256-GCM under a key that lives outside the database (HMS_SECRET_KEY).
//! Each secret is bound to its owner through the associated data, so a sealed
//! value copied onto another row does not open.

pub mod link_token;

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;

const NONCE_BYTES: usize = 12;

/// Lowercase hexadecimal, as keys, tokens and hashes are written out.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key; `Debug` never prints it.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for SecretKey {}

impl SecretKey {
    /// 64 hexadecimal digits (`openssl rand -hex 32`).
    pub fn from_hex(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.len() != 64 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("expected 64 hexadecimal digits (openssl rand -hex 32)".into());
        }
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&raw[i * 2..i * 2 + 2], 16).map_err(|e| e.to_string())?;
        }
        Ok(Self(key))
    }

    pub fn random() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// The key kept in the data directory for a local installation (`make
    /// run`), created on first use, readable by its owner only.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        if let Ok(text) = std::fs::read_to_string(path) {
            return Self::from_hex(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let key = Self::random();
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
        writeln!(file, "{}", key.to_hex())?;
        Ok(key)
    }

    /// A key of its own for one purpose (HMAC-SHA256 of the purpose), so
    /// that a key used for one thing never doubles for another.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0)
            .expect("HMAC takes a key of any length");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    pub fn seal(&self, owner: &[u8], secret: &[u8]) -> Vec<u8> {
        let cipher = Aes256Gcm::new((&self.0).into());
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret,
                    aad: owner,
                },
            )
            .expect("AES-GCM encrypts any message this size");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        out
    }

    /// `None` when the bytes were not sealed by this key for this owner.
    pub fn open(&self, owner: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() <= NONCE_BYTES {
            return None;
        }
        let (nonce, body) = sealed.split_at(NONCE_BYTES);
        let cipher = Aes256Gcm::new((&self.0).into());
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: owner,
                },
            )
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_owner() {
        let key = SecretKey::random();
        let owner = Uuid::now_v7();
        let sealed = key.seal(owner.as_bytes(), b"client-secret");
        assert!(!sealed.windows(6).any(|w| w == b"client"));
        assert_eq!(
            key.open(owner.as_bytes(), &sealed).as_deref(),
            Some(&b"client-secret"[..])
        );
        assert_eq!(key.open(Uuid::now_v7().as_bytes(), &sealed), None);
        assert_eq!(SecretKey::random().open(owner.as_bytes(), &sealed), None);
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(key.open(owner.as_bytes(), &tampered), None);
        assert_eq!(key.open(owner.as_bytes(), &sealed[..5]), None);
        // A fresh nonce each time: the same secret never seals the same way.
        assert_ne!(key.seal(owner.as_bytes(), b"client-secret"), sealed);
    }

    #[test]
    fn keys_are_64_hex_digits() {
        let key = SecretKey::random();
        assert_eq!(SecretKey::from_hex(&key.to_hex()).unwrap(), key);
        assert!(SecretKey::from_hex("abc").is_err());
        assert!(SecretKey::from_hex(&"g".repeat(64)).is_err());
        assert_eq!(format!("{key:?}"), "SecretKey(***)");
    }

    #[test]
    fn a_local_key_is_created_once_and_kept_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("hms-key-{}", Uuid::now_v7()));
        let path = dir.join("secret.key");
        let first = SecretKey::load_or_create(&path).unwrap();
        assert_eq!(SecretKey::load_or_create(&path).unwrap(), first);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
