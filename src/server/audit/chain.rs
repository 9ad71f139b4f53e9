//! Linking audit events into their chains (one per clinic, one for the
//! platform) with an HMAC under a key the database never holds.
//!
//! Writers insert events unlinked and take no lock, so audited reads of one
//! clinic do not queue behind each other; the database queues each new
//! event's id. The linker, one at a time across every server process, takes
//! the queued events in id order and gives each the next place in its chain,
//! in `audit_links` beside the event (which is never rewritten): `hash =
//! HMAC(key, chain, seq, prev_hash, content digest)`. Without the key nobody
//! can recompute a chain after an edit; checkpoints of the heads written
//! outside the database (`checkpoint`) catch a removed tail.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::server::crypto::SecretKey;
use crate::server::tenancy;

/// The chain key: derived from the server's secret key, never stored.
#[derive(Clone)]
pub struct ChainKey([u8; 32]);

impl std::fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChainKey({})", self.fingerprint())
    }
}

/// The label a chain's links are bound to.
fn chain_label(chain: Option<Uuid>) -> String {
    chain.map_or_else(|| "platform".to_string(), |c| c.to_string())
}

impl ChainKey {
    pub fn derive(secret: &SecretKey) -> Self {
        Self(secret.derive("hms audit chain v1"))
    }

    /// Names the key without revealing it: checkpoints carry it, so that
    /// verifying under another key says so rather than "tampered".
    pub fn fingerprint(&self) -> String {
        crate::server::crypto::hex(&Sha256::digest(self.0)[..8])
    }

    fn mac(&self) -> Hmac<Sha256> {
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes a key of any length")
    }

    /// What the first event of a chain links to.
    pub fn genesis(&self, chain: Option<Uuid>) -> Vec<u8> {
        let mut mac = self.mac();
        mac.update(b"hms-audit-genesis\x1f");
        mac.update(chain_label(chain).as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// The hash of the event at `seq` of `chain`, after `prev`, whose content
    /// digests to `content`.
    pub fn link(&self, chain: Option<Uuid>, seq: i64, prev: &[u8], content: &[u8]) -> Vec<u8> {
        let mut mac = self.mac();
        mac.update(b"hms-audit-link\x1f");
        mac.update(chain_label(chain).as_bytes());
        mac.update(&seq.to_be_bytes());
        mac.update(prev);
        mac.update(content);
        mac.finalize().into_bytes().to_vec()
    }
}

/// Where a chain ends: its last linked event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub chain: Option<Uuid>,
    pub seq: i64,
    pub hash: Vec<u8>,
}

/// Pending events linked per transaction.
const BATCH: i32 = 2_000;

/// Links every pending event, oldest first, and returns the heads of the
/// chains it extended. If another process is linking, returns at once
/// with nothing: that process links these events too.
pub async fn link_pending(pool: &PgPool, key: &ChainKey) -> Result<Vec<Head>, sqlx::Error> {
    let mut extended: BTreeMap<Option<Uuid>, Head> = BTreeMap::new();
    loop {
        let mut tx = tenancy::begin_anonymous(pool).await?;
        let ours = sqlx::query_scalar!(
            r#"select pg_try_advisory_xact_lock(hashtextextended('hms.audit.linker', 0)) as "ours!""#
        )
        .fetch_one(&mut *tx)
        .await?;
        if !ours {
            break;
        }
        let pending = sqlx::query!(
            r#"select id as "id!", clinic_id, content as "content!" from audit_pending($1)"#,
            BATCH
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut heads: BTreeMap<Option<Uuid>, Head> = BTreeMap::new();
        let (mut ids, mut seqs, mut prevs, mut hashes) = (vec![], vec![], vec![], vec![]);
        for event in &pending {
            let chain = event.clinic_id;
            if let std::collections::btree_map::Entry::Vacant(slot) = heads.entry(chain) {
                slot.insert(head_of(&mut tx, key, chain).await?);
            }
            let head = heads.get_mut(&chain).expect("inserted above");
            let seq = head.seq + 1;
            let hash = key.link(chain, seq, &head.hash, &event.content);
            ids.push(event.id);
            seqs.push(seq);
            prevs.push(std::mem::replace(&mut head.hash, hash.clone()));
            hashes.push(hash);
            head.seq = seq;
        }
        if !ids.is_empty() {
            sqlx::query_scalar!(
                "select audit_link($1, $2, $3, $4)",
                &ids,
                &seqs,
                &prevs,
                &hashes
            )
            .fetch_one(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        extended.extend(heads);
        if pending.len() < BATCH as usize {
            break;
        }
    }
    Ok(extended.into_values().collect())
}

/// The chain's last linked event, or its genesis.
async fn head_of(
    tx: &mut sqlx::PgConnection,
    key: &ChainKey,
    chain: Option<Uuid>,
) -> Result<Head, sqlx::Error> {
    let head = sqlx::query!(
        r#"select chain_seq as "seq!", hash as "hash!" from audit_head($1)"#,
        chain
    )
    .fetch_optional(tx)
    .await?;
    Ok(head.map_or_else(
        || Head {
            chain,
            seq: 0,
            hash: key.genesis(chain),
        },
        |h| Head {
            chain,
            seq: h.seq,
            hash: h.hash,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(hex_digit: char) -> ChainKey {
        ChainKey::derive(&SecretKey::from_hex(&hex_digit.to_string().repeat(64)).unwrap())
    }

    #[test]
    fn links_depend_on_the_key_the_chain_the_place_and_the_content() {
        let (a, b) = (key('a'), key('b'));
        let clinic = Some(Uuid::now_v7());
        let base = a.link(clinic, 2, b"prev", b"content");
        assert_eq!(base, a.link(clinic, 2, b"prev", b"content"));
        for other in [
            b.link(clinic, 2, b"prev", b"content"),
            a.link(None, 2, b"prev", b"content"),
            a.link(clinic, 3, b"prev", b"content"),
            a.link(clinic, 2, b"prev2", b"content"),
            a.link(clinic, 2, b"prev", b"content2"),
        ] {
            assert_ne!(other, base);
        }
        assert_ne!(a.genesis(clinic), a.genesis(None));
        assert_ne!(a.genesis(None), b.genesis(None));
    }

    #[test]
    fn the_fingerprint_names_the_key_without_showing_it() {
        let (a, b) = (key('a'), key('b'));
        assert_eq!(a.fingerprint().len(), 16);
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert!(!format!("{a:?}").contains(&"a".repeat(8)));
    }
}
