//! GS1 EPCIS 2.0 JSON / JSON-LD import and export (the standard's JSON
//! serialization; no RDF processing).
//!
//! [`Tracker::import_epcis`](crate::Tracker::import_epcis) reads an `EPCISDocument`
//! (or an `EPCISQueryDocument`'s result list) into native events and returns an
//! [`EpcisImportSummary`]; [`Tracker::export_epcis`](crate::Tracker::export_epcis)
//! writes the tracker's events as an EPCIS 2.0 document that GS1's JSON Schema
//! accepts. Export then import into a fresh tracker gives the same traces and mass
//! balances.
//!
//! ```
//! use lottrack_core::{LotKey, Tracker};
//! let doc = r#"{"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
//!   "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-03-01T00:00:00Z",
//!   "epcisBody": {"eventList": [{"type": "ObjectEvent", "eventID": "urn:uuid:1",
//!     "eventTime": "2026-03-01T08:00:00+01:00", "eventTimeZoneOffset": "+01:00",
//!     "action": "OBSERVE", "bizStep": "receiving", "bizLocation": {"id": "urn:epc:id:sgln:4012345.00001.0"},
//!     "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.L1", "quantity": 500, "uom": "KGM"}]}]}}"#;
//! let t = Tracker::in_memory();
//! let s = t.import_epcis(doc.as_bytes()).unwrap();
//! assert_eq!(s.imported, 1);
//! let mb = t.mass_balance(&LotKey::new("04012345123456", "L1")).unwrap();
//! assert_eq!((mb.received.to_string(), mb.uom.as_str()), ("500".to_string(), "kg"));
//! // Importing the same document again counts nothing twice.
//! assert_eq!(t.import_epcis(doc.as_bytes()).unwrap().duplicates, 1);
//! ```
//!
//! # Identifiers
//!
//! | EPCIS | native |
//! |---|---|
//! | `urn:epc:class:lgtin:CP.IR.LOT`, `https://…/01/GTIN/10/LOT` | lot (GTIN-14, `LOT`) |
//! | `urn:epc:id:sgtin:CP.IR.SERIAL`, `https://…/01/GTIN/21/SERIAL` | lot (GTIN-14, `SERIAL`), quantity 1 `each` |
//! | `urn:epc:idpat:sgtin:CP.IR.*`, `https://…/01/GTIN` | lot (GTIN-14, ILMD `lotNumber` or `*`) |
//! | `urn:lottrack:class:<product>:<lot>` | lot (product, lot), both percent-decoded |
//! | `urn:epc:id:sscc:…`, `https://…/00/SSCC`, `urn:lottrack:container:<id>` | container (18-digit SSCC, or the id) |
//! | `urn:epc:id:sgln:CP.LR.EXT`, `https://…/414/GLN[/254/EXT]`, `urn:lottrack:location:<id>` | location `GLN` (extension `0`) or `GLN.EXT` |
//! | `urn:epc:id:pgln:…`, `https://…/417/GLN`, `urn:lottrack:party:<id>` (an SGLN in a source or destination is a party too) | party `GLN` |
//! | any other URI | kept verbatim |
//!
//! The GTIN is always the 14-digit GTIN with its check digit: from an EPC URN it is
//! the item reference's indicator digit, the company prefix, the rest of the item
//! reference and the computed check digit (`4012345.012345` → `04012345123456`); a
//! Digital Link GTIN-8/12/13 is padded with zeros and its check digit validated.
//! Lot codes and serials are percent-decoded. So an EPC URN and a Digital Link for
//! the same GTIN and lot are the same lot.
//!
//! **Serialized items** are lots of one: an SGTIN becomes the lot (GTIN, serial) with
//! quantity 1 `each`, so a trace follows the very unit that was shipped. **Class
//! quantities without a lot** (an SGTIN pattern or a Digital Link without `/10/`)
//! take the lot from the ILMD's `lotNumber` where there is one, else the lot `*`
//! ("lot not given").
//!
//! # Events
//!
//! | EPCIS event | native |
//! |---|---|
//! | ObjectEvent `receiving` (any action) | `receive` per lot (supplier: source `owning_party`, else `possessing_party`); `return` when the disposition is `returned` |
//! | ObjectEvent `commissioning` / `creating_class_instance`, or `ADD` with another or no step | `receive` without supplier (the lot comes into being here) |
//! | ObjectEvent `shipping` | `ship` per lot (customer: destination `owning_party`, else `possessing_party`); an SSCC shipped whole is a `ship` of that container when its contents are known |
//! | ObjectEvent `void_shipping` | `return` |
//! | ObjectEvent `destroying`, or `DELETE` with another or no step | `dispose` |
//! | ObjectEvent `retail_selling` / `dispensing` | `consume` |
//! | ObjectEvent `transporting` with a source and a destination `location` | `move` |
//! | ObjectEvent `OBSERVE`: disposition `recalled` / `expired`, step `holding` | `status` recalled / expired / on hold |
//! | TransformationEvent | `transform` (inputs → outputs); inputs only: `consume`; outputs only: `receive` without supplier |
//! | AggregationEvent `ADD` / `DELETE` | `pack` / `unpack` of the children into / out of the parent (a `DELETE` without children unpacks what the container holds) |
//! | AggregationEvent `OBSERVE` `receiving` | `receive` of each child, then `pack` into the parent; `shipping`: `ship` of the parent (or of the children when it is unknown) |
//! | TransactionEvent with a stock-moving step (as ObjectEvent) | as the ObjectEvent |
//! | `errorDeclaration` | the event as declared, then a `void` of it (time: `declarationTime`, reason, `correctiveEventIDs` kept); the corrective events are ordinary events |
//!
//! An EPCIS event naming several lots where the native kind takes one (receive,
//! ship, …) becomes one native event per lot, with ids `<eventID>#1`, `#2`, … Every
//! other event (sensor-only, association, an observation that moves no stock, a
//! TransactionEvent without a stock-moving step) is listed in
//! [`EpcisImportSummary::unsupported`] with the reason, not an error.
//!
//! **Location**: `bizLocation`, else `readPoint`. **Documents**: each
//! `bizTransactionList` entry is a document (type: the CBV type `po`, `bol`, `inv`,
//! `desadv` … or the type URI; id: the transaction URI, or the native id of a
//! `urn:lottrack:doc:<id>`). **Time**: `eventTime` shown at `eventTimeZoneOffset`.
//! **Units**: UN/ECE codes `KGM` `GRM` `MGM` `TNE` `LBR` `ONZ` `LTR` `MLT` `HLT` are
//! `kg` `g` `mg` `t` `lb` `oz` `l` `ml` `hl`, `EA` and a missing `uom` (a count)
//! are `each` (or a product's declared counting base unit), other codes are kept as
//! they are. **ILMD**: `itemExpirationDate` (else `bestBeforeDate`) is the lot's
//! expiry, `productionDate` its production date, `lotNumber` its lot where the class
//! names none (`cbvmda:` prefix, full `urn:epcglobal:cbv:mda:` URI or bare name);
//! dates are calendar dates (the date part of a date-time is taken as written).
//!
//! **Nothing is silently dropped**: every field that is not mapped (extensions,
//! `disposition`, `persistentDisposition`, `sensorElementList`, an unused
//! `readPoint`, EPCs that are not trade items such as GIAI or GSRN, ILMD fields …)
//! is kept under the native event's attribute `epcis`, exactly as written, listed in
//! [`EpcisImportSummary::unmapped`], and written back by the export.
//!
//! # Lenient import, idempotency, hash IDs
//!
//! A partner's document shows only part of the chain: lots shipped, packed or
//! transformed that were never received here. Import therefore works in the
//! lenient stock mode even on a strict tracker, and beyond it: such a lot (and its
//! product, in the line's unit) comes into being at zero and the take is recorded
//! as a deficit, reported in [`EpcisImportSummary::stock_gaps`] and by
//! [`Tracker::deficits`](crate::Tracker::deficits). Other validation errors (a unit
//! that cannot be converted, a cycle) and malformed EPCIS (wrong JSON types, a
//! missing `eventTime`, an unknown `epcClass` syntax) reject the whole document
//! with an error naming the event (its `eventID`, else `eventList[i] (type)`); a
//! document is recorded in one atomic batch.
//!
//! Import is idempotent by `eventID`: an event whose id is already recorded is
//! skipped (counted in [`EpcisImportSummary::duplicates`]). An event without one
//! gets the CBV 2.0 event hash ID (`ni:///sha-256;…?ver=CBV2.0`) computed as GS1's
//! reference generator does ([`hash`]), so importing a partner's file twice counts
//! nothing twice.
//!
//! # Export
//!
//! [`Tracker::export_epcis`](crate::Tracker::export_epcis) writes `@context` (the
//! EPCIS 2.0 context and the prefix `lottrack` = `urn:lottrack:ext:`), `type`,
//! `schemaVersion` `"2.0"`, `creationDate`, master data in
//! `epcisHeader.epcisMasterData` and `epcisBody.eventList`, in recording order:
//!
//! | native | EPCIS |
//! |---|---|
//! | `receive` | ObjectEvent `receiving` (`ADD` with ILMD when the lot has attributes, else `OBSERVE`), source `owning_party` = supplier |
//! | `ship` | ObjectEvent `OBSERVE` `shipping` `in_transit` from the `readPoint`, destination `owning_party` = customer; a container as its SSCC / private URI in `epcList` |
//! | `transform` | TransformationEvent |
//! | `pack` / `unpack` | AggregationEvent `ADD` `packing` / `DELETE` `unpacking` |
//! | `move` | ObjectEvent `OBSERVE` `transporting`, source and destination `location` |
//! | `dispose` / `consume` / `return` / `adjust` / `status` | ObjectEvent `destroying` / `dispensing` / `receiving` `returned` / `cycle_counting` / `holding`, with `lottrack:kind` (and `lottrack:status`, `lottrack:reason`) to read back exactly |
//! | `void` | the voided event carries an `errorDeclaration` (`lottrack:voidEventID` keeps the void's id) |
//! | `product` / `party` / `location` | master data vocabularies `EPCClass` / `SourceDest` / `BusinessLocation`, each element carrying the native event in the attribute `urn:lottrack:mda:event` |
//! | `mock_recall`, voids of those | `epcisHeader` extension `lottrack:nativeEvents` |
//!
//! Ids without a GS1 form get private URIs that import back to the same native ids:
//! a product without a GTIN-14 (or a lot that is not a GS1 lot code) is
//! `urn:lottrack:class:<product>:<lot>`, other ids `urn:lottrack:location:…`,
//! `urn:lottrack:party:…`, `urn:lottrack:container:…`, `urn:lottrack:event:…`,
//! `urn:lottrack:doc:…` (each part percent-encoded; see [`epc`]). Quantities in a
//! unit without a UN/ECE code are written in the product's base unit. Native
//! attributes travel as the extension `lottrack:attributes`.

