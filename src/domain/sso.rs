//! Single sign-on through a clinic's OpenID Connect provider: the settings a
//! clinic admin may save, which provider accounts may come in, and what the
//! person is told when they may not. Shared by the forms and the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::{AppError, FieldErrors};
use super::role::Role;

pub const MAX_DISPLAY_NAME_CHARS: usize = 60;
pub const MAX_ISSUER_CHARS: usize = 500;
pub const MAX_CLIENT_ID_CHARS: usize = 255;
pub const MAX_CLIENT_SECRET_CHARS: usize = 1024;
pub const MAX_DOMAINS: usize = 20;
pub const MAX_DOMAINS_CHARS: usize = 2000;
pub const MAX_REASON_CHARS: usize = 500;

/// Roles new people may be given without an admin looking at them: none
/// that sees more than the front desk, the lab or the ward does, and none
/// that needs a department.
pub const PROVISION_ROLES: [Role; 3] = [Role::Receptionist, Role::LabTechnician, Role::Nurse];

/// The settings form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoSettingsInput {
    pub display_name: String,
    pub issuer_url: String,
    pub client_id: String,
    /// Empty keeps the saved secret.
    #[serde(default)]
    pub client_secret: String,
    /// Separated by commas, spaces or lines.
    pub allowed_domains: String,
    /// "provision" or "approval".
    pub new_users: String,
    /// The role for provisioned people; empty when they wait for approval.
    #[serde(default)]
    pub provision_role: String,
    /// A checkbox: present ("on") when ticked.
    #[serde(default)]
    pub enabled: Option<String>,
}

/// Who may come in from the provider without being staff here yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewUsers {
    /// Given this role at once.
    Provision(Role),
    /// Wait for a clinic admin, who chooses their role.
    Approval,
}

impl NewUsers {
    pub fn mode(self) -> &'static str {
        match self {
            NewUsers::Provision(_) => "provision",
            NewUsers::Approval => "approval",
        }
    }

    pub fn role(self) -> Option<Role> {
        match self {
            NewUsers::Provision(r) => Some(r),
            NewUsers::Approval => None,
        }
    }

    pub fn from_stored(mode: &str, role: Option<&str>) -> Option<Self> {
        match (mode, role.and_then(Role::parse)) {
            ("provision", Some(r)) if PROVISION_ROLES.contains(&r) => Some(NewUsers::Provision(r)),
            ("approval", _) => Some(NewUsers::Approval),
            _ => None,
        }
    }
}

/// Settings a clinic admin may save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoSettings {
    pub display_name: String,
    pub issuer_url: String,
    pub client_id: String,
    /// `None` keeps the secret already saved.
    pub client_secret: Option<String>,
    pub allowed_domains: Vec<String>,
    pub new_users: NewUsers,
    pub enabled: bool,
}

/// What the settings page shows; the secret never leaves the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoSettingsView {
    pub configured: bool,
    pub display_name: String,
    pub issuer_url: String,
    pub client_id: String,
    pub allowed_domains: Vec<String>,
    pub new_users: Option<NewUsers>,
    pub enabled: bool,
    /// The address to register at the provider.
    pub redirect_uri: String,
    /// Whether this server can keep a client secret (HMS_SECRET_KEY is set).
    pub can_store_secrets: bool,
}

/// A clinic whose single sign-on the sign-in page offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoOption {
    pub slug: String,
    pub clinic_name: String,
    pub display_name: String,
}

/// Someone waiting for a clinic admin's decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequest {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    /// The latest request, in the clinic's time zone.
    pub requested_at: super::local_time::LocalTime,
    pub request_count: i32,
}

/// The settings page: the settings, the requests waiting and the
/// departments to approve people into.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SsoOverview {
    pub settings: SsoSettingsView,
    pub requests: super::paging::Page<AccessRequest>,
    pub departments: Vec<super::staff::Department>,
}

