//! `hms audit verify`: recomputes every link (`audit_links`) from its
//! event's raw columns under the chain key and compares the checkpoints kept
//! outside the database. Runs as the owner role, which sees every row.
//!
//! The content digest is computed here, not by the database's
//! `audit_event_content`, so that whoever can replace that function still
//! cannot make an edited event verify.

use std::collections::{BTreeMap, HashMap};

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use super::chain::ChainKey;
use super::checkpoint::{Checkpoint, hex};

/// The state of one chain after verification.
#[derive(Debug, PartialEq, Eq)]
pub struct ChainReport {
    pub clinic_id: Option<Uuid>,
    /// Linked events.
    pub events: i64,
    /// Events waiting for the linker (normal for the last second or so).
    pub pending: i64,
    pub first_broken: Option<Break>,
}

/// The first place a chain does not check out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    pub seq: i64,
    /// The event there, if there still is one.
    pub event_id: Option<i64>,
    pub reason: BreakReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakReason {
    /// Its content or link is not what the key linked.
    Altered,
    /// It does not follow the event before it: events before it were
    /// removed, or it was moved.
    OutOfPlace,
    /// The chain ends before a checkpoint's head: its tail was removed.
    Missing { checkpoint_seq: i64 },
    /// Its hash is not the one a checkpoint recorded for this place.
    DiffersFromCheckpoint,
    /// Its link is there but the event it linked is gone.
    Removed,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = match self.event_id {
            Some(id) => format!("event {id} (position {})", self.seq),
            None => format!("position {}", self.seq),
        };
        match self.reason {
            BreakReason::Altered => write!(f, "{at} was altered"),
            BreakReason::OutOfPlace => write!(f, "{at} does not follow the event before it"),
            BreakReason::Missing { checkpoint_seq } => write!(
                f,
                "{at} onwards are missing (a checkpoint saw the chain reach {checkpoint_seq})"
            ),
            BreakReason::DiffersFromCheckpoint => {
                write!(f, "{at} differs from its checkpoint")
            }
            BreakReason::Removed => write!(f, "{at} was deleted"),
        }
    }
}

/// One event's columns as text, in the order the content digest takes them.
struct Columns {
    id: i64,
    clinic_id: Option<Uuid>,
    occurred: String,
    actor_user_id: Option<Uuid>,
    actor_role: Option<String>,
    action: String,
    entity_type: Option<String>,
    entity_id: Option<String>,
    before_value: Option<String>,
    after_value: Option<String>,
    client_addr: Option<String>,
    user_agent: Option<String>,
    request_id: Option<String>,
    outcome: String,
}

/// SHA-256 over the fields joined by the unit separator, nulls as `\N`.
fn content_digest(c: &Columns) -> Vec<u8> {
    let or_null = |v: Option<&str>| v.unwrap_or("\\N").to_owned();
    let fields = [
        c.id.to_string(),
        or_null(c.clinic_id.map(|u| u.to_string()).as_deref()),
        c.occurred.clone(),
        or_null(c.actor_user_id.map(|u| u.to_string()).as_deref()),
        or_null(c.actor_role.as_deref()),
        c.action.clone(),
        or_null(c.entity_type.as_deref()),
        or_null(c.entity_id.as_deref()),
        or_null(c.before_value.as_deref()),
        or_null(c.after_value.as_deref()),
        or_null(c.client_addr.as_deref()),
        or_null(c.user_agent.as_deref()),
        or_null(c.request_id.as_deref()),
        c.outcome.clone(),
    ];
    Sha256::digest(fields.join("\u{1f}").as_bytes()).to_vec()
}

/// One chain as the rows stream past.
struct Walk {
    report: ChainReport,
    last_seq: i64,
    last_hash: Vec<u8>,
}

impl Walk {
    fn new(chain: Option<Uuid>, key: &ChainKey) -> Self {
        Self {
            report: ChainReport {
                clinic_id: chain,
                events: 0,
                pending: 0,
                first_broken: None,
            },
            last_seq: 0,
            last_hash: key.genesis(chain),
        }
    }

    fn broken(&mut self, seq: i64, event_id: Option<i64>, reason: BreakReason) {
        if self
            .report
            .first_broken
            .as_ref()
            .is_none_or(|b| seq < b.seq)
        {
            self.report.first_broken = Some(Break {
                seq,
                event_id,
                reason,
            });
        }
    }
}

