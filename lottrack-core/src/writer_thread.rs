//! The thread that stores a streamed batch's rows while the tracker validates
//! the next events (`batch.rs`), kept for the tracker's life, and the store
//! lent to it for one batch.
//!
//! Measured on the 2-vCPU VM the benchmarks run on (`benches/README.md`,
//! eighth round): a thread started for each batch began to run 0.13 ms after
//! it was asked for at the median and 3 ms at the 90th percentile (it waited
//! for a CPU), and the batch's commit waited for it. A kept thread is there
//! already. For the same reason every wait of a batch spins for a while before
//! it sleeps ([`recv_spinning`]): the next chunk, the next batch or the commit
//! is usually less than a millisecond away, and a sleeping thread runs again
//! only when the system gives its CPU back.
//!
//! The store is moved to the thread for the batch and back with the result
//! (no lifetimes are stretched); [`Lease`] brings it back even when the
//! validating thread unwinds. Between batches the thread also takes small
//! tasks off the caller's path ([`WriterThread::run`]): freeing a recorded
//! batch's events, reading the second half of a long JSON array.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::sync::mpsc::{Receiver, RecvError, SendError, Sender, SyncSender, TryRecvError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::store::{EventStore, NewEvent, StoredEvent};

/// How long the kept thread spins for its next batch before it sleeps: a
/// caller recording batch after batch starts the next within this.
const IDLE_SPIN: Duration = Duration::from_millis(1);
/// How long a batch's waits (for a chunk, for the commit) spin before they sleep.
pub(crate) const BATCH_SPIN: Duration = Duration::from_millis(2);

/// The work of one batch on the writing thread, given the store.
pub(crate) type StoreJob = Box<dyn FnOnce(&mut dyn EventStore) -> Result<u64> + Send>;

/// The store and its result, back from the writing thread.
type Returned = (Box<dyn EventStore>, Result<u64>);

/// One batch for the writing thread: the store lent to it, what to do with it,
/// and where to send both back.
struct Lend {
    store: Box<dyn EventStore>,
    job: StoreJob,
    reply: Sender<Returned>,
}

/// What the thread is given.
enum Work {
    Lend(Lend),
    /// Run there, off the caller's path.
    Run(Task),
}

/// Work with no store: freeing a batch's events, reading half a JSON array.
pub(crate) type Task = Box<dyn FnOnce() + Send>;

/// The kept writing thread of one tracker, started with its first streamed
/// batch; stopped and joined when dropped.
#[derive(Debug, Default)]
pub(crate) struct WriterThread {
    lends: Option<Sender<Work>>,
    thread: Option<JoinHandle<()>>,
}

