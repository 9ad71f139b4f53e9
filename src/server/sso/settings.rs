//! A clinic's single sign-on settings in the database. The client secret is
//! sealed before it is written and opened only to talk to the provider.

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::flow::ClientSettings;
use super::provider::Providers;
use crate::domain::AppError;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::sso::{NewUsers, SsoSettings, SsoSettingsView};
use crate::server::access::ClinicAccess;
use crate::server::audit;
use crate::server::crypto::SecretKey;

/// Settings as stored, secret still sealed.
#[derive(Clone, Debug)]
pub struct Stored {
    pub clinic_id: Uuid,
    pub display_name: String,
    pub issuer_url: String,
    pub client_id: String,
    pub sealed_secret: Vec<u8>,
    pub allowed_domains: Vec<String>,
    pub new_users: NewUsers,
    pub enabled: bool,
}

impl Stored {
    /// The provider client's settings, if this server's key opens the secret.
    pub fn client(&self, key: Option<&SecretKey>) -> Option<ClientSettings> {
        let secret = key?
            .open(self.clinic_id.as_bytes(), &self.sealed_secret)
            .and_then(|plain| String::from_utf8(plain).ok());
        if secret.is_none() {
            tracing::error!(
                clinic = %self.clinic_id,
                "the SSO client secret does not open with HMS_SECRET_KEY (was the key changed?)"
            );
        }
        Some(ClientSettings {
            issuer_url: self.issuer_url.clone(),
            client_id: self.client_id.clone(),
            client_secret: secret?,
        })
    }
}

/// The address providers send people back to.
pub fn redirect_uri(base_url: &str) -> String {
    format!("{}/sso/callback", base_url.trim_end_matches('/'))
}

/// The settings of the clinic the transaction is inside, if any.
pub async fn load(conn: &mut PgConnection) -> Result<Option<Stored>, AppError> {
    let row = sqlx::query!(
        r#"select clinic_id, display_name, issuer_url, client_id, client_secret_sealed,
                  allowed_domains, new_users, provision_role, enabled
           from clinic_sso_settings where clinic_id = app_clinic_id()"#
    )
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let new_users =
        NewUsers::from_stored(&r.new_users, r.provision_role.as_deref()).ok_or_else(|| {
            tracing::error!(clinic = %r.clinic_id, "stored SSO settings have an unknown mode");
            AppError::Internal
        })?;
    Ok(Some(Stored {
        clinic_id: r.clinic_id,
        display_name: r.display_name,
        issuer_url: r.issuer_url,
        client_id: r.client_id,
        sealed_secret: r.client_secret_sealed,
        allowed_domains: r.allowed_domains,
        new_users,
        enabled: r.enabled,
    }))
}

pub async fn view(
    conn: &mut PgConnection,
    base_url: &str,
    can_store_secrets: bool,
) -> Result<SsoSettingsView, AppError> {
    let stored = load(conn).await?;
    Ok(match stored {
        Some(s) => SsoSettingsView {
            configured: true,
            display_name: s.display_name,
            issuer_url: s.issuer_url,
            client_id: s.client_id,
            allowed_domains: s.allowed_domains,
            new_users: Some(s.new_users),
            enabled: s.enabled,
            redirect_uri: redirect_uri(base_url),
            can_store_secrets,
        },
        None => SsoSettingsView {
            configured: false,
            display_name: String::new(),
            issuer_url: String::new(),
            client_id: String::new(),
            allowed_domains: Vec::new(),
            new_users: None,
            enabled: true,
            redirect_uri: redirect_uri(base_url),
            can_store_secrets,
        },
    })
}

/// Whether the clinic has saved settings already (the secret is then optional).
pub async fn exists(conn: &mut PgConnection) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select exists(select 1 from clinic_sso_settings where clinic_id = app_clinic_id()) as "exists!""#
    )
    .fetch_one(conn)
    .await?)
}

/// Saves the settings once the issuer's discovery document has been read
/// (an unreachable issuer or a bad document is a field error, nothing saved).
pub async fn save(
    conn: &mut PgConnection,
    access: &ClinicAccess,
    settings: &SsoSettings,
    key: Option<&SecretKey>,
    providers: &Providers,
) -> Result<(), AppError> {
    let Some(key) = key else {
        return Err(AppError::validation(
            "form",
            "This server has no key for storing client secrets (HMS_SECRET_KEY). Ask your HMS operator to set one.",
        ));
    };
    providers
        .discover(&settings.issuer_url)
        .await
        .map_err(|p| AppError::validation("issuer_url", p.message()))?;
    let clinic_id = access.membership.clinic_id;
    let sealed = settings
        .client_secret
        .as_deref()
        .map(|s| key.seal(clinic_id.as_bytes(), s.as_bytes()));
    let role = settings.new_users.role().map(|r| r.as_str());
    let created = !exists(conn).await?;
    if created {
        let Some(sealed) = &sealed else {
            return Err(AppError::validation(
                "client_secret",
                "Enter the client secret the provider gave HMS.",
            ));
        };
        sqlx::query!(
            r#"insert into clinic_sso_settings
                   (clinic_id, display_name, issuer_url, client_id, client_secret_sealed,
                    allowed_domains, new_users, provision_role, enabled, updated_by)
               values (app_clinic_id(), $1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
            settings.display_name,
            settings.issuer_url,
            settings.client_id,
            sealed,
            &settings.allowed_domains,
            settings.new_users.mode(),
            role,
            settings.enabled,
            access.user.user_id,
        )
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query!(
            r#"update clinic_sso_settings set
                   display_name = $1, issuer_url = $2, client_id = $3,
                   client_secret_sealed = coalesce($4, client_secret_sealed),
                   allowed_domains = $5, new_users = $6, provision_role = $7, enabled = $8,
                   updated_by = $9
               where clinic_id = app_clinic_id()"#,
            settings.display_name,
            settings.issuer_url,
            settings.client_id,
            sealed,
            &settings.allowed_domains,
            settings.new_users.mode(),
            role,
            settings.enabled,
            access.user.user_id,
        )
        .execute(&mut *conn)
        .await?;
    }
    let mut event = access.event(if created {
        AuditAction::Create
    } else {
        AuditAction::Update
    });
    event.entity_type = Some(AuditEntity::SsoSettings);
    event.entity_id = Some(clinic_id.to_string());
    event.after = Some(json!({
        "issuer_url": settings.issuer_url,
        "client_id": settings.client_id,
        "allowed_domains": settings.allowed_domains,
        "new_users": settings.new_users.mode(),
        "provision_role": role,
        "enabled": settings.enabled,
        "secret_changed": sealed.is_some(),
    }));
    audit::record(conn, &event).await?;
    Ok(())
}

/// What the sign-in page may offer (see `sso_sign_in_options` in the
/// migration: a security-definer lookup, since nobody is signed in).
pub async fn sign_in_options(
    pool: &sqlx::PgPool,
    slug: Option<&str>,
    domain: Option<&str>,
) -> Result<Vec<crate::domain::sso::SsoOption>, AppError> {
    let rows = sqlx::query!(
        r#"select slug as "slug!", clinic_name as "clinic_name!", display_name as "display_name!"
           from sso_sign_in_options($1, $2)"#,
        slug,
        domain
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::domain::sso::SsoOption {
            slug: r.slug,
            clinic_name: r.clinic_name,
            display_name: r.display_name,
        })
        .collect())
}
