//! Per-client limits on filing: reports per minute (per client address for the JSON API and
//! the web app, per API key for Open311) and photo bytes per day. Keyed GCRA limiters from
//! `governor`: a few bytes of state per client, forgotten once the client's bucket is full
//! again (see [`ClientLimits::forget_idle`]).

use crate::config::Config;
use crate::store::ApiClientId;
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::time::Duration;

type Keyed<K> = RateLimiter<K, HashMapStateStore<K>, DefaultClock>;

/// Who a limit is counted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    /// A client address; IPv6 addresses by their /64 (one subscriber's network).
    Address(IpAddr),
    /// An Open311 API key.
    ApiKey(i64),
}

impl Client {
    /// The client at `address`, an IPv6 address cut to its /64 and an IPv4-mapped one
    /// read as IPv4, so one subscriber cannot count as many.
    pub fn address(address: IpAddr) -> Self {
        Client::Address(match address {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let s = v6.segments();
                    IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
                }
            },
        })
    }

    /// The Open311 client of an API key.
    pub fn api_key(client: ApiClientId) -> Self {
        Client::ApiKey(client.0)
    }
}

/// A client over one of its limits; nothing of the request is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Limited {
    #[error("too many reports: retry in {retry_after_secs} s")]
    Reports { retry_after_secs: u32 },
    #[error("daily photo budget used up: retry in {retry_after_secs} s")]
    PhotoBytes { retry_after_secs: u32 },
}

/// The per-client limits of one running service.
pub struct ClientLimits {
    /// `None`: no limit (configured as 0).
    reports: Option<Keyed<Client>>,
    api_key_reports: Option<Keyed<Client>>,
    /// Counted in KiB, so a budget of terabytes still fits governor's `u32` cells.
    photo_kib: Option<Keyed<Client>>,
    clock: DefaultClock,
}

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

impl ClientLimits {
    /// The limits the configuration sets; a rate of 0 turns its limit off.
    pub fn new(config: &Config) -> Self {
        let per_minute = |rate: u32, burst: u32| {
            NonZeroU32::new(rate).map(|rate| {
                let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
                Keyed::hashmap(Quota::per_minute(rate).allow_burst(burst))
            })
        };
        let photo_kib = u32::try_from(config.photo_bytes_per_day / 1024)
            .unwrap_or(u32::MAX)
            .max(u32::from(config.photo_bytes_per_day > 0));
        Self {
            reports: per_minute(config.reports_per_minute, config.report_burst),
            api_key_reports: per_minute(
                config.api_key_reports_per_minute,
                config.api_key_reports_per_minute,
            ),
            photo_kib: NonZeroU32::new(photo_kib).and_then(|kib| {
                Quota::with_period(DAY / kib.get())
                    .map(|quota| Keyed::hashmap(quota.allow_burst(kib)))
            }),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one report of `client`, or says when it may file again.
    pub fn check_report(&self, client: Client) -> Result<(), Limited> {
        let limiter = match client {
            Client::Address(_) => &self.reports,
            Client::ApiKey(_) => &self.api_key_reports,
        };
        let Some(limiter) = limiter else {
            return Ok(());
        };
        limiter
            .check_key(&client)
            .map_err(|not_until| Limited::Reports {
                retry_after_secs: seconds(not_until.wait_time_from(self.clock.now())),
            })
    }

    /// Charges `bytes` of photos to `client`'s daily budget, all or nothing: a refused
    /// request uses none of it.
    pub fn charge_photos(&self, client: Client, bytes: u64) -> Result<(), Limited> {
        let (Some(limiter), Some(kib)) = (
            &self.photo_kib,
            NonZeroU32::new(u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX)),
        ) else {
            return Ok(());
        };
        match limiter.check_key_n(&client, kib) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => Err(Limited::PhotoBytes {
                retry_after_secs: seconds(not_until.wait_time_from(self.clock.now())),
            }),
            // More than a whole day's budget in one request: never, so "tomorrow".
            Err(_) => Err(Limited::PhotoBytes {
                retry_after_secs: seconds(DAY),
            }),
        }
    }

