"""lottrack: an embeddable lot-traceability engine (type stubs)."""

from ._errors import ConflictError as ConflictError
from ._errors import CycleError as CycleError
from ._errors import DuplicateEventError as DuplicateEventError
from ._errors import IncompatibleUnitsError as IncompatibleUnitsError
from ._errors import InsufficientStockError as InsufficientStockError
from ._errors import InvalidEventError as InvalidEventError
from ._errors import InvalidFieldError as InvalidFieldError
from ._errors import InvalidTimeError as InvalidTimeError
from ._errors import LotTrackError as LotTrackError
from ._errors import MalformedJsonError as MalformedJsonError
from ._errors import MissingFieldError as MissingFieldError
from ._errors import NonPositiveQuantityError as NonPositiveQuantityError
from ._errors import NotAStoreError as NotAStoreError
from ._errors import SchemaTooNewError as SchemaTooNewError
from ._errors import StorageError as StorageError
from ._errors import UnknownContainerError as UnknownContainerError
from ._errors import UnknownEventError as UnknownEventError
from ._errors import UnknownKindError as UnknownKindError
from ._errors import UnknownLotError as UnknownLotError
from ._errors import UnknownProductError as UnknownProductError
from ._errors import UnknownUnitError as UnknownUnitError
from ._errors import VoidConflictError as VoidConflictError
from ._lottrack import ERROR_KINDS as ERROR_KINDS
from ._lottrack import CustomerExposure as CustomerExposure
from ._lottrack import CustomerShipments as CustomerShipments
from ._lottrack import Deficit as Deficit
from ._lottrack import Document as Document
from ._lottrack import CheckpointInfo as CheckpointInfo
from ._lottrack import EpcisImportSummary as EpcisImportSummary
from ._lottrack import Event as Event
from ._lottrack import ExposedLot as ExposedLot
from ._lottrack import Exposure as Exposure
from ._lottrack import FefoPlan as FefoPlan
from ._lottrack import ImportSummary as ImportSummary
from ._lottrack import LocationInfo as LocationInfo
from ._lottrack import LotExposure as LotExposure
from ._lottrack import LotInfo as LotInfo
from ._lottrack import LotKey as LotKey
from ._lottrack import MassBalance as MassBalance
from ._lottrack import MockRecall as MockRecall
from ._lottrack import OnHand as OnHand
from ._lottrack import OpenInfo as OpenInfo
from ._lottrack import PartyInfo as PartyInfo
from ._lottrack import Pick as Pick
from ._lottrack import ProductInfo as ProductInfo
from ._lottrack import RecallLot as RecallLot
from ._lottrack import RecallReport as RecallReport
from ._lottrack import Receipt as Receipt
from ._lottrack import Recorded as Recorded
from ._lottrack import RowIterator as RowIterator
from ._lottrack import Rows as Rows
from ._lottrack import Shipment as Shipment
from ._lottrack import StockLine as StockLine
from ._lottrack import Trace as Trace
from ._lottrack import TraceLink as TraceLink
from ._lottrack import TraceLot as TraceLot
from ._lottrack import Tracker as Tracker
from ._lottrack import TransformYield as TransformYield
from ._lottrack import UnitBalance as UnitBalance
from ._lottrack import UnmappedField as UnmappedField
from ._lottrack import UnsupportedEvent as UnsupportedEvent
from ._lottrack import __version__ as __version__

__all__ = [
    "ERROR_KINDS",
    "CheckpointInfo",
    "ConflictError",
    "CustomerExposure",
    "CustomerShipments",
    "CycleError",
    "Deficit",
    "Document",
    "DuplicateEventError",
    "EpcisImportSummary",
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
    "LocationInfo",
    "LotExposure",
    "LotInfo",
    "LotKey",
    "LotTrackError",
    "MalformedJsonError",
    "MassBalance",
    "MissingFieldError",
    "MockRecall",
    "NonPositiveQuantityError",
    "NotAStoreError",
    "OnHand",
    "OpenInfo",
    "PartyInfo",
    "Pick",
    "ProductInfo",
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
    "TransformYield",
    "UnitBalance",
    "UnknownContainerError",
    "UnknownEventError",
    "UnknownKindError",
    "UnknownLotError",
    "UnknownProductError",
    "UnknownUnitError",
    "UnmappedField",
    "UnsupportedEvent",
    "VoidConflictError",
    "__version__",
]
