//! The HTTP stack: routes and the middleware every request passes through.

pub mod api_guard;
pub mod cache;
pub mod calendar_feed;
pub mod client_addr;
pub mod csrf;
pub mod form_outcome;
pub mod health;
pub mod listen;
pub mod live;
pub mod pwa;
pub mod security;
mod unavailable;

pub use unavailable::unavailable;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::{App, shell};
use crate::server::state::AppState;
use crate::server::{auth, sso, telemetry};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The value of the cookie `name` in a request's headers (the first, if
/// sent twice): for the few cookies of ours beside the session's.
pub fn request_cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned())
}

/// The whole app: the browser's part and the machines' part, inside the
/// layers every request passes through.
pub fn router(state: AppState) -> Router {
    let app = browser(&state).merge(machine(&state));
    // Listed innermost first: each `.layer` wraps everything above it.
    app.layer(RequestBodyLimitLayer::new(state.config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(axum::middleware::from_fn(
            crate::server::api::errors::envelope,
        ))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(cache::cache_control))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::security_headers,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(telemetry::request_span)
                .on_request(())
                .on_response(telemetry::on_response),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            client_addr::resolve,
        ))
        .with_state(state)
}

/// The pages' routes, worked out once per process. Working them out renders
/// the app with resources held back by a process-wide switch (leptos_server's
/// `SuppressResourceLoad`): a page rendered elsewhere in the process while it
/// is on waits forever for its data (leptos issue 4773). A server builds its
/// router once before it listens; tests build one per test, beside others'
/// pages, and saw a rare page time out (408) until the list was kept.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// What browsers use: the pages, their server functions (`/fn/...`), single
/// sign-on and the service worker, with the cookie session, the signed-in
/// person, the same-origin check on every mutation, and refused no-JS forms'
/// errors carried in a cookie rather than the address. The pages' fallback
/// (static files, then the 404 page) is here too.
fn browser(state: &AppState) -> Router<AppState> {
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let render_shell = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    Router::new()
        .route("/sw.js", get(pwa::service_worker))
        .route("/sso/{slug}/start", get(sso::routes::start))
        .route("/sso/callback", get(sso::routes::callback))
        .route("/live/{slug}", get(live::clinic_stream))
        .route("/live/{slug}/notifications", get(live::notification_stream))
        .route("/display/live", get(live::display_stream))
        .leptos_routes_with_context(state, routes, context.clone(), render_shell)
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(axum::middleware::from_fn(
            crate::server::page_transaction::around_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api_guard::guard_server_fns,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(session_layer(state))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::same_origin_mutations,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            form_outcome::keep_out_of_urls,
        ))
}

/// What machines use: probes and the public REST API (`/api/v1`; FHIR
/// later). No cookies, no session: callers authenticate per request.
fn machine(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/calendar/feed.ics", get(calendar_feed::calendar_feed))
        .merge(crate::server::api::router(state))
}

/// Session cookies: HttpOnly, SameSite=Lax, and on https Secure with the
/// `__Host-` prefix (which binds the cookie to this exact host and path).
fn session_layer(
    state: &AppState,
) -> tower_sessions::SessionManagerLayer<auth::session_store::PgSessionStore> {
    use tower_sessions::cookie::SameSite;
    let https = state.config.is_https();
    let store = auth::session_store::PgSessionStore::new(state.pool.clone());
    tower_sessions::SessionManagerLayer::new(store)
        .with_name(if https {
            "__Host-hms_session"
        } else {
            "hms_session"
        })
        .with_secure(https)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
}

/// A panic while rendering means the app itself may be broken, so the 500 page
/// here is plain HTML that needs nothing else to work.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("request handler panicked");
    plain_error_page()
}

/// The plain 500 page, for when the app's own pages cannot be trusted.
pub(crate) fn plain_error_page() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html(include_str!("panic_page.html")),
    )
        .into_response()
}
