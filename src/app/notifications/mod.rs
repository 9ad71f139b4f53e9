//! The notification centre: the bell in the header of every clinic page
//! (with the unread count, kept current by the person's own event stream)
//! and `/c/{slug}/notifications`, their list with "Mark read".

mod bell;
mod notifications_page;
mod server_fns;

pub use bell::NotificationBell;
pub use notifications_page::NotificationsPage;
pub use server_fns::*;
