//! Recording one batch of events: each validated and applied to the index in
//! turn, the rows handed to the store, either all at once after the last event
//! or, for a large batch into a store that writes rows as they come, streamed
//! to a second thread that inserts them while the next events are validated.
//! A failure on either side stores nothing; the caller rolls the index back.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::event::Event;
use crate::event_log::EventLog;
use crate::state::{State, Stored};
use crate::store::{EventStore, NewEvent};
use crate::tracker::Recorded;

/// Batches at least this large are streamed to a store that writes rows as
/// they come (`EventStore::streams_appends`).
pub(crate) const STREAM_MIN: usize = 128;
/// Rows handed to the writing thread at a time.
const STREAM_CHUNK: usize = 64;

/// One attempt at recording a batch: its events and how they are stamped.
pub(crate) struct Batch<'a> {
    pub(crate) events: &'a [Event],
    /// The log's last sequence number before the batch.
    pub(crate) expected: u64,
    pub(crate) now: DateTime<Utc>,
    pub(crate) now_text: String,
    pub(crate) strict: bool,
    pub(crate) gaps: bool,
}

/// What the applying thread sends the writing one.
enum ToWriter {
    Rows(Vec<NewEvent>),
    /// Every row is sent: commit. (A channel closed without it abandons the
    /// batch.)
    End,
}

impl Batch<'_> {
    /// Validates and applies the events in order, handing the row of each new
    /// one to `row`; stops at the first failure (the caller rolls back).
    /// `stored(state, k)` reads back stored event `k`, to compare an event
    /// recorded again with it.
    fn apply(
        &self,
        state: &mut State,
        stored: &mut dyn FnMut(&State, u32) -> Result<Event>,
        row: &mut dyn FnMut(NewEvent) -> Result<()>,
    ) -> Result<Vec<Recorded>> {
        let base = state.events.len();
        let mut results = Vec::with_capacity(self.events.len());
        // Which of `events` each applied one is (`state.events[base + k]`).
        let mut applied: Vec<usize> = Vec::new();
        for (pos, ev) in self.events.iter().enumerate() {
            if let Some(k) = state.event_index(&ev.event_id) {
                // An event of this batch is compared as given, a stored one
                // read back from the store.
                let same = match (k as usize).checked_sub(base) {
                    Some(j) => self.events[applied[j]] == *ev,
                    None => stored(state, k)? == *ev,
                };
                if !same {
                    return Err(Error::DuplicateEvent {
                        event_id: ev.event_id.clone(),
                    });
                }
                results.push(Recorded {
                    event_id: ev.event_id.clone(),
                    seq: State::seq(k),
                    duplicate: true,
                });
                continue;
            }
            let seq = self.expected + 1 + applied.len() as u64;
            let stored = Stored {
                docs: None,
                seq,
                recorded_at: self.now,
                replayed: false,
            };
            state.apply_mode(ev, stored, self.strict, self.gaps)?;
            row(NewEvent {
                event_id: ev.event_id.clone(),
                recorded_at: self.now_text.clone(),
                json: ev.to_json(),
            })?;
            results.push(Recorded {
                event_id: ev.event_id.clone(),
                seq,
                duplicate: false,
            });
            applied.push(pos);
        }
        Ok(results)
    }

    /// Applies every event, then appends their rows in one call.
    pub(crate) fn apply_then_append(
        &self,
        state: &mut State,
        store: &mut dyn EventStore,
    ) -> Result<Vec<Recorded>> {
        let mut rows = Vec::new();
        let results = self.apply(
            state,
            &mut |s, k| EventLog::new(&mut *store).event(s, k),
            &mut |r| {
                rows.push(r);
                Ok(())
            },
        )?;
        if !rows.is_empty() {
            store.append_owned(self.expected, rows)?;
        }
        Ok(results)
    }

    /// Applies the events on this thread while a second one appends their rows
    /// (`EventStore::append_streamed`) in chunks: a batch costs the longer of
    /// validating and writing, not their sum. Only for events new to the index
    /// (no stored event is read back).
    pub(crate) fn apply_streamed(
        &self,
        state: &mut State,
        store: &mut dyn EventStore,
    ) -> Result<Vec<Recorded>> {
        let expected = self.expected;
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<ToWriter>(4);
            // Spent chunks come back to be freed on this thread, where their
            // rows were made (freeing another thread's blocks contends for its
            // malloc arena).
            let (spent_tx, spent_rx) = std::sync::mpsc::channel::<Vec<NewEvent>>();
            let writer = scope.spawn(move || {
                store.append_streamed(expected, &mut |spent| {
                    if spent.capacity() > 0 {
                        let _ = spent_tx.send(spent);
                    }
                    match rx.recv() {
                        Ok(ToWriter::Rows(chunk)) => Ok(Some(chunk)),
                        Ok(ToWriter::End) => Ok(None),
                        Err(_) => Err(Error::Storage {
                            message: "batch abandoned before it was stored".into(),
                        }),
                    }
                })
            });
            let mut chunk = Vec::with_capacity(STREAM_CHUNK);
            // Set when the writer stopped first: its error is the one to report.
            let mut writer_stopped = false;
            let stopped = || Error::Storage {
                message: "the writing thread stopped".into(),
            };
            let send = |msg: ToWriter, writer_stopped: &mut bool| {
                tx.send(msg).map_err(|_| {
                    *writer_stopped = true;
                    stopped()
                })
            };
            // No event of a streamed batch is in the index yet (checked by the
            // caller), so none is read back from the store, which the writer holds.
            let mut read_back = |_: &State, k: u32| {
                Err(Error::Storage {
                    message: format!("a streamed batch cannot read back stored event {k}"),
                })
            };
            let applied = self.apply(state, &mut read_back, &mut |r| {
                chunk.push(r);
                if chunk.len() == STREAM_CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(STREAM_CHUNK));
                    send(ToWriter::Rows(full), &mut writer_stopped)?;
                    while let Ok(spent) = spent_rx.try_recv() {
                        drop(spent);
                    }
                }
                Ok(())
            });
            let applied = applied.and_then(|results| {
                if !chunk.is_empty() {
                    send(
                        ToWriter::Rows(std::mem::take(&mut chunk)),
                        &mut writer_stopped,
                    )?;
                }
                send(ToWriter::End, &mut writer_stopped)?;
                Ok(results)
            });
            // Without `End` (a failure above), the writer abandons the batch.
            drop(tx);
            let written = writer.join().unwrap_or_else(|_| {
                Err(Error::Storage {
                    message: "the writing thread panicked; nothing was stored".into(),
                })
            });
            match (applied, written) {
                (Ok(results), Ok(_)) => Ok(results),
                (Err(_), Err(w)) if writer_stopped => Err(w),
                (Err(e), _) | (Ok(_), Err(e)) => Err(e),
            }
        })
    }
}
