//! The PostgreSQL store (cargo feature `postgres`): one log shared by many trackers
//! in many processes on many machines.
//!
//! The full documentation (tables, concurrency protocol, features relied on) is on
//! [`PostgresStore`], since this module is private. In short: it relies only on
//! plain tables with `BIGINT` and `TEXT` columns, primary-key and unique
//! constraints, transactions, `CREATE … IF NOT EXISTS`, `INSERT … ON CONFLICT DO
//! NOTHING` and multi-row `INSERT`, so it also runs on CockroachDB and YugabyteDB.

// `Error` is large (its richest variants carry several strings); it is the crate's
// one error type, so the store functions return it as is.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use ::postgres::config::Host;
use ::postgres::error::SqlState;
use ::postgres::types::ToSql;
use ::postgres::{Client, Config, NoTls, Row, Statement};

use super::{EventStore, NewEvent, StoredEvent};
use crate::error::{Error, Result};

/// The schema version this build writes and reads.
const SCHEMA_VERSION: i64 = 1;
/// Rows per `read_from` page.
const PAGE_SIZE: i64 = 10_000;
/// Rows per multi-row `INSERT` statement (4 parameters each, well below 65,535).
const INSERT_CHUNK: usize = 1_000;
/// Distinct prepared `INSERT` shapes kept per connection.
const MAX_CACHED_INSERTS: usize = 16;
/// Attempts for one operation (serialization failures, deadlocks, lost connections).
const MAX_ATTEMPTS: u32 = 5;
const BACKOFF_START: Duration = Duration::from_millis(10);
const BACKOFF_MAX: Duration = Duration::from_millis(200);
/// Connect timeout used when the DSN sets none.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// An event log in PostgreSQL tables (cargo feature `postgres`), shared by any
/// number of trackers in many processes on many machines.
///
/// # Tables
///
/// In the chosen schema (`public` by default):
///
/// ```sql
/// CREATE TABLE IF NOT EXISTS lottrack_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
/// CREATE TABLE IF NOT EXISTS lottrack_events(
///     seq BIGINT PRIMARY KEY,
///     event_id TEXT NOT NULL UNIQUE,
///     recorded_at TEXT NOT NULL,
///     json TEXT NOT NULL);
/// ```
///
/// `lottrack_meta` holds `schema_version` = `1`; a store of a newer version is refused
/// with [`Error::SchemaTooNew`]. The tables are created on first connection only when
/// `lottrack_meta` is absent, so a role with `SELECT`/`INSERT` rights on existing
/// tables is enough afterwards.
///
/// # Concurrency
///
/// Appends use optimistic concurrency. In one transaction an append checks that the
/// log ends at the caller's expected last sequence number and inserts its rows with
/// the following numbers; if another writer got there first (its rows already hold
/// those numbers — the primary key refuses ours, SQLSTATE `23505`) nothing is stored
/// and the append fails with [`Error::Conflict`], after which the tracker reads the
/// new events with [`EventStore::read_from`] and validates again. Sequence numbers
/// stay gap-free because a row can only be inserted right after a committed one.
///
/// Serialization failures (`40001`), deadlocks (`40P01`) and results reported as
/// unknown (`40003`, CockroachDB's ambiguous result) are retried with capped
/// exponential backoff (5 attempts, 10 ms doubling up to 200 ms, with jitter); a lost
/// connection is re-established and the append retried the same way. Retrying is
/// safe even when the connection was lost during `COMMIT` (an *ambiguous commit*):
/// when an append finds that the rows right after its expected sequence number
/// already hold exactly its events (same `event_id` and JSON), the earlier attempt
/// committed and the append succeeds without storing anything twice. When the rows
/// differ — or one of its `event_id`s is stored elsewhere — it is a conflict.
///
/// [`EventStore::read_from`] reads pages of 10,000 rows ordered by `seq`
/// (`WHERE seq > $1 ORDER BY seq LIMIT $2`), so catching up on a huge log uses
/// bounded memory.
///
/// # PostgreSQL features relied on
///
/// Only plain tables with `BIGINT` and `TEXT` columns, primary-key and unique
/// constraints, transactions (at the server's default isolation level: `READ
/// COMMITTED` or stronger), `CREATE SCHEMA/TABLE … IF NOT EXISTS`, `INSERT … ON
/// CONFLICT DO NOTHING` (only when creating `lottrack_meta`), multi-row `INSERT …
/// VALUES`, `COALESCE(MAX(seq), 0)`, `ORDER BY … LIMIT`, parameterized statements
/// of the extended query protocol, and the SQLSTATE codes `23505`, `40001`,
/// `40003`, `40P01`, `42P01` and `3F000` (plus class `08` and `57P01`–`57P03` for lost
/// connections). No sequences, triggers, stored procedures,
/// advisory locks, `LISTEN/NOTIFY` or extensions. It therefore also runs on
/// PostgreSQL-compatible distributed engines such as CockroachDB and YugabyteDB
/// (which run transactions as `SERIALIZABLE` and report more `40001`s — retried
/// as above).
///
/// # Security
///
/// All values travel as statement parameters. The only text spliced into SQL is the
/// schema name, which must match `[a-z0-9_]+` and is double-quoted. Connections use
/// no TLS (`NoTls`): connect over a trusted network, a Unix socket or a tunnel, and
/// do not put `sslmode=require` in the DSN. Passwords never appear in
/// [`EventStore::describe`] or in error messages.
///
/// # Example
///
/// A writer that loses a race gets [`Error::Conflict`] and catches up:
///
/// ```no_run
/// use lottrack_core::store::{EventStore, NewEvent, PostgresStore};
/// use lottrack_core::Error;
/// let mut store = PostgresStore::connect("host=db1 user=lottrack password=secret dbname=plants")?;
/// let event = NewEvent {
///     event_id: "E1".into(),
///     recorded_at: "2026-03-01T08:00:00Z".into(),
///     json: r#"{"event_id":"E1"}"#.into(),
/// };
/// let mut last = store.last_seq()?;
/// loop {
///     match store.append(last, &[event.clone()]) {
///         Ok(new_last) => break println!("stored as {new_last}"),
///         Err(Error::Conflict { .. }) => {
///             // Another plant wrote first: read its events, validate again, retry.
///             store.read_from(last, &mut |row| { last = row.seq; Ok(()) })?;
///         }
///         Err(e) => return Err(e.into()),
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct PostgresStore {
    config: Config,
    client: Client,
    /// Double-quoted schema name, e.g. `"public"`.
    quoted_schema: String,
    description: String,
    stmts: Statements,
    /// Where this process keeps its checkpoint of the shared log, if it does.
    checkpoint: Option<std::path::PathBuf>,
}