pub fn parse_sso_settings(
    input: &SsoSettingsInput,
    first_save: bool,
) -> Result<SsoSettings, AppError> {
    let mut errors = FieldErrors::new();
    let mut field = |name: &str, m: &str| errors.add(name, m);
    let display_name = input.display_name.trim().to_string();
    if display_name.is_empty() {
        field(
            "display_name",
            "Enter the name people know the provider by, such as “Google Workspace”.",
        );
    } else if display_name.chars().count() > MAX_DISPLAY_NAME_CHARS {
        field("display_name", "Use at most 60 characters.");
    } else if display_name.chars().any(char::is_control) {
        field("display_name", "Use letters, spaces and punctuation only.");
    }
    let issuer_url = input.issuer_url.trim().to_string();
    if let Err(m) = check_issuer_url(&issuer_url) {
        field("issuer_url", m);
    }
    let client_id = input.client_id.trim().to_string();
    if client_id.is_empty() {
        field("client_id", "Enter the client id the provider gave HMS.");
    } else if client_id.chars().count() > MAX_CLIENT_ID_CHARS {
        field("client_id", "Use at most 255 characters.");
    } else if client_id
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        field("client_id", "A client id has no spaces.");
    }
    let secret = input.client_secret.trim();
    let client_secret = if secret.is_empty() {
        if first_save {
            field(
                "client_secret",
                "Enter the client secret the provider gave HMS.",
            );
        }
        None
    } else if secret.chars().count() > MAX_CLIENT_SECRET_CHARS {
        field("client_secret", "Use at most 1,024 characters.");
        None
    } else if secret.chars().any(char::is_control) {
        field(
            "client_secret",
            "That secret has characters a provider never uses.",
        );
        None
    } else {
        Some(secret.to_string())
    };
    let allowed_domains = match parse_domains(&input.allowed_domains) {
        Ok(d) => d,
        Err(m) => {
            field("allowed_domains", &m);
            Vec::new()
        }
    };
    let new_users = match input.new_users.trim() {
        "approval" => Some(NewUsers::Approval),
        "provision" => match Role::parse(input.provision_role.trim()) {
            Some(r) if PROVISION_ROLES.contains(&r) => Some(NewUsers::Provision(r)),
            Some(_) => {
                field(
                    "provision_role",
                    "New people can be given the receptionist, lab technician or nurse role; others need an admin's approval.",
                );
                None
            }
            None => {
                field("provision_role", "Choose the role new people get.");
                None
            }
        },
        _ => {
            field(
                "new_users",
                "Choose what happens when someone new signs in.",
            );
            None
        }
    };
    match new_users {
        Some(new_users) if errors.is_empty() => Ok(SsoSettings {
            display_name,
            issuer_url,
            client_id,
            client_secret,
            allowed_domains,
            new_users,
            enabled: input.enabled.is_some(),
        }),
        _ => Err(AppError::from(errors)),
    }
}

/// An issuer must be https; plain http only on this machine (a provider run
/// for development or tests), where nothing travels over a network.
pub fn check_issuer_url(url: &str) -> Result<(), &'static str> {
    if url.is_empty() {
        return Err("Enter the issuer URL, such as https://accounts.google.com.");
    }
    if url.chars().count() > MAX_ISSUER_CHARS {
        return Err("Use at most 500 characters.");
    }
    let (secure, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err("The issuer URL starts with https://.");
    };
    let host_port = rest.split('/').next().unwrap_or_default();
    let bad = host_port.is_empty()
        || url.contains(['?', '#', '@'])
        || url.chars().any(|c| c.is_whitespace() || c.is_control());
    if bad {
        return Err(
            "Enter the issuer URL exactly as the provider publishes it, without spaces, ? or #.",
        );
    }
    let host = if host_port.starts_with('[') {
        host_port
            .split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default().to_string()
    };
    if !secure && !matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]") {
        return Err("The issuer URL must use https://.");
    }
    Ok(())
}

