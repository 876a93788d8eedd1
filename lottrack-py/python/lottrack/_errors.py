"""The exception hierarchy: ``LotTrackError`` and one subclass per core error kind.

Each class also derives from the builtin that fits (``KeyError`` for unknown
things, ``ValueError`` for invalid input, ``OSError`` for storage), so code that
catches builtins keeps working. The message is the core's message; the error's
fields are attributes (``e.event_id``, ``e.product``, ``e.requested`` …), ``e.kind``
is the core's kind name and ``e.code`` its number (the C status code).
"""

from __future__ import annotations

from typing import Any, Dict, Tuple, Type

from ._lottrack import ERROR_KINDS

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


def _rebuild(cls: Type[LotTrackError], message: str, fields: Dict[str, Any]) -> LotTrackError:
    return cls(message, **fields)


class LotTrackError(Exception):
    """Base class of every error lottrack raises for a core error kind."""

    kind: str = ""
    """The core's error kind name, e.g. ``"InsufficientStock"``."""
    code: int = 0
    """The core's error code (1-based; the C library's ``LtStatus``)."""

    def __init__(self, message: str = "", **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        for name, value in fields.items():
            setattr(self, name, value)

    def __str__(self) -> str:
        # KeyError would quote the message; print it as it is.
        return self.message

    def __reduce__(self) -> Tuple[Any, ...]:
        fields = {k: v for k, v in self.__dict__.items() if k != "message"}
        return (_rebuild, (type(self), self.message, fields))


class MalformedJsonError(LotTrackError, ValueError):
    """The input is not valid JSON (``.detail``: the parser's message)."""

    kind = "MalformedJson"


class MissingFieldError(LotTrackError, ValueError):
    """A required field is absent (``.field``)."""

    kind = "MissingField"


class UnknownKindError(LotTrackError, ValueError):
    """The ``kind`` field names no known event kind (``.event_kind``)."""

    kind = "UnknownKind"


class InvalidTimeError(LotTrackError, ValueError):
    """A time is not RFC 3339 with an offset, or a naive datetime (``.field``, ``.value``)."""

    kind = "InvalidTime"


class InvalidFieldError(LotTrackError, ValueError):
    """A field has the wrong type or an unreadable value (``.field``, ``.reason``)."""

    kind = "InvalidField"


class UnknownProductError(LotTrackError, KeyError):
    """A product that has never been declared nor received (``.product``)."""

    kind = "UnknownProduct"


class UnknownLotError(LotTrackError, KeyError):
    """A lot that does not exist (``.product``, ``.lot``)."""

    kind = "UnknownLot"


class UnknownUnitError(LotTrackError, ValueError):
    """A unit with no conversion to the product's base unit (``.uom``, ``.base_uom``)."""

    kind = "UnknownUnit"


class NonPositiveQuantityError(LotTrackError, ValueError):
    """A zero or negative quantity where a positive one is required (``.quantity``)."""

    kind = "NonPositiveQuantity"


class InsufficientStockError(LotTrackError, ValueError):
    """Taking more than is on hand (``.requested``, ``.on_hand``: Decimal, ``.location``)."""

    kind = "InsufficientStock"


class CycleError(LotTrackError, ValueError):
    """A transform that would make a lot its own ancestor."""

    kind = "Cycle"


class DuplicateEventError(LotTrackError, ValueError):
    """An ``event_id`` already recorded with a different payload."""

    kind = "DuplicateEvent"


class UnknownEventError(LotTrackError, KeyError):
    """A void or query naming an event that does not exist (``.target``)."""

    kind = "UnknownEvent"


class VoidConflictError(LotTrackError, ValueError):
    """A void that would change what later events (``.later``) took: their stock, or a container they shipped whole."""

    kind = "VoidConflict"


class UnknownContainerError(LotTrackError, KeyError):
    """A container that holds nothing or was never packed (``.container``)."""

    kind = "UnknownContainer"


class IncompatibleUnitsError(LotTrackError, ValueError):
    """Units with no common unit (``.from_unit``, ``.to_unit``, ``.context``)."""

    kind = "IncompatibleUnits"


class InvalidEventError(LotTrackError, ValueError):
    """A well-formed event that is not allowed (``.reason``)."""

    kind = "InvalidEvent"


class StorageError(LotTrackError, OSError):
    """The store failed: I/O, database error, bad file (``.detail``)."""

    kind = "Storage"


class NotAStoreError(StorageError):
    """The file is not a lottrack store; it was not written to (``.detail``)."""

    kind = "NotAStore"


class SchemaTooNewError(StorageError):
    """The store was written by a newer lottrack (``.found``, ``.supported``)."""

    kind = "SchemaTooNew"


class ConflictError(LotTrackError):
    """Another writer got there first and the event is no longer valid, or retries ran out."""

    kind = "Conflict"


_BY_KIND: Dict[str, Type[LotTrackError]] = {"": LotTrackError}
for _cls in list(globals().values()):
    if isinstance(_cls, type) and issubclass(_cls, LotTrackError):
        _cls.__module__ = "lottrack"  # tracebacks say lottrack.InsufficientStockError
        if _cls.kind:
            _cls.code = ERROR_KINDS.index(_cls.kind) + 1 if _cls.kind in ERROR_KINDS else 0
            _BY_KIND[_cls.kind] = _cls
del _cls
