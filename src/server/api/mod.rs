//! The public REST API, `/api/v1` (issue 17): JSON over the same
//! `server::<area>` functions the pages' server functions call, for native
//! apps, kiosks and other hospital systems. Callers authenticate with bearer
//! tokens (`tokens`); cookies are not read here, so the API has no
//! cross-site request surface. Every error has one shape (`errors`).

pub mod appointments;
pub mod audit_events;
pub mod auth_routes;
pub mod caller;
pub mod departments;
pub mod device_grants;
pub mod device_routes;
pub mod errors;
pub mod extract;
pub mod follow_ups;
pub mod idempotency;
pub mod limits;
pub mod lists;
pub mod me;
pub mod patient_changes;
pub mod patients;
pub mod schedules;
pub mod slots;
pub mod staff;
pub mod tokens;
pub mod versions;
pub mod visits;
pub mod vitals;

use std::sync::OnceLock;

use axum::Router;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::AppError;
use crate::domain::api::reference::ApiReference;
use crate::server::state::AppState;
use errors::ApiError;

/// Where the document is served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "HMS API",
        version = "1",
        description = "The public API of HMS, a hospital and clinic management system. \
            Authenticate with `POST /api/v1/auth/token` (or, for accounts that sign in \
            only through single sign-on, `POST /api/v1/auth/device`), then send \
            `Authorization: Bearer <access token>`. A call names no role: someone with \
            several roles in a clinic makes each call in the first of theirs there that \
            may make it (`GET /api/v1/me` lists them). Every error has the `ErrorBody` shape."
    ),
    modifiers(&BearerTokens),
    tags(
        (name = "auth", description = "Tokens and the caller"),
        (name = "clinic", description = "A clinic's departments, staff and audit trail"),
        (name = "patients", description = "Patients' records"),
        (name = "visits", description = "Today's visits: check-in, the queue and its moves"),
        (name = "vitals", description = "Patients' vital signs"),
        (name = "appointments", description = "Appointments, free times, doctors' schedules and follow-ups"),
    )
)]
struct ApiDoc;

struct BearerTokens;

impl utoipa::Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("opaque")
                    .description(Some("An access token from POST /api/v1/auth/token"))
                    .build(),
            ),
        );
    }
}

/// Every operation may answer 429 (the request limits apply to all); run
/// over the whole document once the routes are in it.
struct RequestLimits;

impl utoipa::Modify for RequestLimits {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Ref, ResponseBuilder, content::ContentBuilder, header::Header};
        let limited = ResponseBuilder::new()
            .description("Over a request limit: try again after Retry-After seconds")
            .header(
                "Retry-After",
                Header::new(utoipa::openapi::RefOr::T(utoipa::openapi::Schema::Object(
                    utoipa::openapi::ObjectBuilder::new()
                        .schema_type(utoipa::openapi::schema::Type::Integer)
                        .build(),
                ))),
            )
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                op.responses
                    .responses
                    .entry("429".into())
                    .or_insert_with(|| limited.clone().into());
            }
        }
    }
}

/// The API's routes and the OpenAPI document describing them. Every route
/// is added through `routes!`, which documents it as it routes it, so no
/// route can exist that the document lacks (a test holds this file to it).
fn documented() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .routes(routes!(auth_routes::token))
        .routes(routes!(auth_routes::refresh))
        .routes(routes!(auth_routes::revoke))
        .routes(routes!(device_routes::start))
        .routes(routes!(device_routes::token))
        .routes(routes!(me::me))
        .routes(routes!(departments::list))
        .routes(routes!(patients::search, patient_changes::create))
        .routes(routes!(patients::get, patient_changes::update))
        .routes(routes!(vitals::list, vitals::record))
        .routes(routes!(visits::queue, visits::check_in))
        .routes(routes!(visits::call_next))
        .routes(routes!(visits::get))
        .routes(routes!(visits::transition))
        .routes(routes!(appointments::list, appointments::book))
        .routes(routes!(appointments::get))
        .routes(routes!(appointments::cancel))
        .routes(routes!(appointments::reschedule))
        .routes(routes!(appointments::check_in))
        .routes(routes!(slots::list))
        .routes(routes!(schedules::get))
        .routes(routes!(follow_ups::list))
        .routes(routes!(follow_ups::of_patient, follow_ups::add))
        .routes(routes!(follow_ups::mark_missed))
        .routes(routes!(staff::list))
        .routes(routes!(audit_events::list));
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .split_for_parts();
    utoipa::Modify::modify(&RequestLimits, &mut doc);
    (router, doc)
}

/// The OpenAPI document (as served at [`OPENAPI_PATH`]).
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().1
}

/// The reference page's content (`/api/docs`, `app::api_docs`), read once
/// from the document.
pub fn reference() -> &'static ApiReference {
    static REFERENCE: OnceLock<ApiReference> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let doc = serde_json::to_value(openapi()).unwrap_or_default();
        crate::domain::api::reference::from_openapi(&doc)
    })
}

/// The routes under `/api/v1` and the document (their errors are shaped by
/// `errors::envelope`, a layer of the whole app's so that it shapes the
/// outer layers' errors too).
pub fn router(state: &AppState) -> Router<AppState> {
    let (api, doc) = documented();
    // Written once: it changes only with the code.
    let doc = axum::body::Bytes::from(serde_json::to_vec(&doc).unwrap_or_default());
    let serve_doc = move || {
        let doc = doc.clone();
        async move {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                doc,
            )
        }
    };
    // The document is static and for reading: outside the request limits.
    let document = Router::new().route(OPENAPI_PATH, axum::routing::get(serve_doc));
    api.route("/api/v1/{*rest}", axum::routing::any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            per_address,
        ))
        .merge(document)
}

/// Every request to `/api/v1` from one client address counts toward its
/// limit, signed in or not (guessing tokens counts too).
async fn per_address(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = req.into_parts();
    let origin = crate::server::audit::RequestOrigin::from_parts(&parts);
    if let Some(addr) = origin.client_addr
        && let Err(limits::RetryAfter(secs)) = state
            .api_limiter
            .allow(limits::Counted::Address(addr), chrono::Utc::now())
    {
        return ApiError::rate_limited(secs).into_response();
    }
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

async fn not_found() -> ApiError {
    AppError::NotFound.into()
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
