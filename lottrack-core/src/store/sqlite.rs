//! The SQLite store: the embedded default, one file, WAL mode.
//!
//! The full documentation (file layout, durability, several processes) is on
//! [`SqliteStore`], since this module is private. In short: WAL mode,
//! `synchronous=FULL` by default, one transaction per batch (`BEGIN IMMEDIATE`), and
//! files that are not lottrack stores are refused without being written to.
//!
//! **Warning:** no second SQLite library in the same process (Python's `sqlite3`
//! module, a system `libsqlite3`) may open the file while lottrack has it open:
//! closing its descriptor drops lottrack's POSIX locks on the file.

// `Error` is large (its richest variants carry several strings); it is the crate's
// one error type, so the store functions return it as is.
#![allow(clippy::result_large_err)]

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::wal_backfill::WalBackfill;
use rusqlite::types::Value;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, ffi};

use super::{EventStore, NewEvent, StoredEvent};
use crate::error::{Error, Result};

/// `PRAGMA application_id` of a lottrack store: `"LTRK"` in ASCII.
const APPLICATION_ID: i32 = 0x4C54_524B;
/// The schema version this build writes and reads.
const SCHEMA_VERSION: i64 = 1;
/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
/// The page size of the files this build creates.
const PAGE_SIZE: i64 = 8192;
/// How long a writer waits for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const CREATE_SCHEMA: &str = "\
CREATE TABLE lottrack_meta(key TEXT PRIMARY KEY, value);
CREATE TABLE events(
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    json TEXT NOT NULL
);";
const SELECT_LAST: &str = "SELECT COALESCE(MAX(seq), 0) FROM events";
const INSERT_EVENT: &str =
    "INSERT INTO events(seq, event_id, recorded_at, json) VALUES (?1, ?2, ?3, ?4)";
const SELECT_FROM: &str =
    "SELECT seq, event_id, recorded_at, json FROM events WHERE seq > ?1 ORDER BY seq";
const SELECT_SEQ: &str = "SELECT seq, event_id, recorded_at, json FROM events WHERE seq = ?1";

/// How hard SQLite pushes each commit to stable storage (`PRAGMA synchronous`).
///
/// Both settings keep the file consistent; they differ in what an OS crash or a
/// power loss may take away.
///
/// ```
/// use lottrack_core::store::{SqliteOptions, Synchronous};
/// let opts = SqliteOptions { synchronous: Synchronous::Normal };
/// assert_ne!(opts.synchronous, Synchronous::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Synchronous {
    /// `synchronous=FULL` (the default): every append is flushed (`fsync`) to the
    /// write-ahead log before it returns. An acknowledged event survives a process
    /// crash, `kill -9`, an OS crash and a power loss.
    #[default]
    Full,
    /// `synchronous=NORMAL` in WAL mode: the log is flushed only at checkpoints, which
    /// makes single-event appends several times faster. A crash of the process
    /// (panic, `kill -9`) still loses nothing — the data is in the OS page cache — but
    /// an OS crash or a power loss may lose the last acknowledged transactions. The
    /// file is never corrupted: it reopens at a consistent earlier point of the log.
    Normal,
}

impl Synchronous {
    fn pragma_value(self) -> &'static str {
        match self {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
        }
    }
}

/// Options for [`SqliteStore::open_with`].
///
/// ```
/// use lottrack_core::store::{SqliteOptions, Synchronous};
/// assert_eq!(SqliteOptions::default().synchronous, Synchronous::Full);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SqliteOptions {
    /// Durability of each append; [`Synchronous::Full`] unless changed.
    pub synchronous: Synchronous,
}

