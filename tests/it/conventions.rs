//! Rules of the layout that a reviewer would otherwise have to remember
//! (ARCHITECTURE.md): pages and server functions hold no SQL, every
//! transaction begins in `server::tenancy` (clippy.toml forbids
//! `Pool::begin` elsewhere; this covers the SQL itself), a server function
//! is served under its area's name, `/fn/<area>/<name>`, and every area's
//! constraint map is one `server::error` consults.

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

/// Every file under `src/app`, by its path from there, with its text.
fn app_files() -> Vec<(String, String)> {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let mut paths = Vec::new();
    rust_files(&app, &mut paths);
    assert!(
        paths.len() > 40,
        "found {} files under src/app",
        paths.len()
    );
    paths
        .iter()
        .map(|p| {
            let name = p.strip_prefix(&app).unwrap().display().to_string();
            (name, std::fs::read_to_string(p).unwrap())
        })
        .collect()
}

/// The server functions in `files` whose prefix is not `/fn/` and the
/// folder they are in.
fn misplaced_prefixes(files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .flat_map(|(name, text)| {
            let area = name.split('/').next().unwrap_or_default().to_string();
            text.lines().enumerate().filter_map(move |(i, line)| {
                let rest = line.trim().strip_prefix("#[server(")?;
                // An argument's own attribute (`#[server(default)]`), not a function's.
                if rest.starts_with("default)]") {
                    return None;
                }
                let wanted = format!("prefix = \"/fn/{area}\", endpoint = ");
                (!rest.starts_with(&wanted)).then(|| format!("{name}:{}", i + 1))
            })
        })
        .collect()
}

#[test]
fn each_server_function_is_served_under_its_area() {
    let found = misplaced_prefixes(&app_files());
    assert!(
        found.is_empty(),
        "give these #[server(prefix = \"/fn/<area>\", endpoint = \"…\")], <area> their folder under src/app: {found:?}"
    );
}

#[test]
fn the_prefix_check_finds_a_function_outside_its_area() {
    let files = vec![
        (
            "staff/server_fns.rs".to_string(),
            "#[server(prefix = \"/fn/staff\", endpoint = \"a\")]".to_string(),
        ),
        (
            "patients/server_fns.rs".to_string(),
            "x\n#[server(prefix = \"/fn\", endpoint = \"b\")]".to_string(),
        ),
        (
            "audit/server_fns.rs".to_string(),
            "#[server(prefix = \"/fn/staff\", endpoint = \"c\")]".to_string(),
        ),
        (
            "schedules/server_fns.rs".to_string(),
            "    #[server(default)] sessions: Vec<String>,".to_string(),
        ),
    ];
    assert_eq!(
        misplaced_prefixes(&files),
        vec!["patients/server_fns.rs:2", "audit/server_fns.rs:1"]
    );
}

#[test]
fn pages_and_server_functions_hold_no_sql() {
    let files = app_files();
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

/// The modules under `src/server` (as `crate::server::…` paths) that define
/// a constraint map, `pub const CONSTRAINTS: &[ConstraintField]`, and are
/// not named in `registry` (the text of `server::error`).
fn unregistered_constraint_maps(files: &[(String, String)], registry: &str) -> Vec<String> {
    files
        .iter()
        .filter(|(_, text)| text.contains("pub const CONSTRAINTS: &[ConstraintField]"))
        .map(|(name, _)| {
            let module = name
                .trim_end_matches(".rs")
                .trim_end_matches("/mod")
                .replace('/', "::");
            format!("crate::server::{module}::CONSTRAINTS")
        })
        .filter(|path| !registry.contains(path.as_str()))
        .collect()
}

#[test]
fn every_area_constraint_map_is_registered() {
    let server = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/server");
    let mut paths = Vec::new();
    rust_files(&server, &mut paths);
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let name = p.strip_prefix(&server).unwrap().display().to_string();
            (name, std::fs::read_to_string(p).unwrap())
        })
        .collect();
    let registry = std::fs::read_to_string(server.join("error.rs")).unwrap();
    assert!(registry.contains("CONSTRAINT_FIELDS"));
    let missing = unregistered_constraint_maps(&files, &registry);
    assert!(
        missing.is_empty(),
        "list these in server::error::CONSTRAINT_FIELDS, or their violations stay internal errors: {missing:?}"
    );
}

#[test]
fn the_constraint_check_finds_a_map_left_out() {
    let map = "pub const CONSTRAINTS: &[ConstraintField] = &[];";
    let files = vec![
        ("patients.rs".to_string(), map.to_string()),
        ("wards/mod.rs".to_string(), map.to_string()),
        ("mail/outbox.rs".to_string(), "fn f() {}".to_string()),
    ];
    let registry = "&[crate::server::patients::CONSTRAINTS]";
    assert_eq!(
        unregistered_constraint_maps(&files, registry),
        vec!["crate::server::wards::CONSTRAINTS"]
    );
}
