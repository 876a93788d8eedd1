//! # lottrack-core
//!
//! An embeddable lot-traceability engine. Lots (batches) are received, transformed,
//! moved, packed and shipped; every change is an immutable [`Event`]. The
//! [`Tracker`] validates events before anything changes, keeps them in an
//! [`store::EventStore`], and answers forward and backward traces, recalls, mass
//! balances, exposure, inventory and history from an in-memory index.
//!
//! ```
//! use lottrack_core::{LotKey, TraceOptions, Tracker};
//! let t = Tracker::in_memory();
//! for line in [
//!   r#"{"event_id":"E1","kind":"receive","time":"2026-03-01T08:00:00+01:00","location":"plant-1","product":"spinach","lot":"F-100","quantity":"500","uom":"kg","supplier":"farm-a"}"#,
//!   r#"{"event_id":"E2","kind":"transform","time":"2026-03-02T10:00:00+01:00","location":"plant-1","inputs":[{"product":"spinach","lot":"F-100","quantity":"200","uom":"kg"}],"outputs":[{"product":"salad","lot":"S-1","quantity":"400","uom":"each"}]}"#,
//!   r#"{"event_id":"E3","kind":"ship","time":"2026-03-03T06:00:00+01:00","location":"plant-1","product":"salad","lot":"S-1","quantity":"120","uom":"each","customer":"store-12"}"#,
//! ] { t.record_json(line).unwrap(); }
//! let report = t.recall(&[LotKey::new("spinach", "F-100")], &TraceOptions::default()).unwrap();
//! assert_eq!(&*report.customers[0].customer, "store-12");
//! ```

pub mod balance;
mod batch;
pub mod bitemporal;
mod catalog;
pub mod checkpoint;
mod dot;
pub mod epcis;
pub mod error;
pub mod event;
mod event_log;
pub mod exposure;
pub mod fsma;
mod graph;
mod hashing;
pub mod history;
mod id_index;
mod intern;
pub mod inventory;
mod json_batch;
mod json_fast;
mod json_read;
pub mod jsonl;
pub mod lazy_trace;
mod ledger;
mod lot_attrs;
pub mod lot_info;
mod lot_stock;
pub mod mock_recall;
pub mod model;
pub mod quantity;
pub mod recall;
pub mod recall_ids;
pub mod report;
pub mod reporting;
mod state;
pub mod store;
mod table;
pub mod trace;
pub mod tracker;
mod warm;
mod writer_thread;

pub use balance::MassBalance;
pub use catalog::{PartyRec, ProductInfo};
pub use epcis::EpcisImportSummary;
pub use error::{Error, Result};
pub use event::{Event, EventBody, Output, ShipItem, Time, parse_time};
pub use exposure::{ExposedLot, Exposure};
pub use fsma::Fsma204Filter;
pub use inventory::{FefoPlan, Pick, StockLine};
pub use jsonl::ImportSummary;
pub use lazy_trace::LazyTrace;
pub use lot_info::LotInfo;
pub use model::{Document, LotAttrs, LotKey, LotQty, LotStatus};
pub use recall::{CustomerShipments, OnHand, RecallLot, RecallReport};
pub use recall_ids::{CustomerRef, RecallIds, ShipmentRef};
pub use state::Deficit;
pub use trace::{LotId, TraceIds};
pub use trace::{Receipt, Shipment, Trace, TraceDirection, TraceLink, TraceLot, TraceOptions};
pub use tracker::{Recorded, StockMode, Tracker, TrackerOptions};

/// The README's Rust tour, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
