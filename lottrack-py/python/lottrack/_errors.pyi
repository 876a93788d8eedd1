"""Stubs of the exception hierarchy (see _errors.py)."""

from decimal import Decimal
from typing import Any, ClassVar

__all__ = [
    "LotTrackError",
    "MalformedJsonError",
    "MissingFieldError",
    "UnknownKindError",
    "InvalidTimeError",
    "InvalidFieldError",
    "UnknownProductError",
    "UnknownLotError",
    "UnknownUnitError",
    "NonPositiveQuantityError",
    "InsufficientStockError",
    "CycleError",
    "DuplicateEventError",
    "UnknownEventError",
    "VoidConflictError",
    "UnknownContainerError",
    "IncompatibleUnitsError",
    "InvalidEventError",
    "StorageError",
    "NotAStoreError",
    "SchemaTooNewError",
    "ConflictError",
]

class LotTrackError(Exception):
    kind: ClassVar[str]
    code: ClassVar[int]
    message: str
    def __init__(self, message: str = ..., **fields: Any) -> None: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

class MalformedJsonError(LotTrackError, ValueError):
    detail: str

class MissingFieldError(LotTrackError, ValueError):
    event_id: str | None
    field: str

class UnknownKindError(LotTrackError, ValueError):
    event_id: str | None
    event_kind: str

class InvalidTimeError(LotTrackError, ValueError):
    event_id: str | None
    field: str
    value: str
    reason: str

class InvalidFieldError(LotTrackError, ValueError):
    event_id: str | None
    field: str
    reason: str

class UnknownProductError(LotTrackError, KeyError):
    event_id: str | None
    product: str

class UnknownLotError(LotTrackError, KeyError):
    event_id: str | None
    product: str
    lot: str

class UnknownUnitError(LotTrackError, ValueError):
    event_id: str | None
    product: str
    uom: str
    base_uom: str

class NonPositiveQuantityError(LotTrackError, ValueError):
    event_id: str | None
    product: str
    lot: str
    quantity: Decimal | str

class InsufficientStockError(LotTrackError, ValueError):
    event_id: str | None
    product: str
    lot: str
    location: str
    requested: Decimal
    on_hand: Decimal
    uom: str

class CycleError(LotTrackError, ValueError):
    event_id: str | None
    product: str
    lot: str
    input_product: str
    input_lot: str

class DuplicateEventError(LotTrackError, ValueError):
    event_id: str | None

class UnknownEventError(LotTrackError, KeyError):
    event_id: str | None
    target: str

class VoidConflictError(LotTrackError, ValueError):
    event_id: str | None
    target: str
    later: list[str]

class UnknownContainerError(LotTrackError, KeyError):
    event_id: str | None
    container: str

class IncompatibleUnitsError(LotTrackError, ValueError):
    context: str
    from_unit: str
    to_unit: str

class InvalidEventError(LotTrackError, ValueError):
    event_id: str | None
    reason: str

class StorageError(LotTrackError, OSError):
    detail: str

class NotAStoreError(StorageError):
    ...

class SchemaTooNewError(StorageError):
    found: int
    supported: int

class ConflictError(LotTrackError):
    detail: str
