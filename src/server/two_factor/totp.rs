//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA-1,
//! 30-second steps, six digits, the defaults every authenticator app knows.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

use crate::domain::two_factor::TOTP_DIGITS;

pub const STEP_SECS: i64 = 30;
/// Steps either side of now still accepted: phones' clocks drift, and a code
/// typed in its last seconds arrives in the next step.
const DRIFT_STEPS: i64 = 1;
/// 160 bits, the HMAC-SHA-1 block the RFC recommends.
pub const SECRET_BYTES: usize = 20;

pub fn new_secret() -> [u8; SECRET_BYTES] {
    let mut secret = [0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut secret);
    secret
}

/// The 30-second step a Unix time falls in.
pub fn step_at(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// HOTP (RFC 4226, section 5.3) for a counter.
pub fn code_for_step(secret: &[u8], step: i64) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    let modulus = 10u32.pow(TOTP_DIGITS as u32);
    format!("{:0width$}", binary % modulus, width = TOTP_DIGITS)
}

/// The step whose code `typed` is, if it is within the drift window around
/// `now_step` and later than `last_used_step` (a code works once). Every
/// candidate is compared in full, so timing says nothing about which matched.
pub fn matching_step(
    secret: &[u8],
    typed: &str,
    now_step: i64,
    last_used_step: i64,
) -> Option<i64> {
    let mut found = None;
    for step in now_step - DRIFT_STEPS..=now_step + DRIFT_STEPS {
        let same = constant_time_eq(code_for_step(secret, step).as_bytes(), typed.as_bytes());
        if same && step > last_used_step && found.is_none() {
            found = Some(step);
        }
    }
    found
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// RFC 4648 base 32 without padding, as authenticator apps take keys.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The key in groups of four, for typing in by hand.
pub fn grouped(text: &str) -> String {
    text.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `otpauth://` address apps read from the QR code (Google's key-URI
/// format), labelled with the issuer and the account's email.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={}&period={}",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer),
        TOTP_DIGITS,
        STEP_SECS
    )
}

/// Percent-encoding for the key URI: unreserved characters pass, spaces are
/// `%20` (not `+`, which apps would show).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B (SHA-1 key), last six of the eight digits.
    #[test]
    fn codes_match_the_rfc_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(code_for_step(secret, step_at(time)), code, "at {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_only_once() {
        let secret = new_secret();
        let now = step_at(1_800_000_000);
        for step in [now - 1, now, now + 1] {
            let code = code_for_step(&secret, step);
            assert_eq!(matching_step(&secret, &code, now, 0), Some(step));
            // Used already: the same step (or an earlier one) is refused.
            assert_eq!(matching_step(&secret, &code, now, step), None);
        }
        for far in [now - 2, now + 2] {
            let code = code_for_step(&secret, far);
            if code != code_for_step(&secret, now) {
                assert_eq!(matching_step(&secret, &code, now, 0), None);
            }
        }
        assert_eq!(matching_step(&secret, "12345", now, 0), None);
    }

    #[test]
    fn keys_are_base32_as_rfc_4648_writes_them() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(&new_secret()).len(), 32);
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }

    #[test]
    fn the_qr_code_carries_an_otpauth_address() {
        let uri = otpauth_uri(
            "HMS Riverside",
            "ada@riverside.example",
            b"12345678901234567890",
        );
        assert_eq!(
            uri,
            "otpauth://totp/HMS%20Riverside:ada%40riverside.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=HMS%20Riverside&algorithm=SHA1&digits=6&period=30"
        );
        let image = crate::server::qr::data_uri(&uri);
        assert!(image.starts_with("data:image/svg+xml;base64,"));
        assert!(image.len() > 1000);
    }
}