/// Statements prepared on the current connection (cleared on reconnect).
#[derive(Default)]
struct Statements {
    last: Option<Statement>,
    page: Option<Statement>,
    range: Option<Statement>,
    by_seq: Option<Statement>,
    inserts: HashMap<usize, Statement>,
}

/// Why one attempt of an operation failed.
enum Failure {
    /// Worth another attempt after a pause.
    Retry(RetryKind, String),
    /// Final.
    Fatal(Error),
}

#[derive(Clone, Copy)]
enum RetryKind {
    /// Serialization failure or deadlock.
    Contention,
    /// The connection was lost.
    Connection,
}

impl PostgresStore {
    /// Connects to the server named by `dsn` and uses the tables in schema `public`,
    /// creating them if absent.
    ///
    /// `dsn` is a libpq-style `key=value` string
    /// (`host=127.0.0.1 user=lottrack password=… dbname=lottrack`) or a
    /// `postgresql://user:password@host/dbname` URL. Fails with [`Error::Storage`] when
    /// the server cannot be reached and [`Error::SchemaTooNew`] when the tables were
    /// written by a newer lottrack.
    ///
    /// ```
    /// use lottrack_core::{store::PostgresStore, Error};
    /// let err = PostgresStore::connect("host=127.0.0.1 port=1 connect_timeout=2").unwrap_err();
    /// assert!(matches!(err, Error::Storage { .. }));
    /// ```
    pub fn connect(dsn: &str) -> Result<PostgresStore> {
        Self::connect_with_schema(dsn, "public")
    }

