//! Ten one-time recovery codes, for a lost or reset phone. Only their hashes
//! are stored (SHA-256 of the account id and the code: 60 random bits each,
//! too many to try), and each works once.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::two_factor::{
    RECOVERY_ALPHABET, RECOVERY_CODE_CHARS, RECOVERY_CODE_COUNT, format_recovery_code,
};

fn new_code() -> String {
    let mut raw = [0u8; RECOVERY_CODE_CHARS];
    rand::rng().fill_bytes(&mut raw);
    // 256 is a multiple of 32, so every symbol is equally likely.
    raw.iter()
        .map(|b| char::from(RECOVERY_ALPHABET[usize::from(b % 32)]))
        .collect()
}

fn hash(user_id: Uuid, code: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(user_id.as_bytes());
    h.update(code.as_bytes());
    h.finalize().to_vec()
}

/// Replaces the account's codes with ten new ones, returned for showing once
/// (formatted "xxxx-xxxx-xxxx").
pub async fn replace(conn: &mut PgConnection, user_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query!("delete from recovery_codes where user_id = $1", user_id)
        .execute(&mut *conn)
        .await?;
    let codes: Vec<String> = (0..RECOVERY_CODE_COUNT).map(|_| new_code()).collect();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| hash(user_id, c)).collect();
    sqlx::query!(
        "insert into recovery_codes (user_id, code_hash) select $1, h from unnest($2::bytea[]) h",
        user_id,
        &hashes
    )
    .execute(&mut *conn)
    .await?;
    Ok(codes.iter().map(|c| format_recovery_code(c)).collect())
}

/// Uses up `code` (already normalised) if it is one of the account's unused
/// codes.
pub async fn use_code(
    conn: &mut PgConnection,
    user_id: Uuid,
    code: &str,
) -> Result<bool, sqlx::Error> {
    let used = sqlx::query_scalar!(
        "update recovery_codes set used_at = now()
          where user_id = $1 and code_hash = $2 and used_at is null
          returning id",
        user_id,
        hash(user_id, code)
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(used.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::two_factor::normalise_recovery_code;

    #[test]
    fn codes_are_random_readable_and_hashed_per_account() {
        let a = new_code();
        assert_eq!(a.len(), RECOVERY_CODE_CHARS);
        assert_eq!(
            normalise_recovery_code(&format_recovery_code(&a)),
            Some(a.clone())
        );
        assert_ne!(new_code(), a);
        let (one, two) = (Uuid::now_v7(), Uuid::now_v7());
        assert_ne!(hash(one, &a), hash(two, &a));
        assert_eq!(hash(one, &a).len(), 32);
    }
}
