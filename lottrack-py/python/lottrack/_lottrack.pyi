"""Type stubs of the native module ``lottrack._lottrack`` (import ``lottrack``)."""

import datetime
import os
from decimal import Decimal
from typing import (
    Any,
    Callable,
    Generic,
    Iterable,
    Iterator,
    Mapping,
    Protocol,
    TypeVar,
    Union,
    final,
    overload,
    type_check_only,
)

__all__ = [
    "CustomerShipments",
    "Deficit",
    "Document",
    "ERROR_KINDS",
    "Event",
    "ExposedLot",
    "Exposure",
    "FefoPlan",
    "ImportSummary",
    "LotInfo",
    "LotKey",
    "MassBalance",
    "OnHand",
    "Pick",
    "RecallLot",
    "RecallReport",
    "Receipt",
    "Recorded",
    "RowIterator",
    "Rows",
    "Shipment",
    "StockLine",
    "Trace",
    "TraceLink",
    "TraceLot",
    "Tracker",
    "__version__",
]

__version__: str
ERROR_KINDS: tuple[str, ...]

_T = TypeVar("_T", covariant=True)

_Time = Union[datetime.datetime, str]
"""An aware ``datetime`` or an RFC 3339 string with an offset."""
_Date = Union[datetime.date, str]
"""A ``datetime.date`` or ``"YYYY-MM-DD"``."""
_Quantity = Union[Decimal, int, str, float]
"""An exact quantity; a ``float`` is read as its shortest repr."""
_LotLine = Union[Mapping[str, Any], tuple[str, str, _Quantity, str]]
"""``{"product", "lot", "quantity", "uom", ...}`` or ``(product, lot, quantity, uom)``."""
_DocumentLike = Union["Document", tuple[str, str], Mapping[str, str]]
"""``Document``, ``(type, id)`` or ``{"type": ..., "id": ...}``."""
_EventLike = Union[Mapping[str, Any], str, "Event"]
"""A dict in the event JSON format, a JSON string or an ``Event``."""
_PathLike = Union[str, os.PathLike[str]]

@type_check_only
class _HasLot(Protocol):
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str: ...

_LotLike = Union["LotKey", tuple[str, str], Mapping[str, str], _HasLot]
"""``(product, lot)``, a ``LotKey``, ``{"product", "lot"}`` or an object with both attributes."""
_Lots = Union[_LotLike, Iterable[_LotLike]]

@final
class RowIterator(Generic[_T]):
    def __iter__(self) -> RowIterator[_T]: ...
    def __next__(self) -> _T: ...
    def __length_hint__(self) -> int: ...

