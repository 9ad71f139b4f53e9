//! The service worker, served from `/sw.js` with this build's asset list and
//! version written into it, so each release installs as a new worker and the
//! old caches are dropped.

use std::path::{Path, PathBuf};

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use leptos::config::LeptosOptions;

use crate::server::state::AppState;

const TEMPLATE: &str = include_str!("service-worker.js");

/// Static files that make up the offline shell besides the hashed bundle.
const SHELL_FILES: &[&str] = &[
    "/offline.html",
    "/unreachable.html",
    "/offline.css",
    "/manifest.webmanifest",
    "/favicon.svg",
    "/icons/icon-192.png",
    "/icons/icon-512.png",
    "/icons/maskable-512.png",
];

#[derive(Clone, Debug)]
pub struct PwaAssets {
    /// Changes whenever the bundle does.
    pub version: String,
    pub precache: Vec<String>,
    /// Stylesheet URL for pages (hashed in release builds).
    pub css_href: String,
}

/// cargo-leptos writes `hash.txt` beside the server binary in release builds;
/// Leptos reads the same file to name the bundle in each page.
pub fn hash_file_path(options: &LeptosOptions) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(options.hash_file.as_ref()))
}

impl PwaAssets {
    pub fn discover(options: &LeptosOptions) -> Self {
        let hashes = if options.hash_files {
            hash_file_path(options).and_then(|p| std::fs::read_to_string(p).ok())
        } else {
            None
        };
        Self::from_hashes(options, hashes.as_deref())
    }

    fn from_hashes(options: &LeptosOptions, hashes: Option<&str>) -> Self {
        let name = options.output_name.as_ref();
        let pkg = options.site_pkg_dir.as_ref();
        let hash_of = |kind: &str| {
            hashes
                .into_iter()
                .flat_map(str::lines)
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim() == kind)
                .map(|(_, v)| format!(".{}", v.trim()))
                .unwrap_or_default()
        };
        let js = format!("/{pkg}/{name}{}.js", hash_of("js"));
        let wasm = format!("/{pkg}/{name}{}.wasm", hash_of("wasm"));
        let css = format!("/{pkg}/{name}{}.css", hash_of("css"));
        let version = match hashes {
            Some(h) => format!("{:016x}", fnv1a(h.as_bytes())),
            None => "dev".to_string(),
        };
        let mut precache: Vec<String> = SHELL_FILES.iter().map(|s| s.to_string()).collect();
        precache.extend([js, wasm, css.clone()]);
        Self {
            version,
            precache,
            css_href: css,
        }
    }

    pub fn script(&self) -> String {
        let list = serde_json::to_string(&self.precache).unwrap_or_else(|_| "[]".into());
        TEMPLATE
            .replace("__HMS_VERSION__", &self.version)
            .replace("[/*__HMS_PRECACHE__*/]", &list)
    }
}

/// Whether cargo-leptos produced hashed file names for this binary.
pub fn has_hash_file(options: &LeptosOptions) -> bool {
    hash_file_path(options).as_deref().is_some_and(Path::exists)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub async fn service_worker(State(state): State<AppState>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The browser must see a new release at once.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        state.pwa.script(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> LeptosOptions {
        LeptosOptions::builder().output_name("hms").build()
    }

    #[test]
    fn hashed_bundle_names_come_from_the_hash_file() {
        let a = PwaAssets::from_hashes(&options(), Some("js: aaa\nwasm: bbb\ncss: ccc\n"));
        assert!(a.precache.contains(&"/pkg/hms.aaa.js".to_string()));
        assert!(a.precache.contains(&"/pkg/hms.bbb.wasm".to_string()));
        assert_eq!(a.css_href, "/pkg/hms.ccc.css");
        assert!(a.precache.contains(&"/offline.html".to_string()));
    }

    #[test]
    fn each_build_gets_its_own_worker_version() {
        let a = PwaAssets::from_hashes(&options(), Some("js: aaa\nwasm: bbb\ncss: ccc\n"));
        let b = PwaAssets::from_hashes(&options(), Some("js: aab\nwasm: bbb\ncss: ccc\n"));
        assert_ne!(a.version, b.version);
        assert!(a.script().contains(&a.version));
        assert!(a.script().contains("\"/pkg/hms.aaa.js\""));
        assert!(!a.script().contains("__HMS_"));
    }

    #[test]
    fn unhashed_builds_use_plain_names() {
        let a = PwaAssets::from_hashes(&options(), None);
        assert_eq!(a.css_href, "/pkg/hms.css");
        assert_eq!(a.version, "dev");
    }
}
