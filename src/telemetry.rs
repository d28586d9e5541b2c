//! Structured logs through `tracing`. Log lines carry ids and tracking numbers, never a
//! reporter's contact.

use tracing_subscriber::{fmt, EnvFilter};

/// Installs the global subscriber: `RUST_LOG` filters (default `info`), `SEMNAL_LOG=json`
/// switches to JSON lines for log shippers.
pub fn init_subscriber() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    let result = if std::env::var("SEMNAL_LOG").as_deref() == Ok("json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    // Already installed (tests start several apps in one process): keep the first.
    drop(result);
}