/// An event log in one SQLite file (WAL mode).
///
/// # File layout
///
/// The file is an ordinary SQLite 3 database (SQLite is bundled, no system library
/// is needed) that can be read with the `sqlite3` shell:
///
/// ```text
/// $ sqlite3 plant.lottrack "SELECT seq, event_id, recorded_at, json FROM events ORDER BY seq LIMIT 3"
/// ```
///
/// * `lottrack_meta(key TEXT PRIMARY KEY, value)` holds `schema_version` (`1`), so later
///   versions can migrate;
/// * `events(seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, recorded_at TEXT
///   NOT NULL, json TEXT NOT NULL)` holds the log, one row per event, in the design's
///   JSON format;
/// * the header's `application_id` is `0x4C54524B` (`"LTRK"`), so `file(1)`-style
///   tools can tell a lottrack store from other SQLite files.
///
/// # Durability
///
/// The file is in WAL mode and, by default, `synchronous=FULL`: an append returns
/// only once its transaction is on stable storage, so an acknowledged event survives
/// a process crash, a `kill -9`, an OS crash or a power loss. A batch is one
/// transaction: all of it is stored or none of it. [`Synchronous::Normal`] trades the
/// last transactions on an OS crash or power loss for faster single-event appends
/// (see its documentation).
///
/// # Opening
///
/// [`SqliteStore::open`] creates the file when it is missing and initialises a new
/// or empty (0-byte) file. It refuses, **without writing anything to the file**:
///
/// * a file that is not SQLite (or a directory, a device …) → [`Error::NotAStore`];
/// * a SQLite database without lottrack's tables (another application's database,
///   even an empty one) → [`Error::NotAStore`];
/// * a store written by a newer lottrack (`schema_version` > 1) →
///   [`Error::SchemaTooNew`].
///
/// # Several processes
///
/// Several processes (each with its own `SqliteStore`) may open the same file on a
/// local file system: appends take SQLite's write lock with `BEGIN IMMEDIATE`, so the
/// expected-last-sequence check and the insert are atomic, and a writer waits up to
/// 5 seconds for another one before giving up with [`Error::Storage`]. A writer that
/// finds new rows gets [`Error::Conflict`] and catches up with
/// [`EventStore::read_from`]. WAL needs shared memory between the processes: do not
/// put the file on a network file system.
///
/// # Do not open the file with a second SQLite library in the same process
///
/// While lottrack has the file open, no *other* copy of SQLite in the same process
/// may open it — typically Python's `sqlite3` module next to the lottrack Python
/// binding, or a system `libsqlite3` loaded by another library. SQLite's locks are
/// POSIX advisory locks, which belong to the process, not to the descriptor: when the
/// other library closes its descriptor on the file, the kernel silently drops every
/// lock lottrack holds on it, and a concurrent writer in another process can then
/// corrupt the database. Inspect a live store from a separate process (the `sqlite3`
/// shell is fine), or through lottrack's own API.
///
/// # Example
///
/// ```
/// use lottrack_core::store::{EventStore, NewEvent, SqliteStore};
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("plant.lottrack");
/// let mut store = SqliteStore::open(&path)?;
/// let ev = NewEvent {
///     event_id: "E1".into(),
///     recorded_at: "2026-03-01T08:00:00Z".into(),
///     json: r#"{"event_id":"E1"}"#.into(),
/// };
/// assert_eq!(store.append(0, &[ev])?, 1);
/// drop(store);
///
/// let mut reopened = SqliteStore::open(&path)?;
/// assert_eq!(reopened.last_seq()?, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    /// Copies the log into the file in the background; held to be dropped
    /// before `conn`, whose close then copies what is left.
    _backfill: WalBackfill,
    conn: Connection,
    path: PathBuf,
}

/// What [`inspect`] found in a database.
enum Layout {
    /// No schema objects and no pages: a new or 0-byte file.
    Blank,
    /// A database with pages but without lottrack's tables.
    Foreign(String),
    /// `lottrack_meta` is present.
    Lottrack,
}

