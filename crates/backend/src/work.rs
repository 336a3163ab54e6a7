//! Work that takes much CPU time and memory per request — hashing a password with Argon2id (19 MiB), decoding
//! a picture for its thumbnail (up to 256 MiB) — runs on the blocking threads, at most so many at a time
//! (`--argon2-concurrency`, `--decode-concurrency`). Further requests wait for a turn, within the request
//! timeout, instead of taking the server's memory and cores all at once.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::error::ApiError;

/// Passwords hashed at the same time, unless `--argon2-concurrency` says otherwise.
pub const DEFAULT_ARGON2_CONCURRENCY: u32 = 2;
/// Pictures decoded at the same time, unless `--decode-concurrency` says otherwise.
pub const DEFAULT_DECODE_CONCURRENCY: u32 = 2;

/// One kind of heavy work with its number of turns; cheap to clone (the turns are shared).
#[derive(Clone, Debug)]
pub struct Bounded {
    turns: Arc<Semaphore>,
}

impl Bounded {
    /// At most `at_once` jobs at the same time (at least one).
    pub fn new(at_once: u32) -> Bounded {
        Bounded {
            turns: Arc::new(Semaphore::new(at_once.max(1) as usize)),
        }
    }

    /// Runs `job` on a blocking thread once a turn is free. The turn is held until the job ends, even when the
    /// request that asked for it was given up meanwhile.
    pub async fn run<T, F>(&self, job: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let turn = Arc::clone(&self.turns)
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(move || {
            let result = job();
            drop(turn);
            result
        })
        .await
        .map_err(ApiError::internal)
    }

    /// The turns themselves: a test takes them all to see requests wait.
    pub fn turns(&self) -> &Arc<Semaphore> {
        &self.turns
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn no_more_jobs_run_at_once_than_there_are_turns() {
        let bounded = Bounded::new(2);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs = (0..8).map(|_| {
            let (bounded, running, most) = (bounded.clone(), running.clone(), most.clone());
            tokio::spawn(async move {
                bounded
                    .run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(30));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
            })
        });
        for job in jobs.collect::<Vec<_>>() {
            job.await.unwrap().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }
}
