//! The client's address, for limits and the audit trail.
//!
//! Behind a hospital's reverse proxy every connection comes from the proxy.
//! When the TCP peer is one of HMS_TRUSTED_PROXIES, the address is taken from
//! the `Forwarded` (or else `X-Forwarded-For`) header instead: the rightmost
//! entry that is not itself a trusted proxy, since each proxy appends the
//! address it saw and only the entries our own proxies added can be
//! believed. From any other peer those headers are ignored, so a client
//! cannot name its own address.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderMap;
use sqlx::types::ipnetwork::IpNetwork;

use crate::server::state::AppState;

/// The address a request is taken to come from, put on every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The proxies whose forwarding headers are believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNetwork>);

impl TrustedProxies {
    /// A comma-separated list of addresses and networks (`10.0.0.5, 10.1.0.0/16`).
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                IpNetwork::from_str(s).map_err(|_| format!("{s:?} is not an address or network"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }
}

/// One `for=` value of `Forwarded` (RFC 7239): quoted or not, IPv6 in
/// brackets, a port perhaps; `None` for obfuscated names and `unknown`.
fn forwarded_for(value: &str) -> Option<IpAddr> {
    let v = value.trim().trim_matches('"');
    if let Some(rest) = v.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    v.parse()
        .ok()
        .or_else(|| v.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok()))
}

/// The addresses the proxies report, first hop first. `None` in place of an
/// entry that is not an address.
fn reported(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<Option<IpAddr>> = headers
        .get_all(http::header::FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, v)| forwarded_for(v))
        })
        .collect();
    if !forwarded.is_empty() {
        return forwarded;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().parse().ok())
        .collect()
}

/// The client's address: the peer, or what trusted proxies say it was.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let mut current = peer;
    for hop in reported(headers).into_iter().rev() {
        if !trusted.trusts(current) {
            break;
        }
        match hop {
            Some(ip) => current = ip,
            // A hop we cannot read: the last trusted proxy is all we know.
            None => break,
        }
    }
    current
}

/// Puts the [`ClientAddr`] on every request.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(peer) = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
    {
        let addr = client_addr(peer, req.headers(), &state.config.trusted_proxies);
        req.extensions_mut().insert(ClientAddr(addr));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let proxies = TrustedProxies::parse("10.0.0.5, 10.1.0.0/16").unwrap();
        let xff = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            client_addr(ip("10.0.0.5"), &xff, &proxies),
            ip("203.0.113.9")
        );
        // Anyone else's header is ignored.
        assert_eq!(
            client_addr(ip("198.51.100.1"), &xff, &proxies),
            ip("198.51.100.1")
        );
        assert_eq!(
            client_addr(ip("10.0.0.5"), &xff, &TrustedProxies::default()),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.5,10.1.0.0/16").unwrap();
        // The client forged the first entry; our two proxies added the rest.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.1.2.3")]);
        assert_eq!(client_addr(ip("10.0.0.5"), &h, &proxies), ip("203.0.113.9"));
        // Split across two header lines, the same.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4, 203.0.113.9"),
            ("x-forwarded-for", "10.1.2.3"),
        ]);
        assert_eq!(client_addr(ip("10.0.0.5"), &h, &proxies), ip("203.0.113.9"));
        // An unreadable hop stops the walk at the proxy that reported it.
        let h = headers(&[("x-forwarded-for", "203.0.113.9, garbage")]);
        assert_eq!(client_addr(ip("10.0.0.5"), &h, &proxies), ip("10.0.0.5"));
    }

    #[test]
    fn forwarded_is_read_before_x_forwarded_for() {
        let proxies = TrustedProxies::parse("10.0.0.5").unwrap();
        for (value, expected) in [
            ("for=192.0.2.60;proto=http;by=203.0.113.43", "192.0.2.60"),
            ("for=\"[2001:db8:cafe::17]:4711\"", "2001:db8:cafe::17"),
            ("For=\"192.0.2.61:8080\"", "192.0.2.61"),
            ("for=unknown", "10.0.0.5"),
        ] {
            let h = headers(&[("forwarded", value), ("x-forwarded-for", "198.51.100.7")]);
            assert_eq!(
                client_addr(ip("10.0.0.5"), &h, &proxies),
                ip(expected),
                "{value}"
            );
        }
    }

    #[test]
    fn bad_proxy_lists_are_refused() {
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.example").is_err());
        assert_eq!(
            TrustedProxies::parse(" ").unwrap(),
            TrustedProxies::default()
        );
    }
}