impl SqliteStore {
    /// Opens the store at `path` with the default options (`synchronous=FULL`),
    /// creating and initialising the file when it is missing or empty.
    ///
    /// Fails with [`Error::NotAStore`] for a file that is not a lottrack store and
    /// [`Error::SchemaTooNew`] for one written by a newer lottrack; the file is then
    /// left unchanged.
    ///
    /// ```
    /// use lottrack_core::{store::SqliteStore, Error};
    /// let dir = tempfile::tempdir()?;
    /// let junk = dir.path().join("notes.txt");
    /// std::fs::write(&junk, "shopping list")?;
    /// assert!(matches!(SqliteStore::open(&junk), Err(Error::NotAStore { .. })));
    /// assert_eq!(std::fs::read(&junk)?, b"shopping list");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore> {
        Self::open_with(path, SqliteOptions::default())
    }

    /// Opens the store at `path` with `options`; otherwise like [`SqliteStore::open`].
    ///
    /// ```
    /// use lottrack_core::store::{EventStore, SqliteOptions, SqliteStore, Synchronous};
    /// let dir = tempfile::tempdir()?;
    /// let opts = SqliteOptions { synchronous: Synchronous::Normal };
    /// let mut store = SqliteStore::open_with(dir.path().join("fast.lottrack"), opts)?;
    /// assert_eq!(store.last_seq()?, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_with(path: impl AsRef<Path>, options: SqliteOptions) -> Result<SqliteStore> {
        let path = path.as_ref();
        probe_file(path)?;

        // No SQLITE_OPEN_URI: a path is always a path, never a `file:` URI.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn =
            Connection::open_with_flags(path, flags).map_err(|e| sqlite_err(path, "open", e))?;
        // Connection settings only: nothing below writes to the file until the
        // database has been recognised (or found blank).
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sqlite_err(path, "configure", e))?;
        // A 64 MiB page cache (the default is 2 MiB): the `event_id` index of a log
        // of millions of events no longer fits the default, and batched appends
        // then wait on page reads. Memory is taken only as pages are used.
        conn.pragma_update(None, "cache_size", -65_536)
            .map_err(|e| sqlite_err(path, "configure", e))?;
        conn.pragma_update(None, "synchronous", options.synchronous.pragma_value())
            .map_err(|e| sqlite_err(path, "configure", e))?;

        match inspect(&conn, false).map_err(|e| sqlite_err(path, "read", e))? {
            Layout::Lottrack => check_version(&conn, path)?,
            Layout::Blank => initialise(&mut conn, path)?,
            Layout::Foreign(what) => return Err(not_a_store(path, &what)),
        }

        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(|e| sqlite_err(path, "enable WAL on", e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Storage {
                message: format!(
                    "{}: could not enable WAL mode (journal_mode is `{mode}`); \
                     is the file on a network file system?",
                    path.display()
                ),
            });
        }
        let backfill = WalBackfill::start(&mut conn, path, BUSY_TIMEOUT)?;
        Ok(SqliteStore {
            _backfill: backfill,
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The path the store was opened with.
    ///
    /// ```
    /// use lottrack_core::store::SqliteStore;
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("a.lottrack");
    /// assert_eq!(SqliteStore::open(&path)?.path(), path.as_path());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, action: &str, e: rusqlite::Error) -> Error {
        sqlite_err(&self.path, action, e)
    }
}

impl SqliteStore {
    /// Inserts the rows `feed` hands to its callback, in one transaction after
    /// `expected_last_seq`; nothing is stored when `feed` fails or the log moved
    /// on.
    fn insert_rows(
        &mut self,
        expected_last_seq: u64,
        feed: impl FnOnce(&mut dyn FnMut(&NewEvent) -> Result<()>) -> Result<()>,
    ) -> Result<u64> {
        let path = &self.path;
        let err = |action: &str, e| sqlite_err(path, action, e);
        // IMMEDIATE takes the write lock now, so no other connection can append
        // between the check of the last sequence number and the inserts.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| err("begin a transaction on", e))?;
        let last = query_last(&tx).map_err(|e| err("read", e))?;
        if last != expected_last_seq {
            return Err(stale(expected_last_seq, last)); // dropping `tx` rolls back
        }
        let mut seq = last;
        {
            let mut insert = tx
                .prepare_cached(INSERT_EVENT)
                .map_err(|e| err("prepare an insert on", e))?;
            // An error (from `feed` too) returns early: dropping `tx` rolls back.
            feed(&mut |ev: &NewEvent| {
                seq += 1;
                let at = i64::try_from(seq).map_err(|_| Error::Storage {
                    message: format!("{}: sequence number overflow", path.display()),
                })?;
                insert
                    .execute((at, &ev.event_id, &ev.recorded_at, &ev.json))
                    .map_err(|e| insert_err(path, &ev.event_id, e))?;
                Ok(())
            })?;
        }
        if seq == last {
            // Nothing to store: no transaction to commit.
            return Ok(last);
        }
        tx.commit().map_err(|e| err("commit to", e))?;
        Ok(seq)
    }
}

