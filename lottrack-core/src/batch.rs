//! Recording one batch of events: each validated and applied to the index in
//! turn, the rows handed to the store, either all at once after the last event
//! or, for a large batch, streamed to the tracker's writing thread
//! (`writer_thread.rs`), which makes each row's JSON and hands the rows to the
//! store while the next events are validated.
//! A failure on either side stores nothing; the caller rolls the index back.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel, sync_channel};

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::event::Event;
use crate::event_log::EventLog;
use crate::state::{State, Stored};
use crate::store::{EventStore, NewEvent};
use crate::tracker::Recorded;
use crate::writer_thread::{BATCH_SPIN, StoreJob, WriterThread, recv_spinning};

/// Batches at least this large are streamed (`Batch::apply_streamed`).
pub(crate) const STREAM_MIN: usize = 128;
/// Rows handed to the writing thread at a time.
const STREAM_CHUNK: usize = 64;
/// Chunks the applying thread may run ahead of the writing one.
const STREAM_AHEAD: usize = 16;
/// Chunks waiting for the writing thread at which the applying one, being
/// ahead, makes the rows of its next chunk itself.
const WRITER_BEHIND: usize = 2;

/// One attempt at recording a batch: its events and how they are stamped.
pub(crate) struct Batch<'a> {
    /// Shared with the writing thread, which makes rows of them.
    pub(crate) events: &'a Arc<Vec<Event>>,
    /// The log's last sequence number before the batch.
    pub(crate) expected: u64,
    pub(crate) now: DateTime<Utc>,
    /// `now` as the rows keep it.
    pub(crate) now_text: Arc<str>,
    pub(crate) strict: bool,
    pub(crate) gaps: bool,
}

/// What recording one event of a batch did (its id is the event's).
struct Outcome {
    seq: u64,
    duplicate: bool,
}

/// What the applying thread sends the writing one.
enum ToWriter {
    /// The positions in `Batch::events` of applied events, in order: the
    /// writer makes their rows.
    Positions(Vec<usize>),
    /// Rows made by the applying thread.
    Rows(Vec<NewEvent>),
    /// Every row is sent: commit. (A channel closed without it abandons the
    /// batch.)
    End,
}

/// Chunks the writing thread is done with, back to the applying one: to be
/// filled again, and rows to be freed where they were made (freeing another
/// thread's blocks contends for its malloc arena).
enum Spent {
    Positions(Vec<usize>),
    Rows(Vec<NewEvent>),
}

/// The stored row of `events[pos]`, recorded at `recorded_at`.
fn row(events: &[Event], pos: usize, recorded_at: &str) -> NewEvent {
    let ev = &events[pos];
    NewEvent {
        event_id: ev.event_id.clone(),
        recorded_at: recorded_at.to_owned(),
        json: ev.to_json(),
    }
}

