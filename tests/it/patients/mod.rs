//! Patient records: registering them, the register's counts and search.

mod counts;
mod demographics;
mod registration;
mod search;
mod search_handles;