impl EventStore for SqliteStore {
    fn append(&mut self, expected_last_seq: u64, events: &[NewEvent]) -> Result<u64> {
        self.insert_rows(expected_last_seq, |insert| {
            events.iter().try_for_each(insert)
        })
    }

    fn append_streamed(
        &mut self,
        expected_last_seq: u64,
        next: &mut dyn FnMut(Vec<NewEvent>) -> Result<Option<Vec<NewEvent>>>,
    ) -> Result<u64> {
        self.insert_rows(expected_last_seq, |insert| {
            let mut spent = Vec::new();
            while let Some(chunk) = next(spent)? {
                chunk.iter().try_for_each(&mut *insert)?;
                spent = chunk;
            }
            Ok(())
        })
    }

    fn read_from(
        &mut self,
        after_seq: u64,
        visit: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let after = i64::try_from(after_seq).unwrap_or(i64::MAX);
        let mut stmt = self
            .conn
            .prepare_cached(SELECT_FROM)
            .map_err(|e| sqlite_err(&self.path, "prepare a read on", e))?;
        let mut rows = stmt
            .query([after])
            .map_err(|e| sqlite_err(&self.path, "read", e))?;
        while let Some(row) = rows.next().map_err(|e| sqlite_err(&self.path, "read", e))? {
            let event =
                decode_row(row).map_err(|e| sqlite_err(&self.path, "decode a row of", e))?;
            visit(event)?;
        }
        Ok(())
    }

    fn read_seqs(
        &mut self,
        seqs: &[u64],
        visit: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached(SELECT_SEQ)
            .map_err(|e| sqlite_err(&self.path, "prepare a read on", e))?;
        for &seq in seqs {
            let key = i64::try_from(seq).map_err(|_| super::missing_seq(seq))?;
            let mut rows = stmt
                .query([key])
                .map_err(|e| sqlite_err(&self.path, "read", e))?;
            let row = rows
                .next()
                .map_err(|e| sqlite_err(&self.path, "read", e))?
                .ok_or_else(|| super::missing_seq(seq))?;
            let event =
                decode_row(row).map_err(|e| sqlite_err(&self.path, "decode a row of", e))?;
            drop(rows);
            visit(event)?;
        }
        Ok(())
    }

    fn last_seq(&mut self) -> Result<u64> {
        query_last(&self.conn).map_err(|e| self.err("read", e))
    }

    /// The store's file with `.checkpoint` appended (`plant.lottrack` →
    /// `plant.lottrack.checkpoint`).
    fn checkpoint_path(&self) -> Option<PathBuf> {
        let mut p = self.path.clone().into_os_string();
        p.push(".checkpoint");
        Some(PathBuf::from(p))
    }

    fn describe(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }
}

/// A row of `SELECT seq, event_id, recorded_at, json`.
fn decode_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEvent> {
    let seq: i64 = row.get(0)?;
    Ok(StoredEvent {
        seq: u64::try_from(seq).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(0, seq))?,
        event_id: row.get(1)?,
        recorded_at: row.get(2)?,
        json: row.get(3)?,
    })
}

/// Refuses, before SQLite touches it, a path that is not a regular file or whose
/// first bytes are not the SQLite header. A missing or 0-byte file passes.
fn probe_file(path: &Path) -> Result<()> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Error::Storage {
                message: format!("{}: {e}", path.display()),
            });
        }
    };
    if !meta.is_file() {
        return Err(not_a_store(path, "not a regular file"));
    }
    if meta.len() == 0 {
        return Ok(());
    }
    let mut head = Vec::with_capacity(SQLITE_HEADER.len());
    File::open(path)
        .and_then(|f| f.take(SQLITE_HEADER.len() as u64).read_to_end(&mut head))
        .map_err(|e| Error::Storage {
            message: format!("{}: {e}", path.display()),
        })?;
    if head == SQLITE_HEADER {
        return Ok(());
    }
    // A first commit interrupted by a crash can leave a partly written file next to
    // its hot rollback journal; SQLite restores the file (to empty) from the journal.
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    if std::fs::metadata(&journal).is_ok_and(|m| m.is_file() && m.len() > 0) {
        return Ok(());
    }
    Err(not_a_store(path, "not a SQLite database"))
}

