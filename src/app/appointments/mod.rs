//! Appointments: at the front desk the clinic's day, booking into a
//! doctor's free time, and one appointment's check-in, moving and
//! cancelling; in
//! the portal the patient's own, booked and cancelled by themself.

mod appointment_page;
mod booking_page;
mod booking_parts;
mod booking_patient;
mod booking_pause;
mod calendar_controls;
mod calendar_free_times;
mod day_page;
mod my_appointment_page;
mod my_booking_page;
mod my_fns;
mod my_list_page;
mod pause_fns;
mod reschedule_page;
mod server_fns;
mod status;
mod week_page;

pub use appointment_page::AppointmentDetailsPage;
pub use booking_page::BookAppointmentPage;
pub use booking_pause::BookingPauseCard;
pub use day_page::AppointmentsPage;
pub use my_appointment_page::MyAppointmentPage;
pub use my_booking_page::BookMyAppointmentPage;
pub use my_fns::*;
pub use my_list_page::MyAppointmentsPage;
pub use pause_fns::*;
pub use reschedule_page::RescheduleAppointmentPage;
pub use server_fns::*;
pub use status::doctor_options;
pub use week_page::AppointmentWeekPage;