impl WriterThread {
    /// Moves the store out of `slot` to the writing thread (starting it if
    /// need be), which runs `job` on it; `to_job` is the channel the job reads
    /// its chunks from. The returned [`Lease`] puts the store back. On an
    /// error the store is back in `slot` already.
    pub(crate) fn lend<'a, M>(
        &mut self,
        slot: &'a mut Box<dyn EventStore>,
        to_job: SyncSender<M>,
        job: StoreJob,
    ) -> Result<Lease<'a, M>> {
        let (reply, returned) = channel();
        let store = std::mem::replace(slot, Box::new(LentStore));
        let mut lend = Lend { store, job, reply };
        // A second try only if the thread is found gone (it ends only when
        // this handle drops, so this is defensive).
        for _ in 0..2 {
            if self.lends.is_none()
                && let Err(e) = self.start()
            {
                *slot = lend.store;
                return Err(e);
            }
            if let Some(lends) = &self.lends {
                match lends.send(Work::Lend(lend)) {
                    Ok(()) => {
                        return Ok(Lease {
                            slot,
                            to_job: Some(to_job),
                            returned,
                            back: false,
                        });
                    }
                    Err(SendError(work)) => match work {
                        Work::Lend(again) => {
                            lend = again;
                            self.stop();
                        }
                        // Only a `Lend` was sent.
                        Work::Run(_) => return Err(lost()),
                    },
                }
            }
        }
        *slot = lend.store;
        Err(Error::Storage {
            message: "the writing thread could not take the batch".into(),
        })
    }

    /// Frees `garbage` on the writing thread when it runs, else here: the
    /// caller goes on meanwhile.
    pub(crate) fn dispose(&self, garbage: Box<dyn Send>) {
        if let Some(lends) = &self.lends {
            let _ = lends.send(Work::Run(Box::new(move || drop(garbage))));
        }
    }

    /// Runs `task` on the writing thread (starting it if need be), after any
    /// batch before it; gives `task` back when no thread could take it.
    pub(crate) fn run(&mut self, task: Task) -> std::result::Result<(), Task> {
        if self.lends.is_none() && self.start().is_err() {
            return Err(task);
        }
        let Some(lends) = &self.lends else {
            return Err(task);
        };
        match lends.send(Work::Run(task)) {
            Ok(()) => Ok(()),
            Err(SendError(Work::Run(task))) => {
                self.stop(); // the thread has ended
                Err(task)
            }
            // `SendError` gives back what was sent, a `Run`.
            Err(SendError(Work::Lend(_))) => Ok(()),
        }
    }

    fn start(&mut self) -> Result<()> {
        let (lends, incoming) = channel::<Work>();
        let thread = std::thread::Builder::new()
            .name("lottrack-writer".into())
            .spawn(move || {
                while let Ok(work) = recv_spinning(&incoming, IDLE_SPIN) {
                    let Lend {
                        mut store,
                        job,
                        reply,
                    } = match work {
                        Work::Lend(lend) => lend,
                        Work::Run(task) => {
                            // A panic is the task's to report (it holds
                            // the channel its caller waits on).
                            let _ = catch_unwind(AssertUnwindSafe(task));
                            continue;
                        }
                    };
                    // A panic ends this batch only; the store goes back.
                    let result = catch_unwind(AssertUnwindSafe(|| job(&mut *store)))
                        .unwrap_or_else(|_| {
                            Err(Error::Storage {
                                message: "the writing thread panicked; nothing was stored".into(),
                            })
                        });
                    let _ = reply.send((store, result));
                }
            })
            .map_err(|e| Error::Storage {
                message: format!("cannot start the writing thread: {e}"),
            })?;
        self.lends = Some(lends);
        self.thread = Some(thread);
        Ok(())
    }

    fn stop(&mut self) {
        self.lends = None; // the thread's wait ends
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for WriterThread {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A store lent to the writing thread for one batch, and the channel to its
/// job. [`Lease::finish`] closes the channel, waits for the job and puts the
/// store back; dropping the lease unfinished (an early return, a panic) does
/// the same and discards the result.
pub(crate) struct Lease<'a, M> {
    slot: &'a mut Box<dyn EventStore>,
    to_job: Option<SyncSender<M>>,
    returned: Receiver<Returned>,
    back: bool,
}

impl<M> Lease<'_, M> {
    /// Sends `msg` to the job; `false` when the job has stopped reading.
    pub(crate) fn send(&self, msg: M) -> bool {
        self.to_job.as_ref().is_some_and(|tx| tx.send(msg).is_ok())
    }

    /// Closes the channel, waits for the job and returns its result, the store
    /// back in its slot.
    pub(crate) fn finish(mut self) -> Result<u64> {
        self.take_back()
    }

    fn take_back(&mut self) -> Result<u64> {
        self.to_job = None;
        self.back = true;
        match recv_spinning(&self.returned, BATCH_SPIN) {
            Ok((store, result)) => {
                *self.slot = store;
                result
            }
            // Unreachable: the thread replies to every batch, a panic included.
            Err(RecvError) => Err(lost()),
        }
    }
}

impl<M> Drop for Lease<'_, M> {
    fn drop(&mut self) {
        if !self.back {
            let _ = self.take_back();
        }
    }
}

/// Receives from `rx`, spinning for up to `spin` before sleeping; sleeps at
/// once on a single CPU.
pub(crate) fn recv_spinning<T>(
    rx: &Receiver<T>,
    spin: Duration,
) -> std::result::Result<T, RecvError> {
    if !may_spin() {
        return rx.recv();
    }
    let start = Instant::now();
    loop {
        for _ in 0..64 {
            match rx.try_recv() {
                Ok(v) => return Ok(v),
                Err(TryRecvError::Disconnected) => return Err(RecvError),
                Err(TryRecvError::Empty) => std::hint::spin_loop(),
            }
        }
        if start.elapsed() >= spin {
            return rx.recv();
        }
    }
}

/// Whether waits may spin: only with two CPUs or more for this process (its
/// affinity and CPU quota count). On one, a spinning thread holds the CPU the
/// thread it waits for needs: recording into memory measured 3× slower
/// (`taskset -c 0`, `benches/README.md`, eighth round).
fn may_spin() -> bool {
    static MAY: OnceLock<bool> = OnceLock::new();
    *MAY.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2))
}