/// One domain, lower-cased: letters, digits and hyphens in dot-separated
/// labels, at least two labels.
pub fn parse_domain(raw: &str) -> Result<String, String> {
    let d = raw.trim().trim_start_matches('@').to_lowercase();
    let labels: Vec<&str> = d.split('.').collect();
    let ok = d.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
    if ok {
        Ok(d)
    } else {
        Err(format!(
            "“{}” is not a domain such as example.org.",
            raw.trim()
        ))
    }
}

pub fn parse_domains(raw: &str) -> Result<Vec<String>, String> {
    if raw.chars().count() > MAX_DOMAINS_CHARS {
        return Err("That list is too long.".into());
    }
    let mut domains: Vec<String> = Vec::new();
    for part in raw
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        let d = parse_domain(part)?;
        if !domains.contains(&d) {
            domains.push(d);
        }
    }
    if domains.is_empty() {
        return Err("Enter at least one email domain, such as example.org.".into());
    }
    if domains.len() > MAX_DOMAINS {
        return Err("Enter at most 20 domains.".into());
    }
    Ok(domains)
}

/// Why a sign-in through the provider did not let the person in. Stored in
/// the audit trail by name and shown on the sign-in page by its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SsoRefusal {
    /// No sign-in was started here, it was started too long ago, or the state
    /// that came back is not the one sent (a forged or replayed callback).
    StateMismatch,
    /// The person cancelled, or the provider refused them.
    ProviderDenied,
    /// The code exchange or the ID token failed verification (signature,
    /// issuer, audience, expiry, nonce), or the provider could not be reached.
    InvalidToken,
    NoEmail,
    EmailNotVerified,
    DomainNotAllowed,
    /// Their place in the clinic was ended by an admin.
    AccessEnded,
    AccountDisabled,
    /// The clinic has no (enabled) single sign-on.
    NotConfigured,
    /// The provider could not be reached or its discovery document read.
    ProviderUnavailable,
    /// The clinic admin turned down their request.
    Rejected,
    /// The HMS account with that email is linked to another account at the
    /// provider: the address was given to someone new there.
    IdentityConflict,
}

impl SsoRefusal {
    pub const ALL: [SsoRefusal; 12] = [
        SsoRefusal::StateMismatch,
        SsoRefusal::ProviderDenied,
        SsoRefusal::InvalidToken,
        SsoRefusal::NoEmail,
        SsoRefusal::EmailNotVerified,
        SsoRefusal::DomainNotAllowed,
        SsoRefusal::AccessEnded,
        SsoRefusal::AccountDisabled,
        SsoRefusal::NotConfigured,
        SsoRefusal::ProviderUnavailable,
        SsoRefusal::Rejected,
        SsoRefusal::IdentityConflict,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SsoRefusal::StateMismatch => "state_mismatch",
            SsoRefusal::ProviderDenied => "provider_denied",
            SsoRefusal::InvalidToken => "invalid_token",
            SsoRefusal::NoEmail => "no_email",
            SsoRefusal::EmailNotVerified => "email_not_verified",
            SsoRefusal::DomainNotAllowed => "domain_not_allowed",
            SsoRefusal::AccessEnded => "access_ended",
            SsoRefusal::AccountDisabled => "account_disabled",
            SsoRefusal::NotConfigured => "not_configured",
            SsoRefusal::ProviderUnavailable => "provider_unavailable",
            SsoRefusal::Rejected => "rejected",
            SsoRefusal::IdentityConflict => "identity_conflict",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// What the sign-in page says.
    pub fn message(self) -> &'static str {
        match self {
            SsoRefusal::StateMismatch => {
                "That single sign-on link has expired or was not started here. Please start again."
            }
            SsoRefusal::ProviderDenied => {
                "Single sign-on was cancelled at your organisation's sign-in page."
            }
            SsoRefusal::InvalidToken => {
                "Your organisation's sign-in could not be verified. Please try again, or ask your clinic admin to check the single sign-on settings."
            }
            SsoRefusal::NoEmail => {
                "Your organisation's account did not share an email address with HMS."
            }
            SsoRefusal::EmailNotVerified => {
                "Your organisation has not verified the email address on your account, so HMS cannot use it."
            }
            SsoRefusal::DomainNotAllowed => {
                "Accounts from that email domain cannot sign in to this clinic. Use your work account, or ask your clinic admin."
            }
            SsoRefusal::AccessEnded => {
                "Your access to this clinic has ended. Ask your clinic admin if this is a mistake."
            }
            SsoRefusal::AccountDisabled => "This account is disabled. Ask your clinic admin.",
            SsoRefusal::NotConfigured => "This clinic does not offer single sign-on.",
            SsoRefusal::ProviderUnavailable => {
                "Your organisation's sign-in service could not be reached. Please try again shortly."
            }
            SsoRefusal::Rejected => {
                "Your request to join this clinic was declined. Ask your clinic admin."
            }
            SsoRefusal::IdentityConflict => {
                "Your HMS account is linked to a different account at your organisation. Ask your clinic admin."
            }
        }
    }
}

