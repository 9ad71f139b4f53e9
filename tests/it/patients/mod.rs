//! Patient records: registering them, the register's counts and search.

mod counts;
mod registration;
mod search;
mod search_handles;