    /// Like [`PostgresStore::connect`] but with the tables in `schema`, which is created
    /// if absent; several independent logs can live in one database this way.
    ///
    /// `schema` must match `[a-z0-9_]+` (at most 63 bytes); otherwise the call fails
    /// with [`Error::Storage`] before connecting.
    ///
    /// ```
    /// use lottrack_core::{store::PostgresStore, Error};
    /// let err = PostgresStore::connect_with_schema("host=127.0.0.1", "Plant-1; DROP").unwrap_err();
    /// assert!(matches!(err, Error::Storage { .. }));
    /// assert!(err.to_string().contains("schema name"));
    /// ```
    pub fn connect_with_schema(dsn: &str, schema: &str) -> Result<PostgresStore> {
        if schema.is_empty()
            || schema.len() > 63
            || !schema
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(Error::Storage {
                message: format!(
                    "invalid PostgreSQL schema name `{schema}`: use 1 to 63 characters of [a-z0-9_]"
                ),
            });
        }
        let mut config = Config::from_str(dsn).map_err(|e| Error::Storage {
            message: format!("invalid PostgreSQL connection string: {e}"),
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(DEFAULT_CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("lottrack");
        }
        let description = describe_config(&config, schema);
        let client = config.connect(NoTls).map_err(|e| Error::Storage {
            message: format!("cannot connect to {description}: {e}"),
        })?;
        let mut store = PostgresStore {
            config,
            client,
            quoted_schema: format!("\"{schema}\""),
            description,
            stmts: Statements::default(),
            checkpoint: None,
        };
        store.ensure_schema(schema)?;
        Ok(store)
    }

    /// Keeps this process's checkpoint of the shared log at `path` (see
    /// [`crate::checkpoint`]): [`Tracker::write_checkpoint`](crate::Tracker::write_checkpoint)
    /// writes it there and [`Tracker::open`](crate::Tracker::open) loads it, then
    /// reads only the events appended after it from the server. The log is
    /// the same for every process, so a checkpoint any of them wrote is valid
    /// for all; one the log has no room for is skipped as usual.
    ///
    /// ```
    /// # fn main() -> lottrack_core::Result<()> {
    /// # let Ok(dsn) = std::env::var("LOTTRACK_TEST_PG") else { return Ok(()) };
    /// use lottrack_core::store::{EventStore, PostgresStore};
    /// let store = PostgresStore::connect(&dsn)?.with_checkpoint("/var/lib/plant-1/log.checkpoint");
    /// assert!(store.checkpoint_path().is_some());
    /// # Ok(()) }
    /// ```
    pub fn with_checkpoint(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.checkpoint = Some(path.into());
        self
    }

    fn table(&self, name: &str) -> String {
        format!("{}.{name}", self.quoted_schema)
    }

    /// Checks the schema version, creating the tables first when absent.
    fn ensure_schema(&mut self, schema: &str) -> Result<()> {
        if let Some(found) = self.read_version()? {
            return check_version(found);
        }
        let meta = self.table("lottrack_meta");
        let events = self.table("lottrack_events");
        let mut ddl = Vec::new();
        if schema != "public" {
            ddl.push(format!(
                "CREATE SCHEMA IF NOT EXISTS {}",
                self.quoted_schema
            ));
        }
        ddl.push(format!(
            "CREATE TABLE IF NOT EXISTS {meta}(key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        ));
        ddl.push(format!(
            "CREATE TABLE IF NOT EXISTS {events}(seq BIGINT PRIMARY KEY, \
             event_id TEXT NOT NULL UNIQUE, recorded_at TEXT NOT NULL, json TEXT NOT NULL)"
        ));
        let insert_version = format!(
            "INSERT INTO {meta}(key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO NOTHING"
        );
        let version = SCHEMA_VERSION.to_string();
        self.with_retries("create the tables in", |s| {
            let run = |c: &mut Client| -> std::result::Result<(), ::postgres::Error> {
                for stmt in &ddl {
                    c.batch_execute(stmt)?;
                }
                c.execute(insert_version.as_str(), &[&version])?;
                Ok(())
            };
            match run(&mut s.client) {
                Ok(()) => Ok(()),
                // Two processes creating the same tables at once can collide in the
                // catalogs; the next attempt sees the tables.
                Err(e)
                    if matches!(
                        e.code(),
                        Some(&SqlState::UNIQUE_VIOLATION)
                            | Some(&SqlState::DUPLICATE_TABLE)
                            | Some(&SqlState::DUPLICATE_SCHEMA)
                    ) =>
                {
                    Err(Failure::Retry(RetryKind::Contention, e.to_string()))
                }
                Err(e) => Err(s.classify(e)),
            }
        })?;
        match self.read_version()? {
            Some(found) => check_version(found),
            None => Err(Error::Storage {
                message: format!(
                    "{}: schema_version missing after creation",
                    self.description
                ),
            }),
        }
    }

    /// `schema_version` from `lottrack_meta`; `None` when the table or row is absent.
    fn read_version(&mut self) -> Result<Option<i64>> {
        let sql = format!(
            "SELECT value FROM {} WHERE key = 'schema_version'",
            self.table("lottrack_meta")
        );
        let row = self.with_retries("read the schema version of", |s| {
            match s.client.query_opt(sql.as_str(), &[]) {
                Ok(row) => Ok(row),
                Err(e)
                    if matches!(
                        e.code(),
                        Some(&SqlState::UNDEFINED_TABLE) | Some(&SqlState::INVALID_SCHEMA_NAME)
                    ) =>
                {
                    Ok(None)
                }
                Err(e) => Err(s.classify(e)),
            }
        })?;
        let Some(row) = row else { return Ok(None) };
        let text: String = row.try_get(0).map_err(|e| self.storage("read", &e))?;
        text.trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| Error::NotAStore {
                message: format!("{}: schema_version is `{text}`", self.description),
            })
    }

    /// Runs `op` up to [`MAX_ATTEMPTS`] times with capped exponential backoff.
    fn with_retries<T>(
        &mut self,
        action: &str,
        mut op: impl FnMut(&mut Self) -> std::result::Result<T, Failure>,
    ) -> Result<T> {
        let mut delay = BACKOFF_START;
        let mut attempt = 1;
        loop {
            let failure = match self.reconnect_if_closed() {
                Ok(()) => op(self),
                Err(f) => Err(f),
            };
            match failure {
                Ok(value) => return Ok(value),
                Err(Failure::Fatal(e)) => return Err(e),
                Err(Failure::Retry(kind, message)) if attempt >= MAX_ATTEMPTS => {
                    let message = format!(
                        "cannot {action} {} after {MAX_ATTEMPTS} attempts: {message}",
                        self.description
                    );
                    return Err(match kind {
                        RetryKind::Contention => Error::Conflict { message },
                        RetryKind::Connection => Error::Storage { message },
                    });
                }
                Err(Failure::Retry(..)) => {
                    std::thread::sleep(jitter(delay));
                    delay = (delay * 2).min(BACKOFF_MAX);
                    attempt += 1;
                }
            }
        }
    }

    fn reconnect_if_closed(&mut self) -> std::result::Result<(), Failure> {
        if !self.client.is_closed() {
            return Ok(());
        }
        match self.config.connect(NoTls) {
            Ok(client) => {
                self.client = client;
                self.stmts = Statements::default();
                Ok(())
            }
            Err(e) => Err(Failure::Retry(RetryKind::Connection, e.to_string())),
        }
    }

    /// Sorts a failed statement into retryable and final failures.
    fn classify(&self, e: ::postgres::Error) -> Failure {
        let code = e.code().cloned();
        if self.client.is_closed() || e.is_closed() {
            return Failure::Retry(RetryKind::Connection, e.to_string());
        }
        match code {
            Some(SqlState::T_R_SERIALIZATION_FAILURE)
            | Some(SqlState::T_R_DEADLOCK_DETECTED)
            | Some(SqlState::T_R_STATEMENT_COMPLETION_UNKNOWN) => {
                Failure::Retry(RetryKind::Contention, e.to_string())
            }
            Some(c)
                if c.code().starts_with("08")
                    || c == SqlState::ADMIN_SHUTDOWN
                    || c == SqlState::CRASH_SHUTDOWN
                    || c == SqlState::CANNOT_CONNECT_NOW =>
            {
                Failure::Retry(RetryKind::Connection, e.to_string())
            }
            _ => Failure::Fatal(self.storage("use", &e)),
        }
    }

    fn storage(&self, action: &str, e: &dyn std::fmt::Display) -> Error {
        Error::Storage {
            message: format!("cannot {action} {}: {e}", self.description),
        }
    }

    /// The statement in `slot` of the current connection, prepared on first use.
    fn prepared(
        client: &mut Client,
        slot: &mut Option<Statement>,
        sql: impl FnOnce() -> String,
    ) -> std::result::Result<Statement, ::postgres::Error> {
        if let Some(stmt) = slot {
            return Ok(stmt.clone());
        }
        let stmt = client.prepare(&sql())?;
        *slot = Some(stmt.clone());
        Ok(stmt)
    }

    fn last_stmt(&mut self) -> std::result::Result<Statement, ::postgres::Error> {
        let table = self.table("lottrack_events");
        Self::prepared(&mut self.client, &mut self.stmts.last, || {
            format!("SELECT COALESCE(MAX(seq), 0) FROM {table}")
        })
    }

    fn insert_stmt(&mut self, rows: usize) -> std::result::Result<Statement, ::postgres::Error> {
        if let Some(stmt) = self.stmts.inserts.get(&rows) {
            return Ok(stmt.clone());
        }
        let mut sql = format!(
            "INSERT INTO {}(seq, event_id, recorded_at, json) VALUES ",
            self.table("lottrack_events")
        );
        for i in 0..rows {
            let p = 4 * i;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${})", p + 1, p + 2, p + 3, p + 4));
        }
        let stmt = self.client.prepare(&sql)?;
        if self.stmts.inserts.len() >= MAX_CACHED_INSERTS {
            self.stmts.inserts.clear();
        }
        self.stmts.inserts.insert(rows, stmt.clone());
        Ok(stmt)
    }

    /// One attempt at an append (see the [`PostgresStore`] documentation for the protocol).
    fn try_append(
        &mut self,
        expected: i64,
        events: &[NewEvent],
    ) -> std::result::Result<u64, Failure> {
        let prepare = |s: &mut Self| -> std::result::Result<_, ::postgres::Error> {
            let last = s.last_stmt()?;
            let inserts = events
                .chunks(INSERT_CHUNK)
                .map(|chunk| s.insert_stmt(chunk.len()))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok((last, inserts))
        };
        let (last_stmt, inserts) = prepare(self).map_err(|e| self.classify(e))?;

        let attempt = (|| -> std::result::Result<Option<i64>, ::postgres::Error> {
            let mut tx = self.client.transaction()?;
            let last: i64 = tx.query_one(&last_stmt, &[])?.try_get(0)?;
            if last != expected {
                return Ok(Some(last)); // dropping `tx` rolls back
            }
            let mut seq = expected;
            for (stmt, chunk) in inserts.iter().zip(events.chunks(INSERT_CHUNK)) {
                let seqs: Vec<i64> = chunk
                    .iter()
                    .map(|_| {
                        seq += 1;
                        seq
                    })
                    .collect();
                let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(chunk.len() * 4);
                for (s, e) in seqs.iter().zip(chunk) {
                    params.extend([
                        s as &(dyn ToSql + Sync),
                        &e.event_id,
                        &e.recorded_at,
                        &e.json,
                    ]);
                }
                tx.execute(stmt, &params)?;
            }
            tx.commit()?;
            Ok(None)
        })();

        let new_last = expected as u64 + events.len() as u64;
        match attempt {
            Ok(None) => Ok(new_last),
            Ok(Some(last)) => self.already_stored(expected, events).and_then(|stored| {
                if stored {
                    Ok(new_last)
                } else {
                    Err(Failure::Fatal(Error::Conflict {
                        message: format!(
                            "expected last sequence number {expected}, but the store is at {last}"
                        ),
                    }))
                }
            }),
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) && !self.client.is_closed() => {
                let detail = e
                    .as_db_error()
                    .map(|db| db.detail().unwrap_or(db.message()).to_string())
                    .unwrap_or_else(|| e.to_string());
                self.already_stored(expected, events).and_then(|stored| {
                    if stored {
                        Ok(new_last)
                    } else {
                        Err(Failure::Fatal(Error::Conflict {
                            message: format!(
                                "another writer stored first after sequence number {expected} ({detail})"
                            ),
                        }))
                    }
                })
            }
            Err(e) => Err(self.classify(e)),
        }
    }

