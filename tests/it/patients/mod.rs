//! Patient records: the register's counts and search.

mod counts;
mod search;
mod search_handles;