fn lost() -> Error {
    Error::Storage {
        message: "the store was lost with its writing thread; open the tracker again".into(),
    }
}

/// What stands in a tracker's store slot while the store is lent: every call
/// fails (none is made: the slot is behind the tracker's store lock for the
/// whole batch), and so does every later one if the store never came back.
struct LentStore;

impl EventStore for LentStore {
    fn append(&mut self, _: u64, _: &[NewEvent]) -> Result<u64> {
        Err(lost())
    }

    fn read_from(&mut self, _: u64, _: &mut dyn FnMut(StoredEvent) -> Result<()>) -> Result<()> {
        Err(lost())
    }

    fn last_seq(&mut self) -> Result<u64> {
        Err(lost())
    }

    fn describe(&self) -> String {
        "lost (its writing thread stopped)".into()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use std::sync::mpsc::sync_channel;

    fn row(i: u32) -> NewEvent {
        NewEvent {
            event_id: format!("E{i}"),
            recorded_at: "2026-01-01T00:00:00Z".into(),
            json: "{}".into(),
        }
    }

    /// A job that appends the chunks it is sent after `expected`: `None`
    /// ends the batch, a closed channel abandons it.
    fn appender(expected: u64, rx: Receiver<Option<Vec<NewEvent>>>) -> StoreJob {
        Box::new(move |store: &mut dyn EventStore| {
            store.append_streamed(expected, &mut |_| {
                recv_spinning(&rx, BATCH_SPIN).map_err(|_| Error::Storage {
                    message: "abandoned".into(),
                })
            })
        })
    }

    #[test]
    fn the_store_goes_to_the_thread_and_back_batch_after_batch() {
        let mut writer = WriterThread::default();
        let mut slot: Box<dyn EventStore> = Box::new(MemoryStore::new());
        let (tx, rx) = sync_channel(4);
        let lease = writer.lend(&mut slot, tx, appender(0, rx)).unwrap();
        assert!(lease.send(Some(vec![row(1), row(2)])));
        assert!(lease.send(Some(vec![row(3)])));
        assert!(lease.send(None));
        assert_eq!(lease.finish().unwrap(), 3);
        assert_eq!(slot.last_seq().unwrap(), 3);
        // The same thread takes the next batch.
        let first = writer.thread.as_ref().unwrap().thread().id();
        let (tx, rx) = sync_channel(4);
        let lease = writer.lend(&mut slot, tx, appender(3, rx)).unwrap();
        assert!(lease.send(Some(vec![row(4)])));
        assert!(lease.send(None));
        assert_eq!(lease.finish().unwrap(), 4);
        assert_eq!(writer.thread.as_ref().unwrap().thread().id(), first);
        assert_eq!(slot.last_seq().unwrap(), 4);
    }

    #[test]
    fn a_dropped_lease_brings_the_store_back_and_a_panicking_job_too() {
        let mut writer = WriterThread::default();
        let mut slot: Box<dyn EventStore> = Box::new(MemoryStore::new());
        let (tx, rx) = sync_channel(4);
        {
            let lease = writer.lend(&mut slot, tx, appender(0, rx)).unwrap();
            assert!(lease.send(Some(vec![row(1)])));
            // Dropped unfinished, as on an early return: the job sees the
            // channel close and abandons the batch; the store comes back.
        }
        assert_eq!(slot.last_seq().unwrap(), 0);
        let (tx, _rx) = sync_channel::<()>(1);
        let job: StoreJob = Box::new(|_| panic!("a bug in a store"));
        let err = writer
            .lend(&mut slot, tx, job)
            .unwrap()
            .finish()
            .unwrap_err();
        assert!(err.to_string().contains("panicked"), "{err}");
        assert_eq!(slot.describe(), "memory");
        // The thread survived the panic and takes the next batch.
        let (tx, rx) = sync_channel(4);
        let lease = writer.lend(&mut slot, tx, appender(0, rx)).unwrap();
        assert!(lease.send(Some(vec![row(1)])));
        assert!(lease.send(None));
        assert_eq!(lease.finish().unwrap(), 1);
    }

    #[test]
    fn the_lent_store_refuses_everything() {
        let mut lent = LentStore;
        assert_eq!(lent.describe(), "lost (its writing thread stopped)");
        let err = lent.append(0, &[row(1)]).unwrap_err();
        assert!(err.to_string().contains("lost"), "{err}");
        assert!(lent.last_seq().is_err());
        assert!(lent.read_from(0, &mut |_| Ok(())).is_err());
    }
}