impl Batch<'_> {
    /// The stored row of `events[pos]`.
    fn row(&self, pos: usize) -> NewEvent {
        row(self.events, pos, &self.now_text)
    }

    /// Validates and applies the events in order, handing the position of each
    /// new one to `row`; stops at the first failure (the caller rolls back).
    /// `stored(state, k)` reads back stored event `k`, to compare an event
    /// recorded again with it. Returns what recording each event did, in order.
    fn apply(
        &self,
        state: &mut State,
        stored: &mut dyn FnMut(&State, u32) -> Result<Event>,
        row: &mut dyn FnMut(usize) -> Result<()>,
    ) -> Result<Vec<Outcome>> {
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
                results.push(Outcome {
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
            row(pos)?;
            results.push(Outcome {
                seq,
                duplicate: false,
            });
            applied.push(pos);
        }
        Ok(results)
    }

    /// What recording each event did, named by its id (`outcomes[i]` is
    /// `events[i]`'s): copying the ids is left for last, so that a streamed
    /// batch does it while its commit is under way.
    fn recorded(&self, outcomes: Vec<Outcome>) -> Vec<Recorded> {
        self.events
            .iter()
            .zip(outcomes)
            .map(|(ev, o)| Recorded {
                event_id: ev.event_id.clone(),
                seq: o.seq,
                duplicate: o.duplicate,
            })
            .collect()
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
            &mut |pos| {
                rows.push(self.row(pos));
                Ok(())
            },
        )?;
        if !rows.is_empty() {
            store.append_owned(self.expected, rows)?;
        }
        Ok(self.recorded(results))
    }

    /// Applies the events on this thread while the writing thread makes their
    /// rows and appends them (`EventStore::append_streamed`) in chunks: a
    /// batch costs the longer of validating and writing, not their sum. Each
    /// row's JSON is made by the writer, or by this thread while the writer is
    /// behind, which balances the two. The store is lent to the writing
    /// thread for the batch and is back in `store` when this returns. Only for
    /// events new to the index (no stored event is read back).
    pub(crate) fn apply_streamed(
        &self,
        state: &mut State,
        store: &mut Box<dyn EventStore>,
        writer: &mut WriterThread,
    ) -> Result<Vec<Recorded>> {
        // Chunks sent and not yet taken by the writer.
        let queued = Arc::new(AtomicUsize::new(0));
        let (to_writer, from_applier) = sync_channel::<ToWriter>(STREAM_AHEAD);
        let (spent_tx, spent_rx) = channel::<Spent>();
        let job = self.write_job(from_applier, spent_tx, Arc::clone(&queued));
        let lease = writer.lend(store, to_writer, job)?;
        // Set when the writer stopped first: its error is the one to report.
        let mut writer_stopped = false;
        let send = |msg: ToWriter, writer_stopped: &mut bool| {
            queued.fetch_add(1, Ordering::Relaxed);
            if lease.send(msg) {
                Ok(())
            } else {
                *writer_stopped = true;
                Err(Error::Storage {
                    message: "the writing thread stopped".into(),
                })
            }
        };
        // No event of a streamed batch is in the index yet (checked by the
        // caller), so none is read back from the store, which the writer holds.
        let mut read_back = |_: &State, k: u32| {
            Err(Error::Storage {
                message: format!("a streamed batch cannot read back stored event {k}"),
            })
        };
        let mut chunk = Vec::with_capacity(STREAM_CHUNK);
        let mut spare_positions: Vec<Vec<usize>> = Vec::new();
        let mut spare_rows: Vec<Vec<NewEvent>> = Vec::new();
        // The message for the positions in `chunk`, which it empties.
        let mut message = |chunk: &mut Vec<usize>| {
            while let Ok(spent) = spent_rx.try_recv() {
                match spent {
                    Spent::Positions(p) => spare_positions.push(p),
                    Spent::Rows(mut r) => {
                        r.clear();
                        spare_rows.push(r);
                    }
                }
            }
            if queued.load(Ordering::Relaxed) >= WRITER_BEHIND {
                let mut rows = spare_rows
                    .pop()
                    .unwrap_or_else(|| Vec::with_capacity(STREAM_CHUNK));
                rows.extend(chunk.drain(..).map(|pos| self.row(pos)));
                ToWriter::Rows(rows)
            } else {
                let spare = spare_positions
                    .pop()
                    .unwrap_or_else(|| Vec::with_capacity(STREAM_CHUNK));
                ToWriter::Positions(std::mem::replace(chunk, spare))
            }
        };
        let applied = self.apply(state, &mut read_back, &mut |pos| {
            chunk.push(pos);
            if chunk.len() == STREAM_CHUNK {
                send(message(&mut chunk), &mut writer_stopped)?;
            }
            Ok(())
        });
        let applied = applied.and_then(|outcomes| {
            if !chunk.is_empty() {
                send(message(&mut chunk), &mut writer_stopped)?;
            }
            send(ToWriter::End, &mut writer_stopped)?;
            // While the writer stores the last rows and commits.
            Ok(self.recorded(outcomes))
        });
        // Without `End` (a failure above), the writer abandons the batch.
        let written = lease.finish();
        match (applied, written) {
            (Ok(results), Ok(_)) => Ok(results),
            (Err(_), Err(w)) if writer_stopped => Err(w),
            (Err(e), _) | (Ok(_), Err(e)) => Err(e),
        }
    }

    /// The writing thread's part of [`Batch::apply_streamed`]: makes the rows
    /// of the positions it is sent, passes on the rows made for it, and hands
    /// both to the store until `End`; chunks it is done with go back by
    /// `spent`.
    fn write_job(
        &self,
        from_applier: Receiver<ToWriter>,
        spent: Sender<Spent>,
        queued: Arc<AtomicUsize>,
    ) -> StoreJob {
        let expected = self.expected;
        let events = Arc::clone(self.events);
        let recorded_at = Arc::clone(&self.now_text);
        Box::new(move |store: &mut dyn EventStore| {
            // Whether the chunk the store hands back was made here, and an
            // empty one of this thread's to fill.
            let mut mine = false;
            let mut spare: Vec<NewEvent> = Vec::new();
            store.append_streamed(expected, &mut |mut back| {
                if mine {
                    back.clear();
                    spare = back;
                } else if back.capacity() > 0 {
                    let _ = spent.send(Spent::Rows(back));
                }
                let msg = recv_spinning(&from_applier, BATCH_SPIN);
                if msg.is_ok() {
                    queued.fetch_sub(1, Ordering::Relaxed);
                }
                match msg {
                    Ok(ToWriter::Positions(mut positions)) => {
                        let mut rows = std::mem::take(&mut spare);
                        rows.extend(positions.iter().map(|&pos| row(&events, pos, &recorded_at)));
                        positions.clear();
                        let _ = spent.send(Spent::Positions(positions));
                        mine = true;
                        Ok(Some(rows))
                    }
                    Ok(ToWriter::Rows(rows)) => {
                        mine = false;
                        Ok(Some(rows))
                    }
                    Ok(ToWriter::End) => Ok(None),
                    Err(_) => Err(Error::Storage {
                        message: "batch abandoned before it was stored".into(),
                    }),
                }
            })
        })
    }
}
