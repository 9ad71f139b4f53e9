//! A real OpenID Connect provider for the SSO tests: npm `oidc-provider`,
//! run from end2end/oidc/provider.mjs on a free loopback port, and a
//! browser-like client that signs in on its pages.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub const CLIENT_ID: &str = "hms";
pub const CLIENT_SECRET: &str = "hms-test-client-secret";
pub const PASSWORD: &str = "provider-password";

pub struct OidcProvider {
    child: Child,
    pub issuer: String,
}

impl OidcProvider {
    /// A provider whose client `hms` may send people back to `redirect_uri`.
    pub fn start(redirect_uri: &str) -> Self {
        Self::start_with_clock(redirect_uri, 0, 3600)
    }

    /// A provider whose clock runs `offset_secs` off (negative: in the past)
    /// and whose ID tokens live `id_token_secs`.
    pub fn start_with_clock(redirect_uri: &str, offset_secs: i64, id_token_secs: u32) -> Self {
        let port = super::smtp::free_port();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/end2end/oidc/provider.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .args(["--port", &port.to_string(), "--redirect-uri", redirect_uri])
            .arg(format!("--clock-offset={offset_secs}"))
            .args(["--id-token-ttl", &id_token_secs.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs the OpenID provider (npm install first)");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert!(
            line.contains("ready"),
            "the OpenID provider did not start: {line:?}"
        );
        // Keep its output flowing: a closed pipe would kill it at its next line.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Self {
            child,
            issuer: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A person at the provider's pages: follows its redirects with its own
/// cookies, signs in as `email`, and returns the address the provider sends
/// them back to (HMS's callback, with code and state), unvisited.
pub async fn sign_in_at_provider(auth_url: &str, email: &str, back_to: &str) -> String {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut url = reqwest::Url::parse(auth_url).unwrap();
    for _ in 0..10 {
        let res = client.get(url.clone()).send().await.unwrap();
        if res.status().is_redirection() {
            let location = res.headers()["location"].to_str().unwrap().to_string();
            if location.starts_with(back_to) {
                return location;
            }
            url = url.join(&location).unwrap();
            continue;
        }
        assert!(res.status().is_success(), "{url}: {}", res.status());
        let login = url.join(&format!("{}/login", url.path())).unwrap();
        let res = client
            .post(login)
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_redirection(),
            "sign-in at the provider failed: {}",
            res.status()
        );
        let location = res.headers()["location"].to_str().unwrap().to_string();
        url = url.join(&location).unwrap();
    }
    panic!("the provider never sent the browser back");
}
