//! A batch of events given as one JSON array in the design's format: how a
//! caller that speaks JSON (the C library's `lt_record_batch_json`) records
//! many events in one atomic append instead of one transaction each.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, channel};

use crate::error::{Error, Result};
use crate::event::Event;
use crate::tracker::{Recorded, Tracker};
use crate::writer_thread::{BATCH_SPIN, Task, recv_spinning};

impl Event {
    /// Reads a JSON array of events in the design's format. A malformed array,
    /// or an element that is not JSON, is [`Error::MalformedJson`] naming the
    /// element (counted from 1); an element that is not a valid event gives
    /// that event's own error, as [`Event::from_json`] does.
    ///
    /// ```
    /// use lottrack_core::{Error, Event};
    /// let evs = Event::list_from_json(r#"[
    ///   {"event_id":"E1","kind":"product","time":"2026-03-01T08:00:00Z","product":"rice","uom":"kg"},
    ///   {"event_id":"E2","kind":"receive","time":"2026-03-01T09:00:00Z","location":"p1",
    ///    "product":"rice","lot":"R1","quantity":"10","uom":"kg"}]"#).unwrap();
    /// assert_eq!(evs.len(), 2);
    /// let err = Event::list_from_json(r#"[{"event_id":"E1","kind":"void","time":"2026-03-01T08:00:00Z","target":"E0"}, 7]"#)
    ///     .unwrap_err();
    /// assert!(matches!(&err, Error::MalformedJson { message } if message.starts_with("event 2 of the array")), "{err}");
    /// ```
    pub fn list_from_json(json: &str) -> Result<Vec<Event>> {
        read_array(json, None)
    }
}

