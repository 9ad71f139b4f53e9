//! Clinics: the public directory.

use sqlx::PgExecutor;

use crate::domain::clinics::{ClinicListing, ClinicSort, ClinicSortKey};
use crate::domain::paging::{Page, PageRequest, SortDirection};

use crate::server::error::ConstraintField;
/// The constraints of this area's tables that a user can trip, and the form
/// field and message each one means (`server::error` turns them into field
/// errors; any other violation is an internal error).
pub const CONSTRAINTS: &[ConstraintField] = &[
    ConstraintField {
        constraint: "clinics_slug_key",
        field: "slug",
        message: "Another clinic already uses this web address.",
    },
    ConstraintField {
        constraint: "clinics_slug_format",
        field: "slug",
        message: "Use 2 to 48 lowercase letters, digits and hyphens.",
    },
];

/// Active clinics, optionally filtered by name or address, one page at a time.
///
/// The sort column is chosen by a closed enum and passed as a parameter, so the
/// SQL stays static and checked at compile time.
pub async fn list_active(
    db: impl PgExecutor<'_> + Copy,
    query: Option<&str>,
    sort: ClinicSort,
    page: PageRequest,
) -> Result<Page<ClinicListing>, sqlx::Error> {
    let pattern = query.map(|q| format!("%{}%", escape_like(q)));
    let key = match sort.key {
        ClinicSortKey::Name => "name",
        ClinicSortKey::Address => "address",
    };
    let desc = sort.direction == SortDirection::Desc;
    let rows = sqlx::query!(
        r#"
        select id, slug, name, address, phone, timezone, count(*) over () as "total!"
        from clinics
        where status = 'active'
          and ($1::text is null or name ilike $1 or address ilike $1)
        order by
          case when $2 = 'name' and not $3 then lower(name) end asc,
          case when $2 = 'name' and $3 then lower(name) end desc,
          case when $2 = 'address' and not $3 then lower(address) end asc,
          case when $2 = 'address' and $3 then lower(address) end desc,
          id
        limit $4 offset $5
        "#,
        pattern,
        key,
        desc,
        page.limit(),
        page.offset(),
    )
    .fetch_all(db)
    .await?;
    let total = match rows.first() {
        Some(r) => r.total,
        // Past the last page the window count is absent; count on its own.
        None if page.page() > 1 => {
            sqlx::query_scalar!(
                r#"select count(*) as "count!" from clinics
                   where status = 'active' and ($1::text is null or name ilike $1 or address ilike $1)"#,
                pattern,
            )
            .fetch_one(db)
            .await?
        }
        None => 0,
    };
    Ok(Page::exact(
        rows.into_iter()
            .map(|r| ClinicListing {
                id: r.id,
                slug: r.slug,
                name: r.name,
                address: r.address,
                phone: r.phone,
                timezone: r.timezone,
            })
            .collect(),
        page,
        total,
    ))
}

/// Makes user text match literally inside a LIKE pattern.
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_in_user_text_match_literally() {
        assert_eq!(super::escape_like("50%_off\\"), "50\\%\\_off\\\\");
    }
}
