//! The accept loop: HTTP/1.1 connections under a cap, each with a deadline for its headers,
//! every request carrying its peer address; and a graceful shutdown on Ctrl-C or SIGTERM.

use super::AppState;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long requests in flight may finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until Ctrl-C or SIGTERM, then lets the requests in flight
/// finish (for up to 30 s).
///
/// At most `max_connections` connections are served at once. The loop does not accept
/// past the cap: further clients wait in the kernel's accept queue (and, once that is
/// full, their connection attempts are not answered, so they retry), rather than being
/// accepted and closed, which would turn a short burst into errors. A client that opens a
/// connection and says nothing holds a slot for at most `header_timeout_secs`.
pub async fn serve(app: AppState, listener: TcpListener) -> std::io::Result<()> {
    let config = &app.config;
    let slots = Arc::new(Semaphore::new(config.max_connections));
    let header_timeout = Duration::from_secs(config.header_timeout_secs);
    if config.public_url.is_none()
        && config.allowed_hosts.is_empty()
        && config.listen.ip().is_unspecified()
    {
        tracing::warn!("listening on all interfaces without SEMNAL_PUBLIC_URL or SEMNAL_ALLOWED_HOSTS: absolute URLs will name {}", config.listen);
    }
    let router = super::router(app);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        // The semaphore is never closed.
        let Ok(slot) = slot else { break };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was
                    // accepted: wait a moment rather than spin, and go on.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let service =
            hyper::service::service_fn(move |request| serve_request(&router, peer, request));
        // No upgrades: the service has no WebSocket or other upgraded protocol.
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                // Timeouts and clients going away: worth a debug line, nothing more.
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after the shutdown grace period were cut");
    }
    Ok(())
}

/// Hands one request to the router, with the peer address as axum's `ConnectInfo`.
fn serve_request(
    router: &Router,
    peer: SocketAddr,
    mut request: hyper::Request<Incoming>,
) -> impl std::future::Future<Output = Result<axum::response::Response, std::convert::Infallible>> {
    request.extensions_mut().insert(ConnectInfo(peer));
    router.clone().oneshot(request.map(axum::body::Body::new))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
