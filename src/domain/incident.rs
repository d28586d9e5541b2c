//! The vocabulary of an incident: status, priority, source channel, reporter, events.

use super::{CategoryCode, IncidentId, LonLat, TrackingNumber};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A value read from outside that names no known variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownValue(pub String);

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                match s { $($text => Ok($name::$variant),)+ _ => Err(UnknownValue(s.to_owned())) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// Where an incident is in its life.
    Status {
        New => "new",
        Acknowledged => "acknowledged",
        Assigned => "assigned",
        InProgress => "in_progress",
        Resolved => "resolved",
        Closed => "closed",
        Rejected => "rejected",
        Duplicate => "duplicate",
        Referred => "referred",
        Reopened => "reopened",
    }
);

impl Status {
    /// Whether it is still current: on the map and offered as a possible duplicate. A
    /// resolved incident stays current until it is closed, so residents see the fix and can
    /// reopen it.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Status::Closed | Status::Rejected | Status::Duplicate | Status::Referred
        )
    }

    /// Whether the city still has work to do on it: not yet resolved, or reopened. This is
    /// Open311's `open`; everything else is `closed`.
    pub fn awaits_work(self) -> bool {
        matches!(
            self,
            Status::New
                | Status::Acknowledged
                | Status::Assigned
                | Status::InProgress
                | Status::Reopened
        )
    }
}

text_enum!(
    /// How urgent an incident is.
    Priority {
        Low => "low",
        Normal => "normal",
        High => "high",
        Urgent => "urgent",
    }
);

text_enum!(
    /// The channel a report came through.
    SourceChannel {
        Web => "web",
        Api => "api",
        Open311 => "open311",
        Phone => "phone",
        Staff => "staff",
    }
);

text_enum!(
    /// What an event in an incident's log records.
    EventKind {
        Reported => "reported",
        StatusChanged => "status_changed",
    }
);

impl EventKind {
    /// Whether the event shows on the resident's public timeline.
    pub fn is_public(self) -> bool {
        match self {
            EventKind::Reported | EventKind::StatusChanged => true,
        }
    }
}

/// An e-mail address that passed a plausibility check (one `@`, a dotted domain, no spaces).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (local, domain) = raw.split_once('@')?;
        let ok = !local.is_empty()
            && raw.len() <= 254
            && !raw.contains(char::is_whitespace)
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.');
        ok.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The reporter's private contact. Never shown publicly; `Debug` is redacted so it cannot
/// reach a log line by accident.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Reporter {
    pub name: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    /// The reporter's device and account at the client they reported through (Open311).
    pub device_id: Option<String>,
    pub account_id: Option<String>,
}

impl Reporter {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.device_id.is_none()
            && self.account_id.is_none()
    }
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Reporter(<redacted>)")
    }
}

/// What the map and the duplicate suggestions need of an incident that is still open.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenIncident {
    pub id: IncidentId,
    pub tracking_number: TrackingNumber,
    pub category: CategoryCode,
    pub status: Status,
    pub location: LonLat,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_know_whether_they_are_open() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>(), Ok(*s));
        }
        assert!(Status::InProgress.is_open());
        assert!(!Status::Closed.is_open());
        assert!("done".parse::<Status>().is_err());
    }

    #[test]
    fn email_check_is_plausible_not_pedantic() {
        assert!(Email::parse("ana.pop@example.ro").is_some());
        assert!(Email::parse("ana pop@example.ro").is_none());
        assert!(Email::parse("ana@localhost").is_none());
        assert!(Email::parse("@example.ro").is_none());
    }

    #[test]
    fn reporter_debug_never_prints_contact() {
        let r = Reporter {
            name: Some("Ana".into()),
            email: Email::parse("ana@example.ro"),
            phone: None,
            device_id: None,
            account_id: None,
        };
        assert!(!format!("{r:?}").contains("ana"));
    }
}
