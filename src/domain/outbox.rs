//! Outgoing email as platform admins see it, and the sender's retry rules.

use serde::{Deserialize, Serialize};

/// Where a message is in its life (see migrations/*_mail_outbox.sql).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutboxStatus {
    Pending,
    Sending,
    Sent,
    Failed,
    /// The sender stopped mid-attempt: it may have been delivered.
    Unknown,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 5] = [
        OutboxStatus::Pending,
        OutboxStatus::Sending,
        OutboxStatus::Sent,
        OutboxStatus::Failed,
        OutboxStatus::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "Waiting",
            OutboxStatus::Sending => "Sending",
            OutboxStatus::Sent => "Sent",
            OutboxStatus::Failed => "Failed",
            OutboxStatus::Unknown => "Delivery unknown",
        }
    }

    /// A platform admin may send it again: it failed, or nobody knows
    /// whether it arrived (the admin decides; the sender never does).
    pub fn can_retry(self) -> bool {
        matches!(self, OutboxStatus::Failed | OutboxStatus::Unknown)
    }
}

/// One message in the platform admin's outbox list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: uuid::Uuid,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub clinic: Option<String>,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_error: Option<String>,
}

/// Attempts before a message that keeps failing is given up (about 3 hours
/// of retrying with [`retry_delay`]).
pub const MAX_ATTEMPTS: i32 = 10;

/// How long to wait after the `attempts`-th failed attempt: 30 s, doubling,
/// at most an hour, so a mail server that is down for a while is not hammered
/// and one that is back soon is used soon.
pub fn retry_delay(attempts: i32) -> chrono::Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 7) as u32;
    chrono::Duration::seconds((30_i64 << doublings).min(3600))
}

/// What an outbox email is, in words, by the `kind` its sender stores.
/// An unknown kind (from a newer version) shows as stored.
pub fn email_kind_label(kind: &str) -> String {
    match kind {
        "password_reset" => "Password reset",
        "invitation" => "Staff invitation",
        "portal_invitation" => "Patient portal invitation",
        "sso_approved" => "Single sign-on approved",
        "registration_verify" => "Hospital registration: confirm address",
        "registration_pending" => "Hospital registration: awaiting approval",
        "registration_rejected" => "Hospital registration: not approved",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_only_ended_ones_retry() {
        for s in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(OutboxStatus::parse("sent; drop"), None);
        let retryable: Vec<_> = OutboxStatus::ALL
            .into_iter()
            .filter(|s| s.can_retry())
            .collect();
        assert_eq!(retryable, [OutboxStatus::Failed, OutboxStatus::Unknown]);
    }

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        let secs: Vec<i64> = (1..=10).map(|n| retry_delay(n).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        assert_eq!(retry_delay(0).num_seconds(), 30);
        assert_eq!(retry_delay(i32::MAX).num_seconds(), 3600);
        let total: i64 = (1..MAX_ATTEMPTS)
            .map(|n| retry_delay(n).num_seconds())
            .sum();
        assert!((3 * 3600..6 * 3600).contains(&total), "{total}");
    }

    #[test]
    fn every_kind_the_server_sends_has_words() {
        for kind in [
            "password_reset",
            "invitation",
            "portal_invitation",
            "sso_approved",
            "registration_verify",
            "registration_pending",
            "registration_rejected",
        ] {
            assert!(!super::email_kind_label(kind).contains('_'), "{kind}");
        }
        assert_eq!(super::email_kind_label("new_kind"), "new_kind");
    }
}
