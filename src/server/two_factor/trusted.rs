//! "Do not ask again on this device for 30 days". The device keeps a random
//! token in an HttpOnly cookie; the database keeps its SHA-256 per person who
//! trusted the device. Changing the password, a reset, turning two-factor
//! off or "forget trusted devices" removes them.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::server::crypto::link_token;

pub const COOKIE: &str = "hms_device";
pub const TRUST_DAYS: i64 = 30;

/// The device token's hash from a request's cookies, if it carries one of
/// ours.
pub fn token_hash(headers: &http::HeaderMap) -> Option<[u8; 32]> {
    token(headers).and_then(|t| link_token::hash_token(&t))
}

fn token(headers: &http::HeaderMap) -> Option<String> {
    crate::server::http::request_cookie(headers, COOKIE)
}

/// Whether the person trusted this device and the trust has not run out.
pub async fn is_trusted(
    conn: &mut PgConnection,
    user_id: Uuid,
    hash: Option<[u8; 32]>,
) -> Result<bool, sqlx::Error> {
    let Some(hash) = hash else {
        return Ok(false);
    };
    let found = sqlx::query_scalar!(
        "update trusted_devices set last_used_at = now()
          where user_id = $1 and token_hash = $2 and expires_at > now()
          returning id",
        user_id,
        &hash[..]
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Trusts the device for the person; returns the `Set-Cookie` value. A
/// device that already has a token (someone else trusted it) keeps it.
pub async fn trust(
    conn: &mut PgConnection,
    user_id: Uuid,
    headers: &http::HeaderMap,
    user_agent: Option<&str>,
    secure: bool,
) -> Result<String, sqlx::Error> {
    let (token, hash) =
        match token(headers).and_then(|t| link_token::hash_token(&t).map(|h| (t, h))) {
            Some(known) => known,
            None => link_token::new_token(),
        };
    let agent: Option<String> = user_agent.map(|a| a.chars().take(512).collect());
    sqlx::query!(
        "insert into trusted_devices (user_id, token_hash, user_agent, expires_at)
         values ($1, $2, $3, now() + make_interval(days => $4))
         on conflict (user_id, token_hash) do update
           set expires_at = excluded.expires_at, last_used_at = now(), user_agent = excluded.user_agent",
        user_id,
        &hash[..],
        agent,
        TRUST_DAYS as i32
    )
    .execute(&mut *conn)
    .await?;
    Ok(cookie(&token, secure))
}

fn cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
        TRUST_DAYS * 24 * 3600,
        if secure { "; Secure" } else { "" }
    )
}

/// Removes every device the person trusted; returns how many.
pub async fn forget_all(conn: &mut PgConnection, user_id: Uuid) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from trusted_devices where user_id = $1", user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_among_other_cookies() {
        let (token, hash) = link_token::new_token();
        let mut headers = http::HeaderMap::new();
        headers.append(
            http::header::COOKIE,
            format!("hms_session=abc; {COOKIE}={token}; other=1")
                .parse()
                .unwrap(),
        );
        assert_eq!(token_hash(&headers), Some(hash));
        let mut forged = http::HeaderMap::new();
        forged.append(
            http::header::COOKIE,
            format!("{COOKIE}=not-a-token").parse().unwrap(),
        );
        assert_eq!(token_hash(&forged), None);
        assert_eq!(token_hash(&http::HeaderMap::new()), None);
    }

    #[test]
    fn the_cookie_is_http_only_and_secure_on_https() {
        let c = cookie("t", true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("; Secure"));
        assert!(!cookie("t", false).contains("Secure"));
        assert!(c.contains("Max-Age=2592000"));
    }
}
