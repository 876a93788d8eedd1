//! The native part of the Python package `lottrack`: the module
//! `lottrack._lottrack`, re-exported by `python/lottrack/__init__.py`.
//!
//! One file per Python class; this file only registers them. The bindings hold no
//! domain logic: every rule lives in lottrack-core.

mod checkpoint_info;
mod convert;
mod customer_exposure;
mod customer_shipments;
mod deficit;
mod document;
mod epcis_import_summary;
mod errors;
mod event;
mod exposed_lot;
mod exposure;
mod fefo_plan;
mod import_summary;
mod location_info;
mod lot_exposure;
mod lot_info;
mod lot_key;
mod mass_balance;
mod mock_recall;
mod on_hand;
mod open_info;
mod party_info;
mod pick;
mod product_info;
mod recall_lot;
mod recall_report;
mod receipt;
mod recorded;
mod result;
mod row_iter;
mod rows;
mod shipment;
mod stock_line;
mod trace;
mod trace_link;
mod trace_lot;
mod tracker;
mod transform_yield;
mod unit_balance;
mod unmapped_field;
mod unsupported_event;

use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// Native part of lottrack (import `lottrack`, not this module).
#[pymodule]
fn _lottrack(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "ERROR_KINDS",
        PyTuple::new(py, lottrack_core::Error::KIND_NAMES)?,
    )?;
    m.add_class::<tracker::PyTracker>()?;
    m.add_class::<trace::PyTrace>()?;
    m.add_class::<trace_lot::PyTraceLot>()?;
    m.add_class::<trace_link::PyTraceLink>()?;
    m.add_class::<shipment::PyShipment>()?;
    m.add_class::<receipt::PyReceipt>()?;
    m.add_class::<document::PyDocument>()?;
    m.add_class::<lot_key::PyLotKey>()?;
    m.add_class::<mass_balance::PyMassBalance>()?;
    m.add_class::<recall_report::PyRecallReport>()?;
    m.add_class::<recall_lot::PyRecallLot>()?;
    m.add_class::<on_hand::PyOnHand>()?;
    m.add_class::<customer_shipments::PyCustomerShipments>()?;
    m.add_class::<exposure::PyExposure>()?;
    m.add_class::<exposed_lot::PyExposedLot>()?;
    m.add_class::<stock_line::PyStockLine>()?;
    m.add_class::<fefo_plan::PyFefoPlan>()?;
    m.add_class::<pick::PyPick>()?;
    m.add_class::<event::PyEvent>()?;
    m.add_class::<deficit::PyDeficit>()?;
    m.add_class::<recorded::PyRecorded>()?;
    m.add_class::<checkpoint_info::PyCheckpointInfo>()?;
    m.add_class::<open_info::PyOpenInfo>()?;
    m.add_class::<import_summary::PyImportSummary>()?;
    m.add_class::<lot_info::PyLotInfo>()?;
    m.add_class::<unit_balance::PyUnitBalance>()?;
    m.add_class::<transform_yield::PyTransformYield>()?;
    m.add_class::<mock_recall::PyMockRecall>()?;
    m.add_class::<lot_exposure::PyLotExposure>()?;
    m.add_class::<customer_exposure::PyCustomerExposure>()?;
    m.add_class::<epcis_import_summary::PyEpcisImportSummary>()?;
    m.add_class::<unsupported_event::PyUnsupportedEvent>()?;
    m.add_class::<unmapped_field::PyUnmappedField>()?;
    m.add_class::<product_info::PyProductInfo>()?;
    m.add_class::<party_info::PyPartyInfo>()?;
    m.add_class::<location_info::PyLocationInfo>()?;
    m.add_class::<rows::PyRows>()?;
    m.add_class::<row_iter::PyRowIter>()?;
    Ok(())
}
