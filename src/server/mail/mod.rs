//! Email: messages are written to an outbox in the transaction that causes
//! them and delivered by a background sender, over SMTP or into `.eml` files.

pub mod compose;
pub mod config;
pub mod outbox;
pub mod sender;
pub mod transport;

use std::time::Duration;

use config::{MailConfig, TransportConfig};

/// How long a claimed message is held before a stopped sender's attempt
/// counts as interrupted: well past the longest delivery.
pub fn lease_for(config: &MailConfig) -> Duration {
    match &config.transport {
        TransportConfig::Smtp(s) => s.timeout * 2 + Duration::from_secs(30),
        TransportConfig::File { .. } => Duration::from_secs(60),
    }
}
