//! Logging: one line per event, each inside the request's span so it carries
//! the request id. Bodies and query strings are never logged: they can hold
//! patient data.

use axum::http::{Request, Response};
use tower_http::request_id::RequestId;
use tracing::Span;
use tracing_subscriber::EnvFilter;

use crate::server::config::LogFormat;

pub fn init(format: LogFormat, filter: &str) {
    // sqlx logs every statement at info and PostgreSQL notices as warnings;
    // neither belongs in an operator's log unless asked for.
    let directives = format!("sqlx=error,{filter}");
    let filter =
        EnvFilter::try_new(&directives).unwrap_or_else(|_| EnvFilter::new("info,sqlx=error"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    // A second init (tests starting several servers) keeps the first.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// The span every request's log lines sit in.
pub fn request_span<B>(req: &Request<B>) -> Span {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-");
    // At error level so the span, and with it the request id, is present on
    // every event whatever the log filter lets through.
    tracing::error_span!(
        "request",
        request_id = %request_id,
        method = %req.method(),
        path = %req.uri().path(),
    )
}

pub fn on_response<B>(res: &Response<B>, latency: std::time::Duration, _span: &Span) {
    let status = res.status().as_u16();
    let ms = latency.as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(status, ms, "response");
    } else if status >= 400 {
        tracing::warn!(status, ms, "response");
    } else {
        tracing::info!(status, ms, "response");
    }
}