@final
class Rows(Generic[_T]):
    """A lazy, read-only sequence of result rows."""

    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: int, /) -> _T: ...
    @overload
    def __getitem__(self, index: slice, /) -> list[_T]: ...
    def __iter__(self) -> RowIterator[_T]: ...
    def to_list(self) -> list[dict[str, Any]]: ...
    def to_json(self) -> str: ...
    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``; needs pandas."""

@final
class LotKey:
    def __new__(cls, product: str, lot: str) -> LotKey: ...
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def __getitem__(self, index: Union[int, slice], /) -> Any: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def to_dict(self) -> dict[str, str]: ...

@final
class Document:
    def __new__(cls, type: str, id: str) -> Document: ...
    @property
    def type(self) -> str: ...
    @property
    def id(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...

@type_check_only
class _Row:
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...

@final
class TraceLot(_Row):
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str: ...
    @property
    def depth(self) -> int: ...
    @property
    def key(self) -> LotKey: ...

@final
class TraceLink(_Row):
    @property
    def event_id(self) -> str: ...
    @property
    def from_lot(self) -> LotKey: ...
    @property
    def to_lot(self) -> LotKey: ...

@final
class Shipment(_Row):
    @property
    def event_id(self) -> str: ...
    @property
    def customer(self) -> str: ...
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def uom(self) -> str: ...
    @property
    def time(self) -> datetime.datetime: ...
    @property
    def location(self) -> str: ...
    @property
    def documents(self) -> list[Document]: ...

@final
class Receipt(_Row):
    @property
    def event_id(self) -> str: ...
    @property
    def supplier(self) -> str: ...
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def uom(self) -> str: ...
    @property
    def time(self) -> datetime.datetime: ...
    @property
    def location(self) -> str: ...
    @property
    def documents(self) -> list[Document]: ...

@final
class Trace:
    @property
    def direction(self) -> str: ...
    @property
    def root(self) -> LotKey: ...
    @property
    def lots(self) -> Rows[TraceLot]: ...
    @property
    def links(self) -> Rows[TraceLink]: ...
    @property
    def shipments(self) -> Rows[Shipment]: ...
    @property
    def receipts(self) -> Rows[Receipt]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> RowIterator[TraceLot]: ...
    def __contains__(self, lot: object, /) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_pandas(self) -> dict[str, Any]:
        """``{"lots", "links", "shipments", "receipts"}`` as DataFrames; needs pandas."""

@final
class MassBalance(_Row):
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str: ...
    @property
    def uom(self) -> str: ...
    @property
    def received(self) -> Decimal: ...
    @property
    def produced(self) -> Decimal: ...
    @property
    def returned(self) -> Decimal: ...
    @property
    def shipped(self) -> Decimal: ...
    @property
    def consumed(self) -> Decimal: ...
    @property
    def disposed(self) -> Decimal: ...
    @property
    def adjusted(self) -> Decimal: ...
    @property
    def on_hand(self) -> Decimal: ...
    @property
    def unaccounted(self) -> Decimal: ...
    @property
    def total_in(self) -> Decimal: ...
    @property
    def total_out(self) -> Decimal: ...
    @property
    def closes(self) -> bool: ...
    def to_pandas(self) -> Any:
        """A one-row ``pandas.DataFrame``; needs pandas."""

@final
class OnHand(_Row):
    @property
    def location(self) -> str: ...
    @property
    def container(self) -> str | None: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def uom(self) -> str: ...

@final
class RecallLot(_Row):
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str: ...
    @property
    def depth(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def on_hand(self) -> list[OnHand]: ...

@final
class CustomerShipments(_Row):
    @property
    def customer(self) -> str: ...
    @property
    def shipments(self) -> Rows[Shipment]: ...
    def __len__(self) -> int: ...

@final
class RecallReport:
    @property
    def roots(self) -> list[LotKey]: ...
    @property
    def lots(self) -> Rows[RecallLot]: ...
    @property
    def customers(self) -> Rows[CustomerShipments]: ...
    @property
    def mass_balance(self) -> Rows[MassBalance]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> RowIterator[RecallLot]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_csv(self) -> str: ...
    def to_pandas(self) -> dict[str, Any]:
        """``{"lots", "stock", "shipments", "mass_balance"}`` as DataFrames; needs pandas."""

@final
class ExposedLot(_Row):
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str: ...
    @property
    def depth(self) -> int: ...
    @property
    def fraction(self) -> Decimal: ...

@final
class Exposure:
    @property
    def root(self) -> LotKey: ...
    @property
    def lots(self) -> Rows[ExposedLot]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> RowIterator[ExposedLot]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_pandas(self) -> Any: ...

@final
class StockLine(_Row):
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def container(self) -> str | None: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def uom(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def expiry(self) -> datetime.date | None: ...

@final
class Pick(_Row):
    @property
    def lot(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def uom(self) -> str: ...
    @property
    def expiry(self) -> datetime.date | None: ...

@final
class FefoPlan:
    @property
    def product(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def picks(self) -> Rows[Pick]: ...
    @property
    def shortfall(self) -> Decimal: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> RowIterator[Pick]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_pandas(self) -> Any: ...

@final
class Event(_Row):
    @property
    def event_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def time(self) -> datetime.datetime: ...
    @property
    def location(self) -> str | None: ...
    @property
    def documents(self) -> list[Document]: ...
    @property
    def attributes(self) -> dict[str, Any]: ...

@final
class Deficit(_Row):
    @property
    def event_id(self) -> str: ...
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def requested(self) -> Decimal: ...
    @property
    def on_hand(self) -> Decimal: ...
    @property
    def uom(self) -> str: ...

@final
class Recorded(_Row):
    @property
    def event_id(self) -> str: ...
    @property
    def seq(self) -> int: ...
    @property
    def duplicate(self) -> bool: ...

@final
class ImportSummary(_Row):
    @property
    def lines(self) -> int: ...
    @property
    def recorded(self) -> int: ...
    @property
    def duplicates(self) -> int: ...

@final
class LotInfo(_Row):
    @property
    def product(self) -> str: ...
    @property
    def lot(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def expiry(self) -> datetime.date | None: ...
    @property
    def expiry_source(self) -> str | None: ...
    @property
    def production_date(self) -> datetime.date | None: ...
    @property
    def supplier(self) -> str | None: ...
    @property
    def supplier_lot(self) -> str | None: ...
    @property
    def origin(self) -> str | None: ...
    @property
    def on_hand(self) -> Decimal: ...
    @property
    def uom(self) -> str: ...

@final
class Tracker:
    """The traceability engine over one event store (memory, SQLite or PostgreSQL)."""

    postgres_support: bool
    def __new__(cls, *, lenient: bool = False) -> Tracker: ...
    @staticmethod
    def open(
        path: _PathLike,
        *,
        lenient: bool = False,
        synchronous: str = "full",
        max_conflict_retries: int | None = None,
    ) -> Tracker: ...
    @staticmethod
    def open_postgres(
        dsn: str,
        *,
        schema: str = "public",
        lenient: bool = False,
        max_conflict_retries: int | None = None,
    ) -> Tracker: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def __enter__(self) -> Tracker: ...
    def __exit__(self, *_exc: object) -> bool: ...
    @property
    def store(self) -> str: ...
    @property
    def lenient(self) -> bool: ...
    @property
    def event_count(self) -> int: ...
    @property
    def lot_count(self) -> int: ...
    @property
    def last_seq(self) -> int: ...
    # recording
    def record_json(self, json: str) -> Recorded: ...
    def record(self, event: _EventLike) -> Recorded: ...
    def record_batch(self, events: Iterable[_EventLike]) -> list[Recorded]: ...
    def receive(
        self,
        *,
        product: str,
        lot: str,
        quantity: _Quantity,
        uom: str,
        location: str,
        time: _Time,
        supplier: str | None = None,
        event_id: str | None = None,
        expiry: _Date | None = None,
        production_date: _Date | None = None,
        supplier_lot: str | None = None,
        origin: str | None = None,
        documents: Iterable[_DocumentLike] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Recorded: ...
    def transform(
        self,
        *,
        inputs: Iterable[_LotLine],
        outputs: Iterable[_LotLine],
        location: str,
        time: _Time,
        event_id: str | None = None,
        documents: Iterable[_DocumentLike] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Recorded: ...
    def ship(
        self,
        *,
        location: str,
        time: _Time,
        customer: str,
        product: str | None = None,
        lot: str | None = None,
        quantity: _Quantity | None = None,
        uom: str | None = None,
        container: str | None = None,
        event_id: str | None = None,
        documents: Iterable[_DocumentLike] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Recorded: ...
    def move(
        self,
        *,
        product: str,
        lot: str,
        quantity: _Quantity,
        uom: str,
        from_location: str,
        to_location: str,
        time: _Time,
        event_id: str | None = None,
        documents: Iterable[_DocumentLike] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Recorded: ...
    def pack(
        self,
        *,
        container: str,
        contents: Iterable[_LotLine],
        location: str,
        time: _Time,
        event_id: str | None = None,
        documents: Iterable[_DocumentLike] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Recorded: ...
    def unpack(
        self,
        *,
        container: str,
        contents: Iterable[_LotLine],
        location: str,
        time: _Time,
        event_id: str | None = None,
        documents: Iterable[_DocumentLike] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Recorded: ...
    def adjust(
        self,
        *,
        product: str,
        lot: str,
        quantity: _Quantity,
        uom: str,
        location: str,
        time: _Time,
        reason: str | None = None,
        event_id: str | None = None,
        documents: Iterable[_DocumentLike] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Recorded: ...
    def dispose(
        self,
        *,
        product: str,
        lot: str,
        quantity: _Quantity,
        uom: str,
        location: str,
        time: _Time,
        reason: str | None = None,
        event_id: str | None = None,
        documents: Iterable[_DocumentLike] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Recorded: ...
    def consume(
        self,
        *,
        product: str,
        lot: str,
        quantity: _Quantity,
        uom: str,
        location: str,
        time: _Time,
        reason: str | None = None,
        event_id: str | None = None,
        documents: Iterable[_DocumentLike] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Recorded: ...
    def return_(
        self,
        *,
        product: str,
        lot: str,
        quantity: _Quantity,
        uom: str,
        location: str,
        time: _Time,
        customer: str,
        event_id: str | None = None,
        documents: Iterable[_DocumentLike] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Recorded: ...
    def set_status(
        self,
        lots: _Lots,
        status: str,
        *,
        time: _Time,
        reason: str | None = None,
        event_id: str | None = None,
        documents: Iterable[_DocumentLike] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Recorded: ...
    def void(
        self, target: str, *, time: _Time, reason: str | None = None, event_id: str | None = None
    ) -> Recorded: ...
    def define_product(
        self,
        product: str,
        uom: str,
        conversions: Mapping[str, _Quantity] | None = None,
        *,
        description: str | None = None,
        inherit_expiry: bool | int | None = None,
        yield_range: tuple[_Quantity, _Quantity] | None = None,
        time: _Time | None = None,
        event_id: str | None = None,
    ) -> Recorded: ...
    def define_party(
        self,
        party: str,
        *,
        name: str | None = None,
        role: str | None = None,
        time: _Time | None = None,
        event_id: str | None = None,
    ) -> Recorded: ...
    def define_location(
        self,
        location: str,
        *,
        name: str | None = None,
        party: str | None = None,
        time: _Time | None = None,
        event_id: str | None = None,
    ) -> Recorded: ...
    def import_jsonl(
        self, path: _PathLike, progress: Callable[[int], object] | bool | None = None
    ) -> ImportSummary: ...
    def export_jsonl(self, path: _PathLike) -> int: ...
    def sync(self) -> int: ...
    # queries
    def trace_forward(
        self,
        product: str,
        lot: str,
        *,
        max_depth: int | None = None,
        as_of: _Time | None = None,
        since: _Time | None = None,
        until: _Time | None = None,
    ) -> Trace: ...
    def trace_backward(
        self,
        product: str,
        lot: str,
        *,
        max_depth: int | None = None,
        as_of: _Time | None = None,
        since: _Time | None = None,
        until: _Time | None = None,
    ) -> Trace: ...
    def mass_balance(self, product: str, lot: str) -> MassBalance: ...
    def recall(
        self,
        lots: _Lots,
        *,
        max_depth: int | None = None,
        as_of: _Time | None = None,
        since: _Time | None = None,
        until: _Time | None = None,
    ) -> RecallReport: ...
    def execute_recall(
        self,
        lots: _Lots,
        *,
        time: _Time | None = None,
        event_id: str | None = None,
        max_depth: int | None = None,
        as_of: _Time | None = None,
        since: _Time | None = None,
        until: _Time | None = None,
    ) -> RecallReport: ...
    def exposure(
        self,
        product: str,
        lot: str,
        *,
        max_depth: int | None = None,
        as_of: _Time | None = None,
        since: _Time | None = None,
        until: _Time | None = None,
    ) -> Exposure: ...
    def on_hand(self, product: str, lot: str) -> Rows[StockLine]: ...
    def inventory(self) -> Rows[StockLine]: ...
    def expiring_before(self, date: _Date) -> Rows[StockLine]: ...
    def fefo(self, product: str, quantity: _Quantity, uom: str, location: str) -> FefoPlan: ...
    def history(self, product: str, lot: str) -> Rows[Event]: ...
    def event(self, event_id: str) -> Event: ...
    def lot(self, product: str, lot: str) -> LotInfo: ...
    def deficits(self) -> Rows[Deficit]: ...
    def as_of(self, time: _Time) -> Tracker: ...
    def as_known_at(self, recorded: _Time) -> Tracker: ...
    def recorded_at(self, event_id: str) -> datetime.datetime | None: ...
