//! Pagination and sorting shared by every list: bounded page sizes so no
//! request can ask the database for an unbounded result.

use serde::{Deserialize, Serialize};

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortDirection {
    Asc,
    Desc,
}

impl SortDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            SortDirection::Asc => "asc",
            SortDirection::Desc => "desc",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "asc" => Some(SortDirection::Asc),
            "desc" => Some(SortDirection::Desc),
            _ => None,
        }
    }

    pub fn flip(self) -> Self {
        match self {
            SortDirection::Asc => SortDirection::Desc,
            SortDirection::Desc => SortDirection::Asc,
        }
    }
}

/// A validated page request: page is 1-based, per_page within 1..=MAX_PER_PAGE.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    page: u32,
    per_page: u32,
}

impl PageRequest {
    /// Clamps rather than rejects: page numbers come from URLs people edit, and
    /// an out-of-range page should show the nearest real page, not an error.
    pub fn new(page: u32, per_page: u32) -> Self {
        Self {
            page: page.max(1),
            per_page: per_page.clamp(1, MAX_PER_PAGE),
        }
    }

    /// Reads `page` from a query-string value, falling back to the first page.
    pub fn from_query(page: Option<&str>, per_page: u32) -> Self {
        let page = page.and_then(|p| p.trim().parse::<u32>().ok()).unwrap_or(1);
        Self::new(page, per_page)
    }

    pub fn page(&self) -> u32 {
        self.page
    }

    pub fn per_page(&self) -> u32 {
        self.per_page
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(1, DEFAULT_PER_PAGE)
    }
}

/// One page of a list and where it sits in the whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
    /// `total` is a lower bound: long lists (a common surname among 50,000
    /// patients) are counted only up to [`COUNT_CAP`] or just past this page.
    #[serde(default)]
    pub total_capped: bool,
}

/// How far a broad search counts its matches before saying "1,000+".
pub const COUNT_CAP: u64 = 1000;

/// The rows a capped count looks at: [`COUNT_CAP`], or more for a page
/// beyond it, plus one to tell "exactly" from "more".
pub fn count_window(page: PageRequest) -> i64 {
    let through_page = page.offset() + page.limit();
    through_page.max(COUNT_CAP as i64) + 1
}

/// What a count over [`count_window`] rows means: the total, and whether the
/// count stopped early (it saw the extra row, so there are more).
pub fn capped_total(counted: i64, window: i64) -> (u64, bool) {
    let capped = counted >= window;
    let total = if capped { window - 1 } else { counted };
    (u64::try_from(total).unwrap_or(0), capped)
}

/// Where a page sits in its list, as the pagination control shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagePosition {
    pub page: u32,
    pub total_pages: u32,
    /// The count as people read it ("1,000+" when it is a lower bound).
    pub total: String,
    /// 1-based positions of the first and last row shown.
    pub range: (u64, u64),
}

impl<T> Page<T> {
    /// The page `request` asked for, holding `items`, of `total` in all
    /// (a lower bound when `total_capped`).
    pub fn new(items: Vec<T>, request: PageRequest, total: u64, total_capped: bool) -> Self {
        Self {
            items,
            page: request.page(),
            per_page: request.per_page(),
            total,
            total_capped,
        }
    }

    /// A page of an exactly counted list (`count(*) over ()`).
    pub fn exact(items: Vec<T>, request: PageRequest, total: i64) -> Self {
        Self::new(items, request, u64::try_from(total).unwrap_or(0), false)
    }

    pub fn position(&self) -> PagePosition {
        PagePosition {
            page: self.page,
            total_pages: self.total_pages(),
            total: self.total_label(),
            range: self.range(),
        }
    }

    /// The total for people: "1,000+" when the count stopped early.
    pub fn total_label(&self) -> String {
        if self.total_capped {
            format!("{}+", group_thousands(self.total))
        } else {
            group_thousands(self.total)
        }
    }

    pub fn total_pages(&self) -> u32 {
        let pages = self.total.div_ceil(u64::from(self.per_page.max(1)));
        u32::try_from(pages.max(1)).unwrap_or(u32::MAX)
    }

    pub fn has_previous(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.total_pages()
    }

    /// 1-based positions of the first and last item shown, for "21–40 of 95".
    pub fn range(&self) -> (u64, u64) {
        if self.items.is_empty() {
            return (0, 0);
        }
        let first = u64::from(self.page - 1) * u64::from(self.per_page) + 1;
        (first, first + self.items.len() as u64 - 1)
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_requests_are_clamped_into_range() {
        assert_eq!(PageRequest::new(0, 20).page(), 1);
        assert_eq!(PageRequest::new(3, 0).per_page(), 1);
        assert_eq!(PageRequest::new(3, 10_000).per_page(), MAX_PER_PAGE);
        assert_eq!(PageRequest::new(3, 20).offset(), 40);
    }

    #[test]
    fn query_pages_fall_back_to_the_first_page() {
        assert_eq!(PageRequest::from_query(Some("abc"), 20).page(), 1);
        assert_eq!(PageRequest::from_query(Some("-4"), 20).page(), 1);
        assert_eq!(PageRequest::from_query(Some(" 7 "), 20).page(), 7);
        assert_eq!(PageRequest::from_query(None, 20).page(), 1);
    }

    #[test]
    fn page_arithmetic() {
        let p = Page {
            items: vec![1; 15],
            page: 3,
            per_page: 20,
            total: 55,
            total_capped: false,
        };
        assert_eq!(p.total_pages(), 3);
        assert!(p.has_previous());
        assert!(!p.has_next());
        assert_eq!(p.range(), (41, 55));
        assert_eq!(
            p.position(),
            PagePosition {
                page: 3,
                total_pages: 3,
                total: "55".into(),
                range: (41, 55)
            }
        );
        let empty: Page<u8> = Page {
            items: vec![],
            page: 1,
            per_page: 20,
            total: 0,
            total_capped: false,
        };
        assert_eq!(empty.total_pages(), 1);
        assert_eq!(empty.range(), (0, 0));
    }

    #[test]
    fn sort_direction_parses_only_known_values() {
        assert_eq!(SortDirection::parse("asc"), Some(SortDirection::Asc));
        assert_eq!(SortDirection::parse("DESC; drop table"), None);
        assert_eq!(SortDirection::Asc.flip(), SortDirection::Desc);
    }

    #[test]
    fn totals_read_as_people_write_them() {
        let page = |total, total_capped| Page::<()> {
            items: vec![],
            page: 1,
            per_page: 20,
            total,
            total_capped,
        };
        assert_eq!(page(0, false).total_label(), "0");
        assert_eq!(page(999, false).total_label(), "999");
        assert_eq!(page(50_000, false).total_label(), "50,000");
        assert_eq!(page(1000, true).total_label(), "1,000+");
        assert_eq!(page(1_234_567, false).total_label(), "1,234,567");
    }

    #[test]
    fn the_count_window_covers_the_page_asked_for() {
        assert_eq!(count_window(PageRequest::new(1, 20)), 1001);
        assert_eq!(count_window(PageRequest::new(60, 20)), 1201);
    }

    #[test]
    fn a_count_that_reaches_its_window_is_capped() {
        assert_eq!(capped_total(0, 1001), (0, false));
        assert_eq!(capped_total(1000, 1001), (1000, false));
        assert_eq!(capped_total(1001, 1001), (1000, true));
    }
}
