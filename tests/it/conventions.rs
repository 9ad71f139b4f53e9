//! Rules of the layout that a reviewer would otherwise have to remember
//! (ARCHITECTURE.md): pages and server functions hold no SQL, and every
//! transaction begins in `server::tenancy` (clippy.toml forbids
//! `Pool::begin` elsewhere; this covers the SQL itself).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The places in `files` that run SQL of their own.
fn sql_in(files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .flat_map(|(name, text)| {
            text.lines().enumerate().filter_map(move |(i, line)| {
                let code = line.split("//").next().unwrap_or_default();
                (code.contains("sqlx::") || code.contains("query!(") || code.contains("query_as!("))
                    .then(|| format!("{name}:{}", i + 1))
            })
        })
        .collect()
}

#[test]
fn pages_and_server_functions_hold_no_sql() {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let mut paths = Vec::new();
    rust_files(&app, &mut paths);
    assert!(
        paths.len() > 40,
        "found {} files under src/app",
        paths.len()
    );
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let found = sql_in(&files);
    assert!(
        found.is_empty(),
        "move this SQL into server::<area> and call it from the server function: {found:?}"
    );
}

#[test]
fn the_sql_check_finds_a_query_in_a_page() {
    let files = vec![
        (
            "ok.rs".to_string(),
            "// sqlx::query! in a comment\nlet x = 1;".to_string(),
        ),
        (
            "bad.rs".to_string(),
            "let n = sqlx::query_scalar!(\"select 1\");".to_string(),
        ),
    ];
    assert_eq!(sql_in(&files), vec!["bad.rs:1"]);
}
