//! Signing in, sessions and password reset.

mod password_reset;
mod sign_in;
