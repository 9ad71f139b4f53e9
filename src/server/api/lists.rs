//! Lists in the API: `{"data": [...], "meta": {page, per_page, total,
//! total_pages, total_capped}}`, and the page a client asks for, read
//! strictly (a page the pages would quietly clamp is an error here: a
//! program that asks for page 0 has a bug worth telling it about).

use serde::{Deserialize, Serialize};

use crate::domain::paging::{MAX_PER_PAGE, Page, PageRequest};
use crate::domain::{AppError, FieldErrors};

pub const DEFAULT_PER_PAGE: u32 = 20;

/// `?page=&per_page=`, for a list with no other parameters.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// From 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// 1 to 100; 20 when not given.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// The page a list's `?page=&per_page=` asks for: 1-based, per_page
/// 1..=100 (20 when not given).
pub fn page_request(page: Option<u32>, per_page: Option<u32>) -> Result<PageRequest, AppError> {
    let mut errors = FieldErrors::new();
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
    if page == 0 {
        errors.add("page", "Pages are numbered from 1.");
    }
    if per_page == 0 || per_page > MAX_PER_PAGE {
        errors.add(
            "per_page",
            format!("Ask for 1 to {MAX_PER_PAGE} items a page."),
        );
    }
    errors.finish(PageRequest::new(page, per_page))
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ListMeta {
    pub page: u32,
    pub per_page: u32,
    /// All items, or a lower bound when `total_capped` (broad searches are
    /// counted only to 1,000 or just past the page asked for, as the pages
    /// count them).
    pub total: u64,
    pub total_pages: u32,
    pub total_capped: bool,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct List<T> {
    pub data: Vec<T>,
    pub meta: ListMeta,
}

impl<T> List<T> {
    pub fn from_page<U>(page: Page<U>, each: impl FnMut(U) -> T) -> Self {
        let meta = ListMeta {
            page: page.page,
            per_page: page.per_page,
            total: page.total,
            total_pages: page.total_pages(),
            total_capped: page.total_capped,
        };
        List {
            data: page.items.into_iter().map(each).collect(),
            meta,
        }
    }
}

/// One item: `{"data": …}`.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Item<T> {
    pub data: T,
}
