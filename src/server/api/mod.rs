//! The public REST API, `/api/v1` (issue 17): JSON over the same
//! `server::<area>` functions the pages' server functions call, for native
//! apps, kiosks and other hospital systems. Callers authenticate with bearer
//! tokens (`tokens`); cookies are not read here, so the API has no
//! cross-site request surface. Every error has one shape (`errors`).

pub mod auth_routes;
pub mod caller;
pub mod departments;
pub mod errors;
pub mod extract;
pub mod lists;
pub mod me;
pub mod patients;
pub mod tokens;

use axum::Router;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::AppError;
use crate::server::state::AppState;
use errors::ApiError;

/// Where the document and its reference page are served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";
pub const DOCS_PATH: &str = "/api/docs";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "HMS API",
        version = "1",
        description = "The public API of HMS, a hospital and clinic management system. \
            Authenticate with `POST /api/v1/auth/token`, then send \
            `Authorization: Bearer <access token>`. Every error has the `ErrorBody` shape."
    ),
    modifiers(&BearerTokens),
    tags(
        (name = "auth", description = "Tokens and the caller"),
        (name = "clinic", description = "A clinic's reference data"),
        (name = "patients", description = "Patients' records"),
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

/// The API's routes and the OpenAPI document describing them. Every route
/// is added through `routes!`, which documents it as it routes it, so no
/// route can exist that the document lacks (a test holds this file to it).
fn documented() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .routes(routes!(auth_routes::token))
        .routes(routes!(auth_routes::refresh))
        .routes(routes!(auth_routes::revoke))
        .routes(routes!(me::me))
        .routes(routes!(departments::list))
        .routes(routes!(patients::search))
        .routes(routes!(patients::get));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .split_for_parts()
}

/// The OpenAPI document (as served at [`OPENAPI_PATH`]).
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().1
}

/// The routes under `/api/v1`, the document and its reference page (their
/// errors are shaped by `errors::envelope`, a layer of the whole app's so
/// that it shapes the outer layers' errors too).
pub fn router() -> Router<AppState> {
    let (api, doc) = documented();
    // The base layout: without the standalone layout's top bar (a free URL
    // box to load other documents, unlabelled, which this page has no use for).
    let config = utoipa_swagger_ui::Config::from(OPENAPI_PATH).use_base_layout();
    let docs = utoipa_swagger_ui::SwaggerUi::new(DOCS_PATH)
        .url(OPENAPI_PATH, doc)
        .config(config);
    api.merge(docs)
        .route("/api/v1/{*rest}", axum::routing::any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found() -> ApiError {
    AppError::NotFound.into()
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
