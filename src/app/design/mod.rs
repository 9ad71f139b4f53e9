//! `/design`: every shared component on one page, for people building HMS.
//! Debug builds only; a release build answers 404 here.

#[cfg(debug_assertions)]
mod catalogue;
mod design_page;

pub use design_page::DesignPage;
