//! The platform admin's overview.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::paging::Page;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClinicStats {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub status: String,
    pub staff: i64,
    pub patients: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignInEntry {
    pub occurred_at: DateTime<Utc>,
    pub succeeded: bool,
    pub email: String,
    pub client_addr: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlatformOverview {
    pub clinics: Page<ClinicStats>,
    pub sign_ins: Vec<SignInEntry>,
}