/// Verifies the chains (all, or one clinic's) against the key and the
/// checkpoints made under it; checkpoints under another key are skipped
/// (see [`foreign_checkpoints`]).
pub async fn verify(
    pool: &PgPool,
    key: &ChainKey,
    clinic: Option<Uuid>,
    checkpoints: &[Checkpoint],
) -> Result<Vec<ChainReport>, sqlx::Error> {
    let fingerprint = key.fingerprint();
    let ours: Vec<&Checkpoint> = checkpoints
        .iter()
        .filter(|c| c.key == fingerprint && (clinic.is_none() || c.chain == clinic))
        .collect();
    let recorded: HashMap<(Option<Uuid>, i64), &str> = ours
        .iter()
        .map(|c| ((c.chain, c.seq), c.hash.as_str()))
        .collect();
    let mut reached: BTreeMap<Option<Uuid>, i64> = BTreeMap::new();
    for c in &ours {
        let seq = reached.entry(c.chain).or_default();
        *seq = (*seq).max(c.seq);
    }

    let mut done: BTreeMap<Option<Uuid>, Walk> = BTreeMap::new();
    let mut walk: Option<Walk> = None;
    let mut rows = sqlx::query!(
        r#"
        select l.event_id as id, l.chain_seq as seq, l.clinic_id, l.prev_hash, l.hash,
               e.id is not null as "present!",
               to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
                   as "occurred?",
               e.clinic_id as event_clinic_id, e.actor_user_id as "actor_user_id?",
               e.actor_role as "actor_role?", e.action as "action?",
               e.entity_type as "entity_type?", e.entity_id as "entity_id?",
               e.before_value::text as before_value, e.after_value::text as after_value,
               host(e.client_addr) as client_addr, e.user_agent as "user_agent?",
               e.request_id as "request_id?", e.outcome as "outcome?"
        from audit_links l
        left join audit_events e on e.id = l.event_id
        where ($1::uuid is null or l.clinic_id = $1)
        order by l.clinic_id, l.chain_seq
        "#,
        clinic
    )
    .fetch(pool);
    while let Some(r) = rows.try_next().await? {
        if walk
            .as_ref()
            .is_none_or(|w| w.report.clinic_id != r.clinic_id)
        {
            if let Some(w) = walk.take() {
                done.insert(w.report.clinic_id, w);
            }
            walk = Some(Walk::new(r.clinic_id, key));
        }
        let w = walk.as_mut().expect("set above");
        w.report.events += 1;
        if r.seq != w.last_seq + 1 || r.prev_hash != w.last_hash {
            w.broken(r.seq, Some(r.id), BreakReason::OutOfPlace);
        }
        if !r.present {
            w.broken(r.seq, Some(r.id), BreakReason::Removed);
        } else {
            // The content digest takes the event's own clinic: an event
            // moved to another clinic no longer matches its link.
            let content = content_digest(&Columns {
                id: r.id,
                clinic_id: r.event_clinic_id,
                occurred: r.occurred.unwrap_or_default(),
                actor_user_id: r.actor_user_id,
                actor_role: r.actor_role,
                action: r.action.unwrap_or_default(),
                entity_type: r.entity_type,
                entity_id: r.entity_id,
                before_value: r.before_value,
                after_value: r.after_value,
                client_addr: r.client_addr,
                user_agent: r.user_agent,
                request_id: r.request_id,
                outcome: r.outcome.unwrap_or_default(),
            });
            if key.link(r.clinic_id, r.seq, &r.prev_hash, &content) != r.hash {
                w.broken(r.seq, Some(r.id), BreakReason::Altered);
            }
        }
        if let Some(expected) = recorded.get(&(r.clinic_id, r.seq))
            && *expected != hex(&r.hash)
        {
            w.broken(r.seq, Some(r.id), BreakReason::DiffersFromCheckpoint);
        }
        w.last_seq = r.seq;
        w.last_hash = r.hash;
    }
    drop(rows);
    if let Some(w) = walk.take() {
        done.insert(w.report.clinic_id, w);
    }

    for (chain, checkpoint_seq) in reached {
        let w = done.entry(chain).or_insert_with(|| Walk::new(chain, key));
        if w.last_seq < checkpoint_seq {
            let seq = w.last_seq + 1;
            w.broken(seq, None, BreakReason::Missing { checkpoint_seq });
        }
    }
    let pending = sqlx::query!(
        r#"select e.clinic_id, count(*) as "n!" from audit_events e
           where not exists (select 1 from audit_links l where l.event_id = e.id)
             and ($1::uuid is null or e.clinic_id = $1)
           group by e.clinic_id"#,
        clinic
    )
    .fetch_all(pool)
    .await?;
    for p in pending {
        done.entry(p.clinic_id)
            .or_insert_with(|| Walk::new(p.clinic_id, key))
            .report
            .pending = p.n;
    }
    Ok(done.into_values().map(|w| w.report).collect())
}

/// How many checkpoints were made under another key (and so could not be
/// compared): after a key change, or a file from another installation.
pub fn foreign_checkpoints(key: &ChainKey, checkpoints: &[Checkpoint]) -> usize {
    let fingerprint = key.fingerprint();
    checkpoints.iter().filter(|c| c.key != fingerprint).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_digest_separates_fields_and_marks_nulls() {
        let base = Columns {
            id: 7,
            clinic_id: None,
            occurred: "2026-12-02T10:00:00.000000".into(),
            actor_user_id: None,
            actor_role: Some("doctor".into()),
            action: "VIEW".into(),
            entity_type: Some("patient".into()),
            entity_id: Some("p".into()),
            before_value: None,
            after_value: None,
            client_addr: None,
            user_agent: None,
            request_id: None,
            outcome: "success".into(),
        };
        let digest = content_digest(&base);
        // A value moved from one field to the next, or a null written as
        // the text "\N"'s neighbour, digests differently.
        let shifted = Columns {
            entity_type: Some("patientp".into()),
            entity_id: Some(String::new()),
            ..base
        };
        let shifted_digest = content_digest(&shifted);
        assert_ne!(shifted_digest, digest);
        let empty_not_null = Columns {
            before_value: Some(String::new()),
            ..shifted
        };
        assert_ne!(content_digest(&empty_not_null), shifted_digest);
    }

    #[test]
    fn the_earliest_break_is_the_one_reported() {
        let key = ChainKey::derive(&crate::server::crypto::SecretKey::random());
        let mut w = Walk::new(None, &key);
        w.broken(5, Some(50), BreakReason::Altered);
        w.broken(3, None, BreakReason::Missing { checkpoint_seq: 9 });
        w.broken(4, Some(40), BreakReason::OutOfPlace);
        assert_eq!(w.report.first_broken.unwrap().seq, 3);
    }
}
