//! Copying a SQLite store's write-ahead log back into its database file
//! (SQLite's *checkpoint*, not the tracker's index checkpoint) on a thread of
//! its own, so that a commit does not wait for it.
//!
//! SQLite's default runs the copy inside the commit that takes the log past
//! 1 000 pages: that commit then also reads those pages back, writes them into
//! the database file and syncs it. Here the commit only wakes the thread, which
//! copies with a connection of its own while the next batches are written.
//! Should that thread fall behind, the writer copies itself, as SQLite would,
//! so the log cannot grow without bound. Nothing about durability changes: a
//! commit is durable once it is in the log, whoever copies it later.

use std::ffi::c_int;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::hooks::Wal;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// Pages in the log at which a commit wakes the copying thread (SQLite's own
/// threshold for copying).
const WAKE_AT: c_int = 1000;
/// Pages in the log at which the committing connection copies itself: the
/// thread has fallen far behind.
const COPY_INLINE_AT: c_int = 16 * WAKE_AT;

/// The copying thread of one store; stopped and joined when dropped.
#[derive(Debug)]
pub(crate) struct WalBackfill {
    wake: SyncSender<()>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl WalBackfill {
    /// Starts copying the log of the database at `path`, whose writing
    /// connection is `writer`.
    pub(crate) fn start(
        writer: &mut Connection,
        path: &Path,
        busy_timeout: Duration,
    ) -> Result<WalBackfill> {
        Self::start_at(writer, path, busy_timeout, WAKE_AT, COPY_INLINE_AT)
    }

    /// [`WalBackfill::start`] with the thresholds given (in pages).
    fn start_at(
        writer: &mut Connection,
        path: &Path,
        busy_timeout: Duration,
        wake_at: c_int,
        copy_inline_at: c_int,
    ) -> Result<WalBackfill> {
        let failed = |e: &dyn std::fmt::Display| Error::Storage {
            message: format!(
                "cannot start copying the write-ahead log of {}: {e}",
                path.display()
            ),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let own = Connection::open_with_flags(path, flags).map_err(|e| failed(&e))?;
        own.busy_timeout(busy_timeout).map_err(|e| failed(&e))?;
        // A connection opens the file, and sees its log, on first use: until
        // then a checkpoint finds no log and does nothing.
        let mode: String = own
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .map_err(|e| failed(&e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(failed(&format!("journal_mode is `{mode}`")));
        }
        let (wake, woken) = sync_channel::<()>(1);
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("lottrack-wal-backfill".into())
            .spawn(move || {
                while woken.recv().is_ok() && !stopped.load(Ordering::Acquire) {
                    // PASSIVE: copies what no reader still needs and never
                    // waits for the writer. What it leaves, the next wake-up
                    // copies; an error (a busy file) likewise waits for it.
                    let _ = own.wal_checkpoint_v2(Some(c"main"), Default::default());
                }
            })
            .map_err(|e| failed(&e))?;
        let hook_wake = wake.clone();
        let hooked = writer.wal_hook(Some(move |wal: &mut Wal, pages: c_int| {
            if pages >= copy_inline_at {
                // Never an error here: SQLite would report it as the
                // statement's, though the commit has happened. (SQLite's own
                // hook ignores it too; `Busy` while the thread copies.)
                let _ = wal.checkpoint();
            } else if pages >= wake_at {
                // Already woken and not yet copying: nothing more to say.
                let _ = hook_wake.try_send(());
            }
            Ok(())
        }));
        let backfill = WalBackfill {
            wake,
            stop,
            thread: Some(thread),
        };
        hooked.map_err(|e| failed(&e))?; // dropping `backfill` stops the thread
        Ok(backfill)
    }
}

impl Drop for WalBackfill {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // The channel holds at most one wake-up; when it is full the thread
        // sees `stop` after it.
        let _ = self.wake.try_send(());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn writer(path: &Path) -> Connection {
        let c = Connection::open(path).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT);",
        )
        .unwrap();
        c
    }

    fn write(c: &Connection, rows: usize) {
        let body = "x".repeat(2000);
        for _ in 0..rows {
            c.execute("INSERT INTO t(body) VALUES (?1)", [&body])
                .unwrap();
        }
    }

    #[test]
    fn a_writer_whose_copier_never_wakes_copies_itself_without_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inline.db");
        let mut c = writer(&path);
        // The thread is never woken; the writer copies past 20 pages.
        let b =
            WalBackfill::start_at(&mut c, &path, Duration::from_secs(1), c_int::MAX, 20).unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        write(&c, 400); // ~800 KB, one commit a row
        assert!(std::fs::metadata(&path).unwrap().len() > before + 500_000);
        // Another connection copying all the while: the writer's commits never
        // fail (a copy that meets another one is `Busy`, which the hook
        // ignores, as SQLite's own does).
        let done = AtomicBool::new(false);
        let busy = std::thread::scope(|s| {
            let other = s.spawn(|| {
                let other = Connection::open(&path).unwrap();
                let mut busy = 0;
                while !done.load(Ordering::Acquire) {
                    if other
                        .wal_checkpoint_v2(Some(c"main"), Default::default())
                        .is_err()
                    {
                        busy += 1;
                    }
                }
                busy
            });
            write(&c, 600);
            done.store(true, Ordering::Release);
            other.join().unwrap()
        });
        drop(b);
        let n: i64 = c
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            n, 1000,
            "({busy} of the other connection's copies were busy)"
        );
    }

    #[test]
    fn dropping_stops_the_thread_even_while_it_is_woken() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wake.db");
        let mut c = writer(&path);
        // Woken on every commit past 1 page.
        let b =
            WalBackfill::start_at(&mut c, &path, Duration::from_secs(1), 1, c_int::MAX).unwrap();
        write(&c, 200);
        drop(b); // joins the thread: returns
        write(&c, 10); // the hook's wake-ups now go nowhere, without an error
        let n: i64 = c
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 210);
    }
}