/// The email's domain, if the provider allows it: the address's domain must
/// be listed, and so must Google's `hd` (hosted domain) when present.
pub fn domain_allowed(email: &str, hosted_domain: Option<&str>, allowed: &[String]) -> bool {
    let Some((_, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let listed = |d: &str| allowed.iter().any(|a| a.eq_ignore_ascii_case(d));
    listed(domain) && hosted_domain.is_none_or(listed)
}

/// A reason typed when turning a request down.
pub fn parse_reason(raw: &str) -> Result<String, AppError> {
    let reason = raw.trim().to_string();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::validation(
            "reason",
            "Use at most 500 characters.",
        ));
    }
    if reason
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        return Err(AppError::validation(
            "reason",
            "Use letters, spaces and punctuation only.",
        ));
    }
    Ok(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SsoSettingsInput {
        SsoSettingsInput {
            display_name: "Northfield Identity".into(),
            issuer_url: "https://id.northfield.example".into(),
            client_id: "hms".into(),
            client_secret: "s3cret".into(),
            allowed_domains: "Northfield.example, @staff.northfield.example\nnorthfield.example"
                .into(),
            new_users: "provision".into(),
            provision_role: "nurse".into(),
            enabled: Some("on".into()),
        }
    }

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(f) => f.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn good_settings_parse_with_domains_lower_cased_and_deduplicated() {
        let s = parse_sso_settings(&input(), true).unwrap();
        assert_eq!(
            s.allowed_domains,
            ["northfield.example", "staff.northfield.example"]
        );
        assert_eq!(s.new_users, NewUsers::Provision(Role::Nurse));
        assert_eq!(s.client_secret.as_deref(), Some("s3cret"));
        assert!(s.enabled);
    }

    #[test]
    fn the_secret_is_needed_the_first_time_only() {
        let mut i = input();
        i.client_secret = "  ".into();
        assert_eq!(
            fields(parse_sso_settings(&i, true).unwrap_err()),
            ["client_secret"]
        );
        assert_eq!(parse_sso_settings(&i, false).unwrap().client_secret, None);
    }

    #[test]
    fn powerful_roles_cannot_be_handed_out_without_approval() {
        for role in [
            "clinic_admin",
            "doctor",
            "head_of_department",
            "platform_admin",
            "patient",
        ] {
            let mut i = input();
            i.provision_role = role.into();
            assert_eq!(
                fields(parse_sso_settings(&i, true).unwrap_err()),
                ["provision_role"],
                "{role}"
            );
        }
        let mut i = input();
        i.new_users = "approval".into();
        i.provision_role = "doctor".into();
        assert_eq!(
            parse_sso_settings(&i, true).unwrap().new_users,
            NewUsers::Approval
        );
    }

    #[test]
    fn every_bad_field_is_reported_by_name() {
        let i = SsoSettingsInput {
            display_name: "x".repeat(61),
            issuer_url: "ftp://id.example".into(),
            client_id: "has space".into(),
            client_secret: "a\u{0}b".into(),
            allowed_domains: "not a domain!".into(),
            new_users: "maybe".into(),
            provision_role: String::new(),
            enabled: None,
        };
        assert_eq!(
            fields(parse_sso_settings(&i, true).unwrap_err()),
            [
                "display_name",
                "issuer_url",
                "client_id",
                "client_secret",
                "allowed_domains",
                "new_users"
            ]
        );
    }

    #[test]
    fn issuers_are_https_except_on_this_machine() {
        assert!(check_issuer_url("https://accounts.google.com").is_ok());
        assert!(check_issuer_url("https://login.microsoftonline.com/tenant/v2.0").is_ok());
        assert!(check_issuer_url("http://127.0.0.1:4100").is_ok());
        assert!(check_issuer_url("http://localhost:8080/realms/hms").is_ok());
        assert!(check_issuer_url("http://[::1]:9000").is_ok());
        for bad in [
            "",
            "http://id.example",
            "http://127.0.0.1.evil.example",
            "https://",
            "https://id.example/?x=1",
            "https://id.example/#f",
            "https://user@id.example",
            "https://id example",
            "javascript:alert(1)",
        ] {
            assert!(check_issuer_url(bad).is_err(), "{bad}");
        }
        assert!(check_issuer_url(&format!("https://{}.example", "a".repeat(500))).is_err());
    }

    #[test]
    fn domains_are_checked_one_by_one() {
        assert_eq!(parse_domain("@Example.ORG").unwrap(), "example.org");
        for bad in [
            "example",
            "-a.example",
            "a-.example",
            "a..example",
            "ex ample.org",
            "exämple.org",
        ] {
            assert!(parse_domain(bad).is_err(), "{bad}");
        }
        assert!(parse_domains("").is_err());
        let many: Vec<String> = (0..21).map(|i| format!("d{i}.example")).collect();
        assert!(parse_domains(&many.join(",")).is_err());
    }

    #[test]
    fn the_email_and_the_hosted_domain_must_both_be_allowed() {
        let allowed = vec!["northfield.example".to_string()];
        assert!(domain_allowed("amira@northfield.example", None, &allowed));
        assert!(domain_allowed(
            "amira@Northfield.Example",
            Some("northfield.example"),
            &allowed
        ));
        assert!(!domain_allowed("sam@elsewhere.example", None, &allowed));
        assert!(!domain_allowed(
            "amira@northfield.example",
            Some("elsewhere.example"),
            &allowed
        ));
        // A look-alike subdomain is a different domain.
        assert!(!domain_allowed("x@evil.northfield.example", None, &allowed));
        assert!(!domain_allowed("no-at-sign", None, &allowed));
    }

    #[test]
    fn every_refusal_round_trips_and_has_a_message() {
        for r in SsoRefusal::ALL {
            assert_eq!(SsoRefusal::parse(r.as_str()), Some(r));
            assert!(!r.message().is_empty());
        }
        assert_eq!(SsoRefusal::parse("nonsense"), None);
    }

    #[test]
    fn stored_modes_are_read_back_strictly() {
        assert_eq!(
            NewUsers::from_stored("provision", Some("nurse")),
            Some(NewUsers::Provision(Role::Nurse))
        );
        assert_eq!(NewUsers::from_stored("provision", Some("doctor")), None);
        assert_eq!(
            NewUsers::from_stored("approval", None),
            Some(NewUsers::Approval)
        );
        assert_eq!(NewUsers::from_stored("other", None), None);
    }
}