/// Classifies the database without writing to it.
///
/// `in_write_tx`: inside a write transaction SQLite materialises page 1 of an empty
/// database in memory, so the page count no longer tells an empty file apart; the
/// caller has then already seen the file blank before taking the lock.
fn inspect(conn: &Connection, in_write_tx: bool) -> rusqlite::Result<Layout> {
    let mut stmt = conn.prepare("SELECT type, name FROM sqlite_schema")?;
    let mut rows = stmt.query([])?;
    let mut objects = Vec::new();
    while let Some(row) = rows.next()? {
        let (kind, name): (String, String) = (row.get(0)?, row.get(1)?);
        if kind == "table" && name == "lottrack_meta" {
            return Ok(Layout::Lottrack);
        }
        objects.push(format!("{kind} `{name}`"));
    }
    if !objects.is_empty() {
        objects.truncate(5);
        return Ok(Layout::Foreign(format!(
            "a SQLite database of another application (it has {} and no lottrack_meta table)",
            objects.join(", ")
        )));
    }
    if in_write_tx {
        return Ok(Layout::Blank);
    }
    let pages: i64 = conn.pragma_query_value(None, "page_count", |row| row.get(0))?;
    if pages > 0 {
        Ok(Layout::Foreign(
            "an empty SQLite database of another application (no lottrack_meta table)".into(),
        ))
    } else {
        Ok(Layout::Blank)
    }
}

/// Checks the application id and schema version of a recognised store.
fn check_version(conn: &Connection, path: &Path) -> Result<()> {
    let err = |e| sqlite_err(path, "read", e);
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(err)?;
    if app != 0 && app != APPLICATION_ID {
        return Err(not_a_store(
            path,
            &format!("SQLite application_id is {app:#x}, not lottrack's {APPLICATION_ID:#x}"),
        ));
    }
    let value: Option<Value> = conn
        .query_row(
            "SELECT value FROM lottrack_meta WHERE key = 'schema_version'",
            [],
            |row| row.get(0),
        )
        .optional()
        .map_err(err)?;
    let version = match value {
        Some(Value::Integer(v)) => Some(v),
        Some(Value::Text(t)) => t.trim().parse::<i64>().ok(),
        _ => None,
    };
    match version {
        Some(found) if found > SCHEMA_VERSION => Err(Error::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        }),
        Some(found) if found >= 1 => {
            conn.prepare("SELECT seq, event_id, recorded_at, json FROM events LIMIT 0")
                .map_err(|e| not_a_store(path, &format!("the events table is unusable: {e}")))?;
            Ok(())
        }
        _ => Err(not_a_store(
            path,
            "lottrack_meta has no valid schema_version",
        )),
    }
}

/// Creates the schema in a blank database, in one transaction.
fn initialise(conn: &mut Connection, path: &Path) -> Result<()> {
    let err = |action: &str, e| sqlite_err(path, action, e);
    // 8 KiB pages (SQLite's default is 4 KiB): a batch of appends touches fewer
    // pages of the `event_id` index and of the log, about 15 % less time per
    // row. Takes effect only on a database without pages, as here; a file
    // another process initialises first keeps its own.
    conn.pragma_update(None, "page_size", PAGE_SIZE)
        .map_err(|e| err("configure", e))?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| err("begin a transaction on", e))?;
    // Another process may have initialised the file since we looked.
    match inspect(&tx, true).map_err(|e| err("read", e))? {
        Layout::Blank => {}
        Layout::Lottrack => {
            drop(tx);
            return check_version(conn, path);
        }
        Layout::Foreign(what) => return Err(not_a_store(path, &what)),
    }
    tx.execute_batch(CREATE_SCHEMA)
        .map_err(|e| err("initialise", e))?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(|e| err("initialise", e))?;
    tx.execute(
        "INSERT INTO lottrack_meta(key, value) VALUES ('schema_version', ?1), ('application', 'lottrack')",
        [SCHEMA_VERSION],
    )
    .map_err(|e| err("initialise", e))?;
    tx.commit().map_err(|e| err("commit to", e))
}

