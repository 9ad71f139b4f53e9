//! Writing and verifying the audit trail (see migrations/*_audit_events.sql).
//!
//! Writes go in the same transaction as the change they describe, so an
//! event exists exactly when its change does.

pub mod chain;
pub mod checkpoint;
pub mod log;
pub mod verify;

pub use verify::{Break, BreakReason, ChainReport, verify};

use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::audit::{AuditAction, AuditEntity, AuditOutcome};

/// Where a request came from, for the trail.
#[derive(Clone, Debug, Default)]
pub struct RequestOrigin {
    pub client_addr: Option<std::net::IpAddr>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

/// One event to record. `clinic_id` is `None` for platform-level events.
#[derive(Clone, Debug)]
pub struct NewAuditEvent {
    pub clinic_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub actor_role: Option<String>,
    pub action: AuditAction,
    pub entity_type: Option<AuditEntity>,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub outcome: AuditOutcome,
    pub origin: RequestOrigin,
}

impl NewAuditEvent {
    pub fn new(clinic_id: Option<Uuid>, action: AuditAction) -> Self {
        Self {
            clinic_id,
            actor_user_id: None,
            actor_role: None,
            action,
            entity_type: None,
            entity_id: None,
            before: None,
            after: None,
            outcome: AuditOutcome::Success,
            origin: RequestOrigin::default(),
        }
    }

    /// The event is about `entity` with this id.
    pub fn about(mut self, entity: AuditEntity, id: impl ToString) -> Self {
        self.entity_type = Some(entity);
        self.entity_id = Some(id.to_string());
        self
    }
}

/// Longest user agent kept; longer ones are cut, not refused (the event matters more).
const MAX_USER_AGENT: usize = 512;

impl RequestOrigin {
    /// The client address, user agent and request id of a request.
    pub fn from_parts(parts: &http::request::Parts) -> Self {
        // The address trusted proxies report (http::client_addr), else the peer.
        let client_addr = parts
            .extensions
            .get::<crate::server::http::client_addr::ClientAddr>()
            .map(|c| c.0)
            .or_else(|| {
                parts
                    .extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| c.0.ip())
            });
        let request_id = parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Self {
            client_addr,
            user_agent: crate::server::auth::user_agent(parts),
            request_id,
        }
    }

    pub fn user_agent_for_storage(&self) -> Option<String> {
        self.user_agent
            .as_deref()
            .map(|ua| ua.chars().take(MAX_USER_AGENT).collect::<String>())
    }
}

/// Appends an event, unlinked: the linker (`chain`) links it into its
/// chain within a second or so. No lock is taken, so audited reads of one
/// clinic do not wait for each other.
pub async fn record(conn: &mut PgConnection, e: &NewAuditEvent) -> Result<(), sqlx::Error> {
    let user_agent = e.origin.user_agent_for_storage();
    let request_id = e
        .origin
        .request_id
        .as_deref()
        .map(|r| r.chars().take(64).collect::<String>());
    let client_addr = e
        .origin
        .client_addr
        .map(sqlx::types::ipnetwork::IpNetwork::from);
    sqlx::query!(
        r#"
        insert into audit_events
            (clinic_id, actor_user_id, actor_role, action, entity_type, entity_id,
             before_value, after_value, client_addr, user_agent, request_id, outcome)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        "#,
        e.clinic_id,
        e.actor_user_id,
        e.actor_role,
        e.action.as_str(),
        e.entity_type.map(AuditEntity::as_str),
        e.entity_id,
        e.before,
        e.after,
        client_addr,
        user_agent,
        request_id,
        e.outcome.as_str(),
    )
    .execute(conn)
    .await?;
    Ok(())
}
