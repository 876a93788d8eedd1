"""lottrack: an embeddable lot-traceability engine.

Record what happens to lots (receive, transform, ship, move, pack, …) and ask
which customers received product made from a lot (``trace_forward``, ``recall``),
where a lot came from (``trace_backward``), and whether its quantities balance
exactly (``mass_balance``)::

    import lottrack
    t = lottrack.Tracker()                       # or lottrack.Tracker.open("plant.lottrack")
    t.receive(product="spinach", lot="F-100", quantity="500", uom="kg",
              location="plant-1", time="2026-03-01T08:00:00+01:00", supplier="farm-a")
    trace = t.trace_forward("spinach", "F-100")

Quantities are exact ``Decimal`` values, times are aware ``datetime`` objects,
results convert with ``to_dict()``, ``to_json()`` and ``to_pandas()``, and every
error is a ``LotTrackError`` subclass.
"""

from collections.abc import Sequence as _Sequence

from ._errors import (
    ConflictError,
    CycleError,
    DuplicateEventError,
    IncompatibleUnitsError,
    InsufficientStockError,
    InvalidEventError,
    InvalidFieldError,
    InvalidTimeError,
    LotTrackError,
    MalformedJsonError,
    MissingFieldError,
    NonPositiveQuantityError,
    NotAStoreError,
    SchemaTooNewError,
    StorageError,
    UnknownContainerError,
    UnknownEventError,
    UnknownKindError,
    UnknownLotError,
    UnknownProductError,
    UnknownUnitError,
    VoidConflictError,
)
from ._lottrack import (
    ERROR_KINDS,
    CustomerShipments,
    Deficit,
    Document,
    Event,
    ExposedLot,
    Exposure,
    FefoPlan,
    ImportSummary,
    LotInfo,
    LotKey,
    MassBalance,
    OnHand,
    Pick,
    RecallLot,
    RecallReport,
    Receipt,
    Recorded,
    RowIterator,
    Rows,
    Shipment,
    StockLine,
    Trace,
    TraceLink,
    TraceLot,
    Tracker,
    __version__,
)

_Sequence.register(Rows)

__all__ = [
    "ERROR_KINDS",
    "ConflictError",
    "CustomerShipments",
    "CycleError",
    "Deficit",
    "Document",
    "DuplicateEventError",
    "Event",
    "ExposedLot",
    "Exposure",
    "FefoPlan",
    "ImportSummary",
    "IncompatibleUnitsError",
    "InsufficientStockError",
    "InvalidEventError",
    "InvalidFieldError",
    "InvalidTimeError",
    "LotInfo",
    "LotKey",
    "LotTrackError",
    "MalformedJsonError",
    "MassBalance",
    "MissingFieldError",
    "NonPositiveQuantityError",
    "NotAStoreError",
    "OnHand",
    "Pick",
    "RecallLot",
    "RecallReport",
    "Receipt",
    "Recorded",
    "RowIterator",
    "Rows",
    "SchemaTooNewError",
    "Shipment",
    "StockLine",
    "StorageError",
    "Trace",
    "TraceLink",
    "TraceLot",
    "Tracker",
    "UnknownContainerError",
    "UnknownEventError",
    "UnknownKindError",
    "UnknownLotError",
    "UnknownProductError",
    "UnknownUnitError",
    "VoidConflictError",
    "__version__",
]
