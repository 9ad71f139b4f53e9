//! Appointments at the front desk: the clinic's day, booking into a
//! doctor's free time, and one appointment's check-in and cancelling.

mod appointment_page;
mod booking_page;
mod day_page;
mod server_fns;
mod status;

pub use appointment_page::AppointmentDetailsPage;
pub use booking_page::BookAppointmentPage;
pub use day_page::AppointmentsPage;
pub use server_fns::*;
