//! Checkpoints of the chains' heads, kept outside the database: one JSON
//! line per chain head, appended to a file (HMS_AUDIT_CHECKPOINTS) and
//! written to the log. Without them, deleting the newest events of a chain
//! leaves a shorter chain that verifies; with them, `verify` knows how far
//! each chain reached and what its event there hashed to.
//!
//! The file is only as safe as where it is kept: ship it (or the log lines)
//! to storage the database's administrators cannot rewrite (README).

use std::io::{BufRead, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::chain::{ChainKey, Head};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub at: DateTime<Utc>,
    /// The clinic, or `None` for the platform's chain.
    pub chain: Option<Uuid>,
    pub seq: i64,
    /// The head event's hash, in hexadecimal.
    pub hash: String,
    /// The chain key's fingerprint.
    pub key: String,
}

impl Checkpoint {
    pub fn of(head: &Head, key: &ChainKey) -> Self {
        Self {
            at: Utc::now(),
            chain: head.chain,
            seq: head.seq,
            hash: hex(&head.hash),
            key: key.fingerprint(),
        }
    }
}

pub use crate::server::crypto::hex;

/// Appends one line per head (creating the file, readable by its owner
/// only) and logs each.
pub fn append(path: &Path, heads: &[Head], key: &ChainKey) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if heads.is_empty() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut lines = String::new();
    for head in heads {
        let checkpoint = Checkpoint::of(head, key);
        tracing::info!(
            chain = %checkpoint.chain.map_or_else(|| "platform".into(), |c| c.to_string()),
            seq = checkpoint.seq,
            hash = %checkpoint.hash,
            key = %checkpoint.key,
            "audit checkpoint"
        );
        lines.push_str(&serde_json::to_string(&checkpoint).expect("a checkpoint serialises"));
        lines.push('\n');
    }
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(lines.as_bytes())?;
    file.sync_data()
}

/// Every checkpoint in the file, oldest first. A line that is not a
/// checkpoint is an error: the file is evidence, and a damaged one says so.
pub fn read(path: &Path) -> anyhow::Result<Vec<Checkpoint>> {
    let file = std::fs::File::open(path)?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let checkpoint = serde_json::from_str(&line).map_err(|e| {
            anyhow::anyhow!(
                "{}: line {} is not a checkpoint: {e}",
                path.display(),
                n + 1
            )
        })?;
        out.push(checkpoint);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::crypto::SecretKey;

    #[test]
    fn checkpoints_round_trip_through_the_file_and_bad_lines_are_errors() {
        let dir = std::env::temp_dir().join(format!("hms-cp-{}", Uuid::now_v7().simple()));
        let path = dir.join("checkpoints.jsonl");
        let key = ChainKey::derive(&SecretKey::random());
        let clinic = Some(Uuid::now_v7());
        let heads = [
            Head {
                chain: None,
                seq: 3,
                hash: vec![0xab; 32],
            },
            Head {
                chain: clinic,
                seq: 9,
                hash: vec![0x01; 32],
            },
        ];
        append(&path, &heads[..1], &key).unwrap();
        append(&path, &heads[1..], &key).unwrap();
        let read_back = read(&path).unwrap();
        assert_eq!(read_back.len(), 2);
        assert_eq!((read_back[0].chain, read_back[0].seq), (None, 3));
        assert_eq!(read_back[1].chain, clinic);
        assert_eq!(read_back[1].hash, "01".repeat(32));
        assert_eq!(read_back[1].key, key.fingerprint());
        std::fs::write(&path, "{\"not\": \"a checkpoint\"}\n").unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
