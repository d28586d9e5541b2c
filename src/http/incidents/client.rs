//! Which client a report comes from, for the per-client limits ([`crate::limits`]): its
//! address, as the connection or the trusted proxies in front of the service tell it.

use crate::config::TrustedProxies;
use crate::limits::Client;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};

/// The client address of `request`: its peer, or, when the peer is a trusted proxy, the
/// right-most `X-Forwarded-For` address that is not one (what the proxies saw; anything
/// further left the client wrote itself). `None` when the server did not record the peer:
/// then no per-address limit applies, rather than one limit shared by everyone.
pub(super) fn client_of<B>(request: &Request<B>, proxies: &TrustedProxies) -> Option<Client> {
    let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() else {
        static WARNED: AtomicBool = AtomicBool::new(false);
        if !WARNED.swap(true, Ordering::Relaxed) {
            tracing::warn!("requests carry no peer address: per-address limits are off");
        }
        return None;
    };
    Some(Client::address(client_address(
        peer.ip(),
        request.headers(),
        proxies,
    )))
}

fn client_address(peer: IpAddr, headers: &HeaderMap, proxies: &TrustedProxies) -> IpAddr {
    let mut client = peer;
    if !proxies.contains(&client) {
        return client;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.into_iter().rev() {
        // A hop a trusted proxy did not write sensibly: stop at the last one it did.
        let Some(address) = hop_address(hop) else {
            break;
        };
        client = address;
        if !proxies.contains(&client) {
            break;
        }
    }
    client
}

/// The address of one `X-Forwarded-For` hop: `1.2.3.4`, or with a port as some load
/// balancers write it, `1.2.3.4:5678` and `[2001:db8::1]:5678`.
fn hop_address(hop: &str) -> Option<IpAddr> {
    hop.parse()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address_of(peer: &str, forwarded: &[&str], proxies: &str) -> String {
        let mut headers = HeaderMap::new();
        for value in forwarded {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        client_address(peer.parse().unwrap(), &headers, &proxies.parse().unwrap()).to_string()
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        // No proxy trusted: the header is the client's own word.
        assert_eq!(
            address_of("198.51.100.1", &["203.0.113.9"], ""),
            "198.51.100.1"
        );
        // The peer is not a proxy: ignored.
        assert_eq!(
            address_of("198.51.100.1", &["203.0.113.9"], "10.0.0.1"),
            "198.51.100.1"
        );
        // Behind a proxy: the right-most address not a proxy; what the client put left of
        // it does not count.
        assert_eq!(
            address_of("10.0.0.1", &["1.2.3.4, 203.0.113.9"], "10.0.0.1"),
            "203.0.113.9"
        );
        assert_eq!(
            address_of(
                "10.0.0.1",
                &["1.2.3.4", "203.0.113.9, 10.0.0.2"],
                "10.0.0.0/24"
            ),
            "203.0.113.9"
        );
        // Garbage written where a proxy's hop should be: the last proxy.
        assert_eq!(
            address_of("10.0.0.1", &["203.0.113.9, nonsense"], "10.0.0.1"),
            "10.0.0.1"
        );
        // No header: the proxy itself.
        assert_eq!(address_of("10.0.0.1", &[], "10.0.0.1"), "10.0.0.1");
        // Hops with ports, as some load balancers write them.
        assert_eq!(
            address_of("10.0.0.1", &["203.0.113.7:51234"], "10.0.0.1"),
            "203.0.113.7"
        );
        assert_eq!(
            address_of("10.0.0.1", &["[2001:db8::7]:443"], "10.0.0.1"),
            "2001:db8::7"
        );
    }
}