pub mod epc;
mod export;
pub mod hash;
mod import;

use serde::Serialize;

use crate::state::Deficit;

/// The prefix `lottrack:` of export extensions is this namespace.
pub const LOTTRACK_NS: &str = "urn:lottrack:ext:";

/// The EPCIS 2.0 JSON-LD context every document names.
pub const EPCIS_CONTEXT: &str = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/// An EPCIS event that lottrack does not track, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnsupportedEvent {
    /// Position in the document's event list.
    pub index: usize,
    /// Its `eventID` (or hash ID).
    pub event_id: String,
    /// Its EPCIS type.
    pub event_type: String,
    /// Why it moves no stock here.
    pub reason: String,
}

/// A field of an imported event that lottrack does not map, kept as an attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnmappedField {
    /// The EPCIS event's id.
    pub event_id: String,
    /// The field (`example:myField`, `ilmd.example:batch`, `epcList` …).
    pub field: String,
}

/// What an EPCIS import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EpcisImportSummary {
    /// Events in the document.
    pub events: u64,
    /// EPCIS events newly recorded (as one or more native events each).
    pub imported: u64,
    /// Native events recorded (parts, voids, master data).
    pub recorded: u64,
    /// EPCIS events skipped because their `eventID` was already recorded.
    pub duplicates: u64,
    /// Events that had no `eventID` and got the CBV 2.0 hash ID.
    pub hash_ids: u64,
    /// Events lottrack does not track, with the reason.
    pub unsupported: Vec<UnsupportedEvent>,
    /// Stock taken that was not on hand here (the partner's view starts mid-chain).
    pub stock_gaps: Vec<Deficit>,
    /// Fields kept as attributes (under `epcis`) because nothing maps them.
    pub unmapped: Vec<UnmappedField>,
    /// Native events retracted by error declarations.
    pub voided: Vec<String>,
}