/// [`Event::list_from_json`]: the second half of a long array is read on the
/// kept writing thread of `tracker`, when given (no thread started for it),
/// else on a thread of its own. The first error by position is the
/// one reported; a panic there is raised here, as reading here would have.
fn read_array(json: &str, tracker: Option<&Tracker>) -> Result<Vec<Event>> {
    let elements = split_array(json).map_err(|message| Error::MalformedJson {
        message: format!("a batch must be a JSON array of events: {message}"),
    })?;
    if elements.len() < PARALLEL_MIN {
        return read_elements(&elements, 0);
    }
    let (first, second) = elements.split_at(elements.len() / 2);
    let (a, b) = match tracker {
        Some(tracker) => {
            let later = read_later(json, second, first.len(), tracker);
            let a = read_elements(first, 0);
            let b = match recv_spinning(&later, BATCH_SPIN) {
                Ok(Ok(b)) => b,
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                Err(_) => Err(Error::Storage {
                    message: "the writing thread stopped reading the array".into(),
                }),
            };
            (a, b)
        }
        None => std::thread::scope(|s| {
            let b = s.spawn(|| read_elements(second, first.len()));
            let a = read_elements(first, 0);
            (a, b.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
        }),
    };
    let mut events = a?;
    events.append(&mut b?);
    Ok(events)
}

/// What reading the second half gives back: the events, or the panic.
type Later = std::thread::Result<Result<Vec<Event>>>;

/// Starts reading `elements` (slices of `json`, the first being element
/// `offset` of the array) on the writing thread of `tracker`, from a copy of
/// their text; here if no thread can take it.
fn read_later(json: &str, elements: &[&str], offset: usize, tracker: &Tracker) -> Receiver<Later> {
    let at = |e: &str| e.as_ptr() as usize - json.as_ptr() as usize;
    let start = elements.first().map_or(0, |e| at(e));
    let end = elements.last().map_or(0, |e| at(e) + e.len());
    let text = json[start..end].to_owned();
    let ranges: Vec<(usize, usize)> = elements
        .iter()
        .map(|e| (at(e) - start, at(e) - start + e.len()))
        .collect();
    let (tx, rx) = channel::<Later>();
    let task: Task = Box::new(move || {
        let elements: Vec<&str> = ranges.iter().map(|&(a, b)| &text[a..b]).collect();
        let read = catch_unwind(AssertUnwindSafe(|| read_elements(&elements, offset)));
        let _ = tx.send(read);
    });
    let run = tracker.lock_writer().run(task);
    if let Err(task) = run {
        task();
    }
    rx
}

/// Arrays at least this long are read on two threads.
const PARALLEL_MIN: usize = 256;

/// The events of `elements`, the first of which is element `offset` (from 0)
/// of the array.
fn read_elements(elements: &[&str], offset: usize) -> Result<Vec<Event>> {
    let mut events = Vec::with_capacity(elements.len());
    for (i, text) in elements.iter().enumerate() {
        events.push(Event::from_json(text).map_err(|e| in_element(e, offset + i + 1))?);
    }
    Ok(events)
}

impl Tracker {
    /// Records a JSON array of events all-or-nothing, as
    /// [`Tracker::record_batch`] does: each validated against the state the
    /// earlier ones leave, then all stored in one atomic append, or none. An
    /// empty array records nothing.
    ///
    /// ```
    /// use lottrack_core::Tracker;
    /// let t = Tracker::in_memory();
    /// let r = t.record_batch_json(r#"[
    ///   {"event_id":"E1","kind":"receive","time":"2026-03-01T09:00:00Z","location":"p1",
    ///    "product":"rice","lot":"R1","quantity":"10","uom":"kg"},
    ///   {"event_id":"E2","kind":"ship","time":"2026-03-02T09:00:00Z","location":"p1",
    ///    "product":"rice","lot":"R1","quantity":"4","uom":"kg","customer":"c1"}]"#).unwrap();
    /// assert_eq!((r[1].event_id.as_str(), r[1].seq), ("E2", 2));
    /// // Shipping more than is on hand rejects the whole batch.
    /// assert!(t.record_batch_json(r#"[
    ///   {"event_id":"E3","kind":"ship","time":"2026-03-03T09:00:00Z","location":"p1",
    ///    "product":"rice","lot":"R1","quantity":"1","uom":"kg","customer":"c1"},
    ///   {"event_id":"E4","kind":"ship","time":"2026-03-03T10:00:00Z","location":"p1",
    ///    "product":"rice","lot":"R1","quantity":"9","uom":"kg","customer":"c1"}]"#).is_err());
    /// assert_eq!(t.event_count(), 2);
    /// ```
    pub fn record_batch_json(&self, json: &str) -> Result<Vec<Recorded>> {
        self.record_batch(read_array(json, Some(self))?)
    }
}

/// The text of each element of the JSON array `json`, found by its brackets,
/// braces, strings and commas; each is then read in full by
/// [`Event::from_json`], which refuses one that is not valid JSON (the
/// position is counted from 0 in the messages here, in bytes).
fn split_array(json: &str) -> std::result::Result<Vec<&str>, String> {
    let b = json.as_bytes();
    let ws = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut i = ws(0);
    if b.get(i) != Some(&b'[') {
        return Err(format!("expected `[` at byte {i}"));
    }
    let mut out = Vec::new();
    i = ws(i + 1);
    if b.get(i) == Some(&b']') {
        i += 1;
    } else {
        loop {
            let start = i;
            let mut depth = 0usize;
            loop {
                match b.get(i) {
                    None => return Err("the array is not closed".into()),
                    Some(b'"') => {
                        i += 1;
                        loop {
                            match b.get(i) {
                                None => return Err("a string is not closed".into()),
                                Some(b'\\') => i += 2,
                                Some(b'"') => break,
                                Some(_) => i += 1,
                            }
                        }
                        i += 1;
                    }
                    Some(b'{' | b'[') => {
                        depth += 1;
                        i += 1;
                    }
                    Some(b'}' | b']') if depth > 0 => {
                        depth -= 1;
                        i += 1;
                    }
                    Some(b',' | b'}' | b']') if depth == 0 => break,
                    Some(_) => i += 1,
                }
            }
            out.push(json[start..i].trim_end());
            match b[i] {
                b',' => i = ws(i + 1),
                b']' => {
                    i += 1;
                    break;
                }
                _ => return Err(format!("unexpected `}}` at byte {i}")),
            }
        }
    }
    if ws(i) != b.len() {
        return Err(format!("unexpected text after the array at byte {}", ws(i)));
    }
    Ok(out)
}

/// Adds the element's position to a message that cannot name its event.
fn in_element(e: Error, position: usize) -> Error {
    match e {
        Error::MalformedJson { message } => Error::MalformedJson {
            message: format!("event {position} of the array: {message}"),
        },
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const RECEIVE: &str = r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T09:00:00Z","location":"p1","product":"rice","lot":"R1","quantity":"10","uom":"kg"}"#;

    #[test]
    fn what_is_not_an_array_of_events_is_refused_by_name() {
        for (json, starts) in [
            ("", "a batch must be a JSON array"),
            (r#"{"event_id":"E1"}"#, "a batch must be a JSON array"),
            ("[1, 2", "a batch must be a JSON array"),
            (r#"[{"a":"]"#, "a batch must be a JSON array"),
            ("[{}}]", "a batch must be a JSON array"),
            ("[] x", "a batch must be a JSON array"),
            ("[7]", "event 1 of the array"),
            ("[,]", "event 1 of the array"),
            (&format!("[{RECEIVE} x]"), "event 1 of the array"),
            (&format!("[{RECEIVE},{{]]"), "event 2 of the array"),
            (&format!("[{RECEIVE},]"), "event 2 of the array"),
        ] {
            match Event::list_from_json(json) {
                Err(Error::MalformedJson { message }) => {
                    assert!(message.starts_with(starts), "{json}: {message}")
                }
                other => panic!("{json}: {other:?}"),
            }
        }
        // An element with a missing field gives that event's own error.
        let err = Event::list_from_json(&format!(
            r#"[{RECEIVE}, {{"event_id":"E2","kind":"ship"}}]"#
        ))
        .unwrap_err();
        assert!(
            matches!(&err, Error::MissingField { event_id, .. } if event_id == "E2"),
            "{err:?}"
        );
        assert!(Event::list_from_json(" [ ] ").unwrap().is_empty());
        // Strings holding brackets, commas, quotes and escapes do not split.
        let tricky = RECEIVE.replace(r#""location":"p1""#, r#""location":"p[1],}\"\\""#);
        let evs =
            Event::list_from_json(&format!("[\n{tricky} ,\t{}]", RECEIVE.replace("E1", "E2")))
                .unwrap();
        assert_eq!(evs.len(), 2);
        assert_eq!(evs[0].location.as_deref(), Some(r#"p[1],}"\"#));
        assert_eq!(evs[1].event_id, "E2");
    }

    #[test]
    fn a_long_array_is_read_in_order_and_its_first_bad_element_named() {
        let n = 2 * PARALLEL_MIN + 1;
        let element = |i: usize| RECEIVE.replace("\"E1\"", &format!("\"E{i}\""));
        let mut items: Vec<String> = (0..n).map(element).collect();
        let evs = Event::list_from_json(&format!("[{}]", items.join(","))).unwrap();
        assert_eq!(evs.len(), n);
        assert!(
            evs.iter()
                .enumerate()
                .all(|(i, e)| e.event_id == format!("E{i}"))
        );
        // Bad elements in both halves: the first is named, wherever it is.
        items[n - 3] = "nul".into();
        let message =
            |items: &[String]| match Event::list_from_json(&format!("[{}]", items.join(","))) {
                Err(Error::MalformedJson { message }) => message,
                other => panic!("{other:?}"),
            };
        assert!(message(&items).starts_with(&format!("event {} of", n - 2)));
        items[5] = "tru".into();
        assert!(message(&items).starts_with("event 6 of"));
    }

    #[test]
    fn a_tracker_reads_the_second_half_on_its_writing_thread() {
        let n = 2 * PARALLEL_MIN + 1;
        // Lots of their own, so every receipt is valid.
        let element = |i: usize| {
            RECEIVE
                .replace("\"E1\"", &format!("\"E{i}\""))
                .replace("\"R1\"", &format!("\"R{i}\""))
        };
        let mut items: Vec<String> = (0..n).map(element).collect();
        let t = Tracker::in_memory();
        // A bad element in the second half is named, and nothing is recorded.
        items[n - 3] = "{\"event_id\": nul}".into();
        match t.record_batch_json(&format!("[{}]", items.join(","))) {
            Err(Error::MalformedJson { message }) => {
                assert!(
                    message.starts_with(&format!("event {} of", n - 2)),
                    "{message}"
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(t.event_count(), 0);
        items[n - 3] = element(n - 3);
        let r = t
            .record_batch_json(&format!("[{}]", items.join(",")))
            .unwrap();
        assert_eq!(r.len(), n);
        assert!(
            r.iter()
                .enumerate()
                .all(|(i, r)| r.event_id == format!("E{i}") && r.seq == i as u64 + 1)
        );
        // The writing thread, started by that batch, reads the next array too.
        let more: Vec<String> = (n..2 * n).map(element).collect();
        let r = t
            .record_batch_json(&format!("[{}]", more.join(",")))
            .unwrap();
        assert_eq!((r.len(), t.event_count()), (n, 2 * n));
    }

    #[test]
    fn a_rejected_batch_changes_nothing_and_a_repeated_one_is_duplicates() {
        let t = Tracker::in_memory();
        let batch = format!("[{RECEIVE}]");
        assert!(!t.record_batch_json(&batch).unwrap()[0].duplicate);
        assert!(t.record_batch_json(&batch).unwrap()[0].duplicate);
        let bad = format!(r#"[{}, 7]"#, RECEIVE.replace("E1", "E9"));
        assert!(t.record_batch_json(&bad).is_err());
        assert_eq!(t.event_count(), 1);
        assert!(t.record_batch_json("[]").unwrap().is_empty());
    }
}
