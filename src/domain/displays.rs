//! Waiting-room displays: the admin's links, and the board a screen shows
//! (tokens and where to go, never a name).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::{AppError, FieldErrors};
use super::local_time::LocalTime;

pub const MAX_NAME_CHARS: usize = 100;

/// The form that makes a display link.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisplayInput {
    pub name: String,
    /// A department's id, or empty for all.
    pub department: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewDisplay {
    pub name: String,
    pub department_id: Option<Uuid>,
}

pub fn parse_display(input: &DisplayInput) -> Result<NewDisplay, AppError> {
    let mut e = FieldErrors::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        e.add("name", "Name the screen, like “Main waiting room”.");
    } else if name.chars().count() > MAX_NAME_CHARS {
        e.add("name", "Use at most 100 characters.");
    } else if name.chars().any(char::is_control) {
        e.add("name", "Use letters, digits, spaces and punctuation only.");
    }
    let department_id = match input.department.trim() {
        "" => None,
        raw => match Uuid::parse_str(raw) {
            Ok(id) => Some(id),
            Err(_) => {
                e.add("department", "Choose a department, or all.");
                None
            }
        },
    };
    e.finish(NewDisplay {
        name,
        department_id,
    })
}

/// A display link as the admin's list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueDisplay {
    pub id: Uuid,
    pub name: String,
    /// None: every department.
    pub department: Option<String>,
    pub created_at: LocalTime,
    pub created_by: String,
    pub revoked: bool,
}

/// The admin's page: the displays, the departments to choose from, and
/// the link just made (shown once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisplaysPage {
    pub displays: super::paging::Page<QueueDisplay>,
    pub departments: Vec<(Uuid, String)>,
    /// The address of the display just made, shown this once.
    pub new_link: Option<String>,
}

/// One token on the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardLine {
    pub token: i32,
    pub department: String,
    pub doctor: Option<String>,
}

/// What a waiting-room screen shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub clinic_name: String,
    pub display_name: String,
    /// Called or with the doctor, by token.
    pub serving: Vec<BoardLine>,
    /// Waiting, in the order they will be called.
    pub next: Vec<BoardLine>,
}

/// How many waiting tokens a screen lists.
pub const NEXT_SHOWN: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_display_needs_a_name_and_may_keep_to_one_department() {
        let all = parse_display(&DisplayInput {
            name: " Main hall ".into(),
            department: String::new(),
        })
        .unwrap();
        assert_eq!((all.name.as_str(), all.department_id), ("Main hall", None));
        let id = Uuid::now_v7();
        let one = parse_display(&DisplayInput {
            name: "Cardiology".into(),
            department: id.to_string(),
        })
        .unwrap();
        assert_eq!(one.department_id, Some(id));
        for (field, bad) in [
            ("name", DisplayInput::default()),
            (
                "name",
                DisplayInput {
                    name: "x".repeat(101),
                    department: String::new(),
                },
            ),
            (
                "department",
                DisplayInput {
                    name: "Hall".into(),
                    department: "CARD".into(),
                },
            ),
        ] {
            assert!(
                parse_display(&bad)
                    .unwrap_err()
                    .field_message(field)
                    .is_some(),
                "{field}"
            );
        }
    }
}