    /// Whether the rows right after `expected` are exactly `events` (an earlier
    /// attempt of this append committed although its acknowledgement was lost).
    fn already_stored(
        &mut self,
        expected: i64,
        events: &[NewEvent],
    ) -> std::result::Result<bool, Failure> {
        let end = expected + events.len() as i64;
        let table = self.table("lottrack_events");
        let rows = Self::prepared(&mut self.client, &mut self.stmts.range, || {
            format!("SELECT event_id, json FROM {table} WHERE seq > $1 AND seq <= $2 ORDER BY seq")
        })
        .and_then(|stmt| self.client.query(&stmt, &[&expected, &end]))
        .map_err(|e| self.classify(e))?;
        if rows.len() != events.len() {
            return Ok(false);
        }
        for (row, ev) in rows.iter().zip(events) {
            let id: &str = row
                .try_get(0)
                .map_err(|e| Failure::Fatal(self.storage("read", &e)))?;
            let json: &str = row
                .try_get(1)
                .map_err(|e| Failure::Fatal(self.storage("read", &e)))?;
            if id != ev.event_id || json != ev.json {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn decode(&self, row: &Row) -> Result<StoredEvent> {
        let seq: i64 = row.try_get(0).map_err(|e| self.storage("read", &e))?;
        let seq = u64::try_from(seq)
            .ok()
            .filter(|&s| s > 0 && s <= i64::MAX as u64)
            .ok_or_else(|| self.storage("read", &format!("invalid sequence number {seq}")))?;
        let text = |i: usize| -> Result<String> {
            row.try_get(i)
                .map_err(|e| self.storage("decode a row of", &e))
        };
        Ok(StoredEvent {
            seq,
            event_id: text(1)?,
            recorded_at: text(2)?,
            json: text(3)?,
        })
    }

    fn try_page(&mut self, after: i64) -> std::result::Result<Vec<Row>, Failure> {
        let table = self.table("lottrack_events");
        Self::prepared(&mut self.client, &mut self.stmts.page, || {
            format!(
                "SELECT seq, event_id, recorded_at, json FROM {table} \
                 WHERE seq > $1 ORDER BY seq LIMIT $2"
            )
        })
        .and_then(|stmt| self.client.query(&stmt, &[&after, &PAGE_SIZE]))
        .map_err(|e| self.classify(e))
    }
}

impl PostgresStore {
    fn try_seqs(&mut self, seqs: &[i64]) -> std::result::Result<Vec<Row>, Failure> {
        let table = self.table("lottrack_events");
        Self::prepared(&mut self.client, &mut self.stmts.by_seq, || {
            format!(
                "SELECT seq, event_id, recorded_at, json FROM {table} \
                 WHERE seq = ANY($1) ORDER BY seq"
            )
        })
        .and_then(|stmt| self.client.query(&stmt, &[&seqs]))
        .map_err(|e| self.classify(e))
    }
}

impl EventStore for PostgresStore {
    fn append(&mut self, expected_last_seq: u64, events: &[NewEvent]) -> Result<u64> {
        let expected = i64::try_from(expected_last_seq)
            .ok()
            .filter(|e| e.checked_add(events.len() as i64).is_some())
            .ok_or_else(|| Error::Storage {
                message: format!("sequence number {expected_last_seq} is out of range"),
            })?;
        if events.is_empty() {
            let last = self.last_seq()?;
            return if last == expected_last_seq {
                Ok(last)
            } else {
                Err(Error::Conflict {
                    message: format!(
                        "expected last sequence number {expected_last_seq}, but the store is at {last}"
                    ),
                })
            };
        }
        self.with_retries("append to", |s| s.try_append(expected, events))
    }

    fn read_from(
        &mut self,
        after_seq: u64,
        visit: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let mut after = i64::try_from(after_seq).unwrap_or(i64::MAX);
        loop {
            let rows = self.with_retries("read from", |s| s.try_page(after))?;
            let full_page = rows.len() as i64 >= PAGE_SIZE;
            for row in rows {
                let event = self.decode(&row)?;
                after = event.seq as i64;
                visit(event)?;
            }
            if !full_page {
                return Ok(());
            }
        }
    }

    fn read_seqs(
        &mut self,
        seqs: &[u64],
        visit: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        for chunk in seqs.chunks(PAGE_SIZE as usize) {
            let keys = chunk
                .iter()
                .map(|&s| i64::try_from(s).map_err(|_| super::missing_seq(s)))
                .collect::<Result<Vec<i64>>>()?;
            let rows = self.with_retries("read from", |s| s.try_seqs(&keys))?;
            let mut rows = rows.iter();
            for &seq in chunk {
                let row = rows.next().ok_or_else(|| super::missing_seq(seq))?;
                let event = self.decode(row)?;
                if event.seq != seq {
                    return Err(super::missing_seq(seq));
                }
                visit(event)?;
            }
        }
        Ok(())
    }

    fn last_seq(&mut self) -> Result<u64> {
        let last = self.with_retries("read", |s| {
            s.last_stmt()
                .and_then(|stmt| s.client.query_one(&stmt, &[]))
                .and_then(|row| row.try_get::<_, i64>(0))
                .map_err(|e| s.classify(e))
        })?;
        u64::try_from(last)
            .map_err(|_| self.storage("read", &format!("invalid last sequence number {last}")))
    }

    fn describe(&self) -> String {
        self.description.clone()
    }

    fn checkpoint_path(&self) -> Option<std::path::PathBuf> {
        self.checkpoint.clone()
    }
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("store", &self.description)
            .finish_non_exhaustive()
    }
}

fn check_version(found: i64) -> Result<()> {
    if found > SCHEMA_VERSION {
        Err(Error::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        })
    } else if found < 1 {
        Err(Error::NotAStore {
            message: format!("lottrack_meta holds schema_version {found}"),
        })
    } else {
        Ok(())
    }
}

/// `postgres://user@host:port/dbname?schema=…`, without the password.
fn describe_config(config: &Config, schema: &str) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let name = match host {
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                Host::Unix(dir) => dir.display().to_string(),
            };
            match config.get_ports().get(i).or(config.get_ports().first()) {
                Some(port) => format!("{name}:{port}"),
                None => name,
            }
        })
        .collect();
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    let db = config.get_dbname().unwrap_or("");
    format!("postgres://{user}{}/{db}?schema={schema}", hosts.join(","))
}