fn query_last(conn: &Connection) -> rusqlite::Result<u64> {
    let last: i64 = conn
        .prepare_cached(SELECT_LAST)?
        .query_row([], |row| row.get(0))?;
    u64::try_from(last).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(0, last))
}

fn stale(expected: u64, last: u64) -> Error {
    Error::Conflict {
        message: format!("expected last sequence number {expected}, but the store is at {last}"),
    }
}

fn not_a_store(path: &Path, why: &str) -> Error {
    Error::NotAStore {
        message: format!("{}: {why}", path.display()),
    }
}

fn insert_err(path: &Path, event_id: &str, e: rusqlite::Error) -> Error {
    match e.sqlite_error() {
        Some(ffi::Error { extended_code, .. })
            if *extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE
                || *extended_code == ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
        {
            Error::Conflict {
                message: format!(
                    "event {event_id} is already stored in {} (written by another process?)",
                    path.display()
                ),
            }
        }
        _ => sqlite_err(path, "insert into", e),
    }
}

fn sqlite_err(path: &Path, action: &str, e: rusqlite::Error) -> Error {
    if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) {
        return not_a_store(path, &format!("not a SQLite database ({e})"));
    }
    Error::Storage {
        message: format!("cannot {action} {}: {e}", path.display()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ev(id: &str) -> NewEvent {
        NewEvent {
            event_id: id.to_string(),
            recorded_at: "2026-03-01T08:00:00Z".to_string(),
            json: format!(r#"{{"event_id":"{id}","kind":"receive"}}"#),
        }
    }

    fn read_all(store: &mut dyn EventStore, after: u64) -> Vec<StoredEvent> {
        let mut rows = Vec::new();
        store
            .read_from(after, &mut |row| {
                rows.push(row);
                Ok(())
            })
            .unwrap();
        rows
    }

    fn bytes_of_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut all: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                let b = std::fs::read(&p).unwrap();
                (p, b)
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn bundled_sqlite_is_recent_enough() {
        // The design requires 3.51.3 or later (earlier versions carry the WAL-reset bug).
        assert!(
            rusqlite::version_number() >= 3_051_003,
            "{}",
            rusqlite::version()
        );
    }

    #[test]
    fn round_trip_and_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.lottrack");
        let mut s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.last_seq().unwrap(), 0);
        assert!(read_all(&mut s, 0).is_empty());
        assert_eq!(s.append(0, &[ev("E1")]).unwrap(), 1);
        assert_eq!(s.append(1, &[ev("E2"), ev("E3")]).unwrap(), 3);
        assert_eq!(s.append(3, &[]).unwrap(), 3);
        assert!(s.describe().starts_with("sqlite:"));
        let rows = read_all(&mut s, 0);
        assert_eq!(
            rows.iter().map(|r| r.seq).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert_eq!(rows[1].event_id, "E2");
        assert_eq!(rows[1].json, ev("E2").json);
        assert_eq!(rows[1].recorded_at, "2026-03-01T08:00:00Z");
        assert_eq!(read_all(&mut s, 2).len(), 1);
        assert!(read_all(&mut s, 3).is_empty());
        assert!(read_all(&mut s, u64::MAX).is_empty());
        drop(s);

        let mut s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.last_seq().unwrap(), 3);
        assert_eq!(read_all(&mut s, 0), rows);
        // The file is plain SQLite in WAL mode with the documented layout.
        drop(s);
        let c = Connection::open(&path).unwrap();
        let mode: String = c
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let app: i32 = c
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(app, APPLICATION_ID);
        let page: i64 = c
            .pragma_query_value(None, "page_size", |r| r.get(0))
            .unwrap();
        assert_eq!(page, PAGE_SIZE);
        let json: String = c
            .query_row("SELECT json FROM events WHERE seq = 3", [], |r| r.get(0))
            .unwrap();
        assert_eq!(json, ev("E3").json);
        let v: i64 = c
            .query_row(
                "SELECT value FROM lottrack_meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(v, 1);
    }

    #[test]
    fn synchronous_option_is_applied() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.lottrack");
        let sync = |s: &SqliteStore| -> i64 {
            s.conn
                .pragma_query_value(None, "synchronous", |r| r.get(0))
                .unwrap()
        };
        let s = SqliteStore::open(&path).unwrap();
        assert_eq!(sync(&s), 2); // FULL
        drop(s);
        let opts = SqliteOptions {
            synchronous: Synchronous::Normal,
        };
        let s = SqliteStore::open_with(&path, opts).unwrap();
        assert_eq!(sync(&s), 1); // NORMAL
    }

    #[test]
    fn stale_expected_seq_is_a_conflict_and_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.lottrack");
        let mut a = SqliteStore::open(&path).unwrap();
        let mut b = SqliteStore::open(&path).unwrap();
        a.append(0, &[ev("A1")]).unwrap();
        let err = b.append(0, &[ev("B1")]).unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
        assert!(err.to_string().contains("store is at 1"), "{err}");
        // Expecting more than is stored is a conflict too (no gaps).
        assert!(matches!(
            b.append(5, &[ev("B1")]),
            Err(Error::Conflict { .. })
        ));
        assert!(matches!(b.append(0, &[]), Err(Error::Conflict { .. })));
        assert_eq!(b.last_seq().unwrap(), 1);
        assert_eq!(b.append(1, &[ev("B1")]).unwrap(), 2);
        let ids: Vec<_> = read_all(&mut a, 0)
            .into_iter()
            .map(|r| r.event_id)
            .collect();
        assert_eq!(ids, ["A1", "B1"]);
    }

    #[test]
    fn batch_is_atomic_on_duplicate_event_id() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(dir.path().join("s.lottrack")).unwrap();
        s.append(0, &[ev("E1")]).unwrap();
        let err = s.append(1, &[ev("E2"), ev("E1"), ev("E3")]).unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
        assert!(err.to_string().contains("E1"), "{err}");
        // A duplicate within the batch is refused the same way.
        let err = s.append(1, &[ev("E2"), ev("E2")]).unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
        assert_eq!(s.last_seq().unwrap(), 1);
        assert_eq!(read_all(&mut s, 0).len(), 1);
        // The store is still usable after the rolled back transaction.
        assert_eq!(s.append(1, &[ev("E2"), ev("E3")]).unwrap(), 3);
    }

    #[test]
    fn empty_file_is_initialised() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.lottrack");
        std::fs::write(&path, b"").unwrap();
        let mut s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.append(0, &[ev("E1")]).unwrap(), 1);
        drop(s);
        assert!(std::fs::metadata(&path).unwrap().len() > 0);
        assert_eq!(SqliteStore::open(&path).unwrap().last_seq().unwrap(), 1);
    }

    #[test]
    fn missing_directory_is_a_storage_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = SqliteStore::open(dir.path().join("no/such/dir/s.lottrack")).unwrap_err();
        assert!(matches!(err, Error::Storage { .. }), "{err:?}");
        let err = SqliteStore::open(dir.path()).unwrap_err();
        assert!(matches!(err, Error::NotAStore { .. }), "{err:?}");
    }

    #[test]
    fn garbage_file_is_not_a_store_and_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("garbage.bin");
        // Pseudo-random bytes, including a tiny file SQLite alone would treat as empty.
        for len in [1usize, 15, 99, 4096, 70_000] {
            let mut x: u32 = 0x1234_5678 ^ len as u32;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    (x >> 24) as u8
                })
                .collect();
            std::fs::write(&path, &bytes).unwrap();
            let before = bytes_of_dir(dir.path());
            let err = SqliteStore::open(&path).unwrap_err();
            assert!(matches!(err, Error::NotAStore { .. }), "{len}: {err:?}");
            assert_eq!(bytes_of_dir(dir.path()), before, "{len}");
        }
        // The SQLite magic followed by garbage is refused by SQLite itself.
        let mut bytes = SQLITE_HEADER.to_vec();
        bytes.extend(std::iter::repeat_n(0xA5u8, 8192));
        std::fs::write(&path, &bytes).unwrap();
        let before = bytes_of_dir(dir.path());
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, Error::NotAStore { .. }), "{err:?}");
        assert_eq!(bytes_of_dir(dir.path()), before);
    }

    #[test]
    fn foreign_sqlite_database_is_not_a_store_and_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crm.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(
                "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);
                 INSERT INTO customers(name) VALUES ('ACME'), ('Globex');",
            )
            .unwrap();
        }
        let before = bytes_of_dir(dir.path());
        assert_eq!(before.len(), 1, "rollback-journal database, one file");
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, Error::NotAStore { .. }), "{err:?}");
        assert!(err.to_string().contains("customers"), "{err}");
        assert_eq!(bytes_of_dir(dir.path()), before);

        // An empty database of another application (header, no tables) too.
        let path2 = dir.path().join("blank.db");
        {
            let c = Connection::open(&path2).unwrap();
            c.execute_batch("PRAGMA user_version = 7;").unwrap();
        }
        let before = bytes_of_dir(dir.path());
        let err = SqliteStore::open(&path2).unwrap_err();
        assert!(matches!(err, Error::NotAStore { .. }), "{err:?}");
        assert_eq!(bytes_of_dir(dir.path()), before);
    }

    #[test]
    fn newer_schema_is_refused_and_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.lottrack");
        {
            let mut s = SqliteStore::open(&path).unwrap();
            s.append(0, &[ev("E1")]).unwrap();
        }
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(
                "PRAGMA journal_mode = DELETE;
                 UPDATE lottrack_meta SET value = 2 WHERE key = 'schema_version';",
            )
            .unwrap();
        }
        let before = bytes_of_dir(dir.path());
        let err = SqliteStore::open(&path).unwrap_err();
        assert_eq!(
            err,
            Error::SchemaTooNew {
                found: 2,
                supported: 1
            }
        );
        assert_eq!(bytes_of_dir(dir.path()), before);

        // A lottrack_meta without a usable version is not a store.
        Connection::open(&path)
            .unwrap()
            .execute_batch("DELETE FROM lottrack_meta;")
            .unwrap();
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, Error::NotAStore { .. }), "{err:?}");
    }

    #[test]
    fn two_connections_share_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.lottrack");
        let p2 = path.clone();
        let mut a = SqliteStore::open(&path).unwrap();
        let writer = std::thread::spawn(move || {
            let mut b = SqliteStore::open(&p2).unwrap();
            let mut done = 0;
            while done < 200 {
                let last = b.last_seq().unwrap();
                match b.append(last, &[ev(&format!("B{done}"))]) {
                    Ok(_) => done += 1,
                    Err(Error::Conflict { .. }) => {}
                    Err(e) => panic!("{e}"),
                }
            }
        });
        let mut done = 0;
        while done < 200 {
            let last = a.last_seq().unwrap();
            match a.append(last, &[ev(&format!("A{done}"))]) {
                Ok(_) => done += 1,
                Err(Error::Conflict { .. }) => {}
                Err(e) => panic!("{e}"),
            }
        }
        writer.join().unwrap();
        let rows = read_all(&mut a, 0);
        assert_eq!(rows.len(), 400);
        assert!(rows.iter().enumerate().all(|(i, r)| r.seq == i as u64 + 1));
    }

    #[test]
    fn read_from_streams_many_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open_with(
            dir.path().join("big.lottrack"),
            SqliteOptions {
                synchronous: Synchronous::Normal,
            },
        )
        .unwrap();
        const N: u64 = 200_000;
        let batch: Vec<NewEvent> = (0..10_000).map(|i| ev(&format!("x{i}"))).collect();
        let mut last = 0;
        while last < N {
            let rows: Vec<NewEvent> = batch
                .iter()
                .map(|e| NewEvent {
                    event_id: format!("{}-{last}", e.event_id),
                    ..e.clone()
                })
                .collect();
            last = s.append(last, &rows).unwrap();
        }
        let mut count = 0u64;
        let mut expected = 1u64;
        s.read_from(0, &mut |row| {
            assert_eq!(row.seq, expected);
            expected += 1;
            count += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(count, N);
        crate::store::tests::check_read_seqs(&mut s, N);
        // A visitor's error stops the read and is returned as is.
        let mut seen = 0;
        let err = s
            .read_from(N - 10, &mut |_| {
                seen += 1;
                if seen == 3 {
                    Err(Error::Conflict {
                        message: "stop".into(),
                    })
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
        assert_eq!(err.to_string(), "write conflict: stop");
        assert_eq!(seen, 3);
        // The store is usable after an interrupted read.
        assert_eq!(s.append(N, &[ev("last")]).unwrap(), N + 1);
    }
}