    /// Forgets the clients whose buckets are full again (they are as if never seen), so the
    /// state holds only the clients of the last minutes (the last day for photos).
    pub fn forget_idle(&self) {
        for limiter in [&self.reports, &self.api_key_reports, &self.photo_kib]
            .into_iter()
            .flatten()
        {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// How many clients the limits remember now.
    pub fn clients(&self) -> usize {
        [&self.reports, &self.api_key_reports, &self.photo_kib]
            .into_iter()
            .flatten()
            .map(|l| l.len())
            .sum()
    }
}

/// Whole seconds, rounded up, at least 1 (what `Retry-After` can say).
fn seconds(wait: Duration) -> u32 {
    u32::try_from(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
        .unwrap_or(u32::MAX)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(adjust: impl FnOnce(&mut Config)) -> ClientLimits {
        let mut config = Config::default();
        adjust(&mut config);
        ClientLimits::new(&config)
    }

    #[test]
    fn a_burst_then_refusal_per_client_with_a_wait() {
        let limits = limits(|c| {
            c.reports_per_minute = 6;
            c.report_burst = 3;
        });
        let a = Client::address("203.0.113.7".parse().unwrap());
        let b = Client::address("203.0.113.8".parse().unwrap());
        for _ in 0..3 {
            assert_eq!(limits.check_report(a), Ok(()));
        }
        let Err(Limited::Reports { retry_after_secs }) = limits.check_report(a) else {
            panic!("the fourth report at once is refused");
        };
        // One report every 10 s.
        assert!((1..=10).contains(&retry_after_secs), "{retry_after_secs}");
        assert_eq!(limits.check_report(b), Ok(()));
        // API keys have their own limit.
        assert_eq!(limits.check_report(Client::ApiKey(1)), Ok(()));
    }

    #[test]
    fn one_ipv6_subscriber_is_one_client() {
        let one = |s: &str| Client::address(s.parse().unwrap());
        assert_eq!(one("2001:db8:1:2::1"), one("2001:db8:1:2:ffff::9"));
        assert_ne!(one("2001:db8:1:2::1"), one("2001:db8:1:3::1"));
        assert_eq!(one("::ffff:192.0.2.1"), one("192.0.2.1"));
    }

    #[test]
    fn the_photo_budget_is_all_or_nothing() {
        let limits = limits(|c| c.photo_bytes_per_day = 100 * 1024);
        let a = Client::address("192.0.2.1".parse().unwrap());
        assert_eq!(limits.charge_photos(a, 60 * 1024), Ok(()));
        assert!(matches!(
            limits.charge_photos(a, 60 * 1024),
            Err(Limited::PhotoBytes { .. })
        ));
        // The refused charge used nothing: 40 KiB are left.
        assert_eq!(limits.charge_photos(a, 40 * 1024), Ok(()));
        // More than a day's budget at once waits a day.
        let b = Client::address("192.0.2.2".parse().unwrap());
        assert_eq!(
            limits.charge_photos(b, 101 * 1024),
            Err(Limited::PhotoBytes {
                retry_after_secs: 86_400
            })
        );
        assert_eq!(limits.charge_photos(b, 0), Ok(()));
    }

    #[test]
    fn zero_turns_a_limit_off_and_idle_clients_are_forgotten() {
        let off = limits(|c| {
            c.reports_per_minute = 0;
            c.photo_bytes_per_day = 0;
        });
        let a = Client::address("192.0.2.1".parse().unwrap());
        for _ in 0..100 {
            assert_eq!(off.check_report(a), Ok(()));
            assert_eq!(off.charge_photos(a, 1 << 30), Ok(()));
        }
        let on = limits(|c| c.reports_per_minute = 60_000);
        for i in 0..50u8 {
            assert_eq!(
                on.check_report(Client::address([10, 0, 0, i].into())),
                Ok(())
            );
        }
        assert_eq!(on.clients(), 50);
        // One report each refills within 10 ms at 1000 per second.
        std::thread::sleep(Duration::from_millis(20));
        on.forget_idle();
        assert_eq!(on.clients(), 0);
    }
}
