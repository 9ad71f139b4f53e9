//! Reusable UI: the app shell and the building blocks every page uses.
//! Touch targets are at least 44 px, focus is always visible, and colours meet
//! WCAG 2.1 AA contrast on their backgrounds.

pub mod action_errors;
pub mod alert;
pub mod badge;
pub mod button;
pub mod card;
pub mod data_table;
pub mod empty_state;
pub mod field;
pub mod form;
pub mod icons;
pub mod modal;
pub mod notice;
pub mod print_button;
pub mod shell;
pub mod skeleton;
pub mod stat_tile;
pub mod toast;

/// Focus ring shared by every interactive element.
pub const FOCUS_RING: &str =
    "focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-teal-700";