/// `delay` plus up to 50 % of it, so that racing writers do not retry in lockstep.
fn jitter(delay: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let half = (delay.as_nanos() / 2).max(1) as u64;
    delay + Duration::from_nanos(u64::from(nanos) % half)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! These tests need a server: set `LOTTRACK_TEST_PG` to a DSN (see
    //! `.ci/postgres-setup.sh`). Without it they print a message and pass, except
    //! under `CI=true`, where a missing server is a failure.
    use super::*;

    /// The test DSN, or `None` (test skipped) when unset outside CI.
    fn test_dsn(test: &str) -> Option<String> {
        match std::env::var("LOTTRACK_TEST_PG") {
            Ok(dsn) if !dsn.trim().is_empty() => Some(dsn),
            _ => {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "{test}: LOTTRACK_TEST_PG is not set but CI=true: PostgreSQL tests must run in CI"
                );
                eprintln!("skipping {test}: LOTTRACK_TEST_PG is not set (no PostgreSQL server)");
                None
            }
        }
    }

    /// A schema of its own for one test, dropped at the end.
    struct TestSchema {
        dsn: String,
        name: String,
    }

    impl TestSchema {
        fn new(dsn: &str, test: &str) -> TestSchema {
            let name = format!("lt_test_{test}_{}", std::process::id());
            let s = TestSchema {
                dsn: dsn.to_string(),
                name,
            };
            s.admin()
                .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", s.name))
                .unwrap();
            s
        }

        fn admin(&self) -> Client {
            Client::connect(&self.dsn, NoTls).unwrap()
        }

        fn store(&self) -> PostgresStore {
            PostgresStore::connect_with_schema(&self.dsn, &self.name).unwrap()
        }
    }

    impl Drop for TestSchema {
        fn drop(&mut self) {
            if let Ok(mut c) = Client::connect(&self.dsn, NoTls) {
                let _ =
                    c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name));
            }
        }
    }

    fn ev(id: &str) -> NewEvent {
        NewEvent {
            event_id: id.to_string(),
            recorded_at: "2026-03-01T08:00:00Z".to_string(),
            json: format!(
                r#"{{"event_id":"{id}","kind":"ship","note":"O'Brien \"quoted\" ; DROP"}}"#
            ),
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

    #[test]
    fn schema_names_are_validated_before_connecting() {
        for bad in [
            "",
            "Public",
            "a-b",
            "x\"; DROP TABLE t; --",
            &"a".repeat(64),
        ] {
            let err = PostgresStore::connect_with_schema("host=127.0.0.1 port=1", bad).unwrap_err();
            assert!(matches!(err, Error::Storage { .. }), "{bad}: {err:?}");
            assert!(err.to_string().contains("schema name"), "{err}");
        }
    }

    #[test]
    fn unreachable_server_is_a_storage_error_without_password() {
        let err = PostgresStore::connect(
            "host=127.0.0.1 port=1 user=u password=hunter2 dbname=d connect_timeout=2",
        )
        .unwrap_err();
        assert!(matches!(err, Error::Storage { .. }), "{err:?}");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(err.to_string().contains("127.0.0.1:1"), "{err}");
    }

    #[test]
    fn pg_round_trip() {
        let Some(dsn) = test_dsn("pg_round_trip") else {
            return;
        };
        let t = TestSchema::new(&dsn, "round_trip");
        let mut s = t.store();
        assert_eq!(s.last_seq().unwrap(), 0);
        assert!(read_all(&mut s, 0).is_empty());
        assert_eq!(s.append(0, &[ev("E1")]).unwrap(), 1);
        assert_eq!(s.append(1, &[ev("E2"), ev("E3")]).unwrap(), 3);
        assert_eq!(s.append(3, &[]).unwrap(), 3);
        let rows = read_all(&mut s, 0);
        assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(rows[2].event_id, "E3");
        assert_eq!(rows[2].json, ev("E3").json);
        assert_eq!(rows[2].recorded_at, "2026-03-01T08:00:00Z");
        assert_eq!(read_all(&mut s, 2).len(), 1);
        assert!(read_all(&mut s, u64::MAX).is_empty());
        let d = s.describe();
        assert!(d.starts_with("postgres://") && d.contains(&t.name), "{d}");
        assert!(!d.contains("password") && !format!("{s:?}").contains("password"));
        drop(s);

        // A second connection (another process) sees the same log.
        let mut s2 = t.store();
        assert_eq!(s2.last_seq().unwrap(), 3);
        assert_eq!(read_all(&mut s2, 0), rows);

        // A duplicate event_id in a batch stores nothing.
        let err = s2.append(3, &[ev("E4"), ev("E1")]).unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
        assert_eq!(s2.last_seq().unwrap(), 3);

        // A newer schema version is refused.
        t.admin()
            .execute(
                &format!(
                    "UPDATE \"{}\".lottrack_meta SET value = '2' WHERE key = 'schema_version'",
                    t.name
                ),
                &[],
            )
            .unwrap();
        let err = PostgresStore::connect_with_schema(&dsn, &t.name).unwrap_err();
        assert_eq!(
            err,
            Error::SchemaTooNew {
                found: 2,
                supported: 1
            }
        );
    }

    #[test]
    fn pg_connect_uses_the_public_schema() {
        let Some(dsn) = test_dsn("pg_connect_uses_the_public_schema") else {
            return;
        };
        let mut s = PostgresStore::connect(&dsn).unwrap();
        assert!(s.describe().ends_with("?schema=public"), "{}", s.describe());
        s.last_seq().unwrap();
        // Connecting again finds the tables and their version.
        PostgresStore::connect(&dsn).unwrap().last_seq().unwrap();
    }

    #[test]
    fn pg_conflict_on_stale_seq_from_two_connections() {
        let Some(dsn) = test_dsn("pg_conflict_on_stale_seq_from_two_connections") else {
            return;
        };
        let t = TestSchema::new(&dsn, "conflict");
        let mut a = t.store();
        let mut b = t.store();
        assert_eq!(a.append(0, &[ev("A1")]).unwrap(), 1);
        let err = b.append(0, &[ev("B1"), ev("B2")]).unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
        assert!(err.to_string().contains("store is at 1"), "{err}");
        // No gaps: expecting more than is stored is a conflict as well.
        assert!(matches!(
            b.append(7, &[ev("B1")]),
            Err(Error::Conflict { .. })
        ));
        assert!(matches!(b.append(0, &[]), Err(Error::Conflict { .. })));
        // B catches up and succeeds.
        let caught_up = read_all(&mut b, 0);
        assert_eq!(caught_up.len(), 1);
        assert_eq!(
            b.append(caught_up[0].seq, &[ev("B1"), ev("B2")]).unwrap(),
            3
        );
        let ids: Vec<_> = read_all(&mut a, 0)
            .into_iter()
            .map(|r| r.event_id)
            .collect();
        assert_eq!(ids, ["A1", "B1", "B2"]);
    }

    #[test]
    fn pg_racing_writers_keep_a_gap_free_log() {
        let Some(dsn) = test_dsn("pg_racing_writers_keep_a_gap_free_log") else {
            return;
        };
        // Once at the server's default isolation, once SERIALIZABLE (as on
        // CockroachDB), where the loser of a race sees 40001 and is retried.
        for (i, options) in [
            "",
            " options='-c default_transaction_isolation=serializable'",
        ]
        .into_iter()
        .enumerate()
        {
            let t = TestSchema::new(&dsn, &format!("race{i}"));
            let dsn = format!("{dsn}{options}");
            drop(PostgresStore::connect_with_schema(&dsn, &t.name).unwrap());
            let writers: Vec<_> = (0..3)
                .map(|w| {
                    let dsn = dsn.clone();
                    let schema = t.name.clone();
                    std::thread::spawn(move || {
                        let mut s = PostgresStore::connect_with_schema(&dsn, &schema).unwrap();
                        let (mut done, mut conflicts) = (0, 0);
                        while done < 40 {
                            let last = s.last_seq().unwrap();
                            let batch =
                                [ev(&format!("W{w}-{done}a")), ev(&format!("W{w}-{done}b"))];
                            match s.append(last, &batch) {
                                Ok(n) => {
                                    assert_eq!(n, last + 2);
                                    done += 1;
                                }
                                Err(Error::Conflict { .. }) => conflicts += 1,
                                Err(e) => panic!("{e}"),
                            }
                        }
                        conflicts
                    })
                })
                .collect();
            let conflicts: u32 = writers.into_iter().map(|w| w.join().unwrap()).sum();
            let mut s = t.store();
            let rows = read_all(&mut s, 0);
            assert_eq!(rows.len(), 3 * 40 * 2);
            assert!(rows.iter().enumerate().all(|(i, r)| r.seq == i as u64 + 1));
            // Each batch is contiguous.
            for pair in rows.chunks(2) {
                assert_eq!(
                    pair[0].event_id.trim_end_matches('a'),
                    pair[1].event_id.trim_end_matches('b')
                );
            }
            eprintln!("racing writers{options}: {conflicts} conflicts");
        }
    }

    #[test]
    fn pg_ambiguous_commit_retry_is_idempotent() {
        let Some(dsn) = test_dsn("pg_ambiguous_commit_retry_is_idempotent") else {
            return;
        };
        let t = TestSchema::new(&dsn, "ambiguous");
        let mut a = t.store();
        let batch = [ev("E1"), ev("E2"), ev("E3")];
        assert_eq!(a.append(0, &batch).unwrap(), 3);
        // The acknowledgement was "lost": the same append again, from the same or a
        // fresh connection, succeeds and stores nothing twice.
        assert_eq!(a.append(0, &batch).unwrap(), 3);
        let mut b = t.store();
        assert_eq!(b.append(0, &batch).unwrap(), 3);
        assert_eq!(read_all(&mut b, 0).len(), 3);
        // Even after others wrote on top of it.
        assert_eq!(b.append(3, &[ev("E4")]).unwrap(), 4);
        assert_eq!(a.append(0, &batch).unwrap(), 3);
        // Same ids with a different payload, or in another place, are conflicts.
        let mut changed = batch.clone();
        changed[1].json = r#"{"event_id":"E2","kind":"other"}"#.into();
        assert!(matches!(a.append(0, &changed), Err(Error::Conflict { .. })));
        assert!(matches!(
            a.append(1, &batch[..2]),
            Err(Error::Conflict { .. })
        ));
        assert!(matches!(
            a.append(4, &[ev("E2")]),
            Err(Error::Conflict { .. })
        ));
        assert_eq!(read_all(&mut a, 0).len(), 4);
    }

    #[test]
    fn pg_reconnects_after_the_connection_is_killed() {
        let Some(dsn) = test_dsn("pg_reconnects_after_the_connection_is_killed") else {
            return;
        };
        let t = TestSchema::new(&dsn, "reconnect");
        let app = format!("lt_reconnect_{}", std::process::id());
        let mut a =
            PostgresStore::connect_with_schema(&format!("{dsn} application_name={app}"), &t.name)
                .unwrap();
        assert_eq!(a.append(0, &[ev("E1")]).unwrap(), 1);
        let killed: i64 = t
            .admin()
            .query_one(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
                &[&app],
            )
            .unwrap()
            .get(0);
        assert_eq!(killed, 1);
        assert_eq!(a.append(1, &[ev("E2")]).unwrap(), 2);
        assert_eq!(read_all(&mut a, 0).len(), 2);
    }

    #[test]
    fn pg_read_from_pages_over_25k_rows() {
        let Some(dsn) = test_dsn("pg_read_from_pages_over_25k_rows") else {
            return;
        };
        let t = TestSchema::new(&dsn, "paging");
        let mut s = t.store();
        let mut last = 0;
        for b in 0..25 {
            let batch: Vec<_> = (0..1000).map(|i| ev(&format!("E{b}-{i}"))).collect();
            last = s.append(last, &batch).unwrap();
        }
        // A last partial chunk (1,000-row statements plus a remainder).
        let batch: Vec<_> = (0..1234).map(|i| ev(&format!("R{i}"))).collect();
        last = s.append(last, &batch).unwrap();
        assert_eq!(last, 26_234);
        let mut expected = 1;
        s.read_from(0, &mut |row| {
            assert_eq!(row.seq, expected);
            expected += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(expected, 26_235);
        // Starting mid-page and at an exact page boundary.
        assert_eq!(read_all(&mut s, 12_345).len(), 26_234 - 12_345);
        assert_eq!(read_all(&mut s, 16_234).len(), 10_000);
        // By sequence number, in chunks of a page (13 117 numbers: two chunks).
        crate::store::tests::check_read_seqs(&mut s, 26_234);
        // A visitor's error stops the read.
        let mut seen = 0;
        let err = s
            .read_from(0, &mut |_| {
                seen += 1;
                if seen == 15_000 {
                    Err(Error::Conflict {
                        message: "stop".into(),
                    })
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
        assert_eq!(err.to_string(), "write conflict: stop");
        assert_eq!(seen, 15_000);
    }
}
