//! Budgets that expensive work is admitted against: memory for request bodies in flight and
//! for photo decodes. A request that does not fit waits a short while and is then turned
//! away (the caller answers 503 with `Retry-After`) instead of queueing without bound, so the
//! process's memory stays bounded however many clients arrive at once.

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Budget units are whole kibibytes, so a budget of many gigabytes still fits a semaphore.
const UNIT: u64 = 1024;

/// A number of bytes that work in flight may hold at once.
#[derive(Debug, Clone)]
pub struct ByteBudget {
    units: Arc<Semaphore>,
    capacity: u32,
    wait: Duration,
}

/// Held while admitted work runs; dropping it gives the bytes back.
#[derive(Debug)]
pub struct Admitted {
    permit: OwnedSemaphorePermit,
}

impl Admitted {
    /// Takes `more` into this admission; both are given back together.
    pub fn absorb(&mut self, more: Admitted) {
        self.permit.merge(more.permit);
    }
}

/// The budget stayed full for the whole wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("busy: try again in {retry_after_secs} s")]
pub struct Exhausted {
    pub retry_after_secs: u32,
}

impl ByteBudget {
    /// A budget of `bytes`, for which work waits at most `wait`.
    pub fn new(bytes: u64, wait: Duration) -> Self {
        let capacity = u32::try_from(bytes.div_ceil(UNIT))
            .unwrap_or(u32::MAX)
            .clamp(1, Semaphore::MAX_PERMITS as u32);
        Self {
            units: Arc::new(Semaphore::new(capacity as usize)),
            capacity,
            wait,
        }
    }

    /// The whole budget, in bytes.
    pub fn capacity_bytes(&self) -> u64 {
        u64::from(self.capacity) * UNIT
    }

    /// Admits work holding `bytes`. Work larger than the whole budget is admitted alone, when
    /// nothing else runs: callers refuse what no budget should carry before asking.
    pub async fn admit(&self, bytes: u64) -> Result<Admitted, Exhausted> {
        let units = u32::try_from(bytes.div_ceil(UNIT))
            .unwrap_or(u32::MAX)
            .clamp(1, self.capacity);
        let acquire = self.units.clone().acquire_many_owned(units);
        match tokio::time::timeout(self.wait, acquire).await {
            Ok(Ok(permit)) => Ok(Admitted { permit }),
            // The semaphore is never closed; a timeout and a close both mean "not now".
            Ok(Err(_)) | Err(_) => Err(Exhausted {
                retry_after_secs: self.retry_after_secs(),
            }),
        }
    }

    /// A client should come back after about as long as it was willing to wait, at least 1 s.
    fn retry_after_secs(&self) -> u32 {
        u32::try_from(self.wait.as_secs().max(1)).unwrap_or(u32::MAX)
    }

    /// Bytes free right now (for tests and logs).
    pub fn available_bytes(&self) -> u64 {
        self.units.available_permits() as u64 * UNIT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_waits_for_room_then_is_turned_away_and_room_comes_back() {
        let budget = ByteBudget::new(10 * UNIT, Duration::from_millis(50));
        let first = budget.admit(6 * UNIT).await.unwrap();
        assert_eq!(budget.available_bytes(), 4 * UNIT);
        // Does not fit beside the first: refused after the wait, with a Retry-After.
        let refused = budget.admit(6 * UNIT).await.unwrap_err();
        assert_eq!(refused.retry_after_secs, 1);
        drop(first);
        let second = budget.admit(6 * UNIT).await.unwrap();
        // Larger than the whole budget: admitted alone, so it cannot run beside `second`.
        assert!(budget.admit(100 * UNIT).await.is_err());
        drop(second);
        let alone = budget.admit(100 * UNIT).await.unwrap();
        assert_eq!(budget.available_bytes(), 0);
        drop(alone);
        assert_eq!(budget.available_bytes(), budget.capacity_bytes());
    }
}
