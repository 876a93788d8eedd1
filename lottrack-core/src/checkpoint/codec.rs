//! The byte format of a checkpoint: little-endian fields in checksummed chunks.
//!
//! A [`Writer`] appends fields to a buffer and, at the boundaries between the
//! elements of a list ([`Writer::boundary`]), cuts the buffer into a chunk once it
//! holds [`CHUNK`] bytes: `len: u32`, the payload, `checksum: u64` of the payload.
//! A chunk of length 0 ends the stream. A [`Reader`] reads fields from one chunk
//! at a time and moves to the next chunk only at the same boundaries, when the
//! current one is used up: no field ever spans two chunks, and a chunk can be
//! checked (and read from disk, on another thread) before it is decoded.
//!
//! Decoding never panics and never trusts a length or an index it reads: every
//! read is bounds-checked and every failure is a [`Corrupt`] naming what was
//! being read.

use std::io::Write;
use std::num::NonZeroU32;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;

use crate::table::Table;

/// Chunk size the writer aims at (a chunk ends at the first boundary after it).
pub(crate) const CHUNK: usize = 1 << 20;
/// The largest chunk a reader accepts (a corrupt length must not allocate more).
pub(crate) const MAX_CHUNK: usize = 64 << 20;

/// Why a checkpoint could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Corrupt(pub(crate) String);

impl std::fmt::Display for Corrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a decode returns.
pub(crate) type Got<T> = std::result::Result<T, Corrupt>;

/// A corruption error: `what` could not be read.
pub(crate) fn corrupt(what: impl std::fmt::Display) -> Corrupt {
    Corrupt(what.to_string())
}

/// Writes fields and cuts them into checksummed chunks.
pub(crate) struct Writer<'a> {
    out: &'a mut dyn Write,
    buf: Vec<u8>,
    /// The first I/O error; later writes are skipped and [`Writer::finish`]
    /// returns it.
    err: Option<std::io::Error>,
    bytes: u64,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(out: &'a mut dyn Write) -> Self {
        Writer {
            out,
            buf: Vec::with_capacity(CHUNK + CHUNK / 4),
            err: None,
            bytes: 0,
        }
    }

    /// A point between two elements of a list: the chunk may end here.
    #[inline]
    pub(crate) fn boundary(&mut self) {
        if self.buf.len() >= CHUNK {
            self.flush_chunk();
        }
    }

    fn flush_chunk(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let sum = checksum(&self.buf);
        let len = self.buf.len() as u32;
        self.emit(&len.to_le_bytes());
        let buf = std::mem::take(&mut self.buf);
        self.emit(&buf);
        self.buf = buf;
        self.buf.clear();
        self.emit(&sum.to_le_bytes());
    }

    fn emit(&mut self, bytes: &[u8]) {
        if self.err.is_some() {
            return;
        }
        match self.out.write_all(bytes) {
            Ok(()) => self.bytes += bytes.len() as u64,
            Err(e) => self.err = Some(e),
        }
    }

    /// Ends the stream; the number of bytes written in all.
    pub(crate) fn finish(mut self) -> std::io::Result<u64> {
        self.flush_chunk();
        self.emit(&0u32.to_le_bytes());
        match self.err.take() {
            Some(e) => Err(e),
            None => Ok(self.bytes),
        }
    }

    #[inline]
    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    #[inline]
    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    #[inline]
    pub(crate) fn i32(&mut self, v: i32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    #[inline]
    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    #[inline]
    pub(crate) fn i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// A length or count.
    #[inline]
    pub(crate) fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }

    #[inline]
    pub(crate) fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// A whole list, with a boundary before each element.
    pub(crate) fn list<T>(&mut self, items: &[T], put: impl FnMut(&mut Self, &T)) {
        self.list_of(items.len(), items, put);
    }

    /// A whole list of `len` items read from `items` (a table's chunks, say).
    pub(crate) fn list_of<'t, T: 't>(
        &mut self,
        len: usize,
        items: impl IntoIterator<Item = &'t T>,
        mut put: impl FnMut(&mut Self, &T),
    ) {
        self.len(len);
        for it in items {
            self.boundary();
            put(self, it);
        }
    }

    /// A list of fields that [`Put`] writes.
    pub(crate) fn put_list<T: Put>(&mut self, items: &[T]) {
        self.list(items, |w, it| it.put(w));
    }

    pub(crate) fn opt<T>(&mut self, v: Option<&T>, put: impl FnOnce(&mut Self, &T)) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                put(self, v);
            }
        }
    }
}

/// Reads fields from chunks handed over by a source.
pub(crate) struct Reader<'a> {
    chunk: Vec<u8>,
    pos: usize,
    /// Gives the next chunk's payload (already checked), or `None` at the end
    /// of the stream; takes the spent buffer back for reuse.
    next: &'a mut dyn FnMut(Vec<u8>) -> Got<Option<Vec<u8>>>,
    ended: bool,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(next: &'a mut dyn FnMut(Vec<u8>) -> Got<Option<Vec<u8>>>) -> Self {
        Reader {
            chunk: Vec::new(),
            pos: 0,
            next,
            ended: false,
        }
    }

    /// The boundary the writer may have cut a chunk at: moves to the next chunk
    /// when this one is used up.
    #[inline]
    pub(crate) fn boundary(&mut self) -> Got<()> {
        if self.pos == self.chunk.len() && !self.ended {
            self.advance()?;
        }
        Ok(())
    }

    #[cold]
    fn advance(&mut self) -> Got<()> {
        let spent = std::mem::take(&mut self.chunk);
        match (self.next)(spent)? {
            Some(c) => {
                self.chunk = c;
                self.pos = 0;
            }
            None => self.ended = true,
        }
        Ok(())
    }

    /// Checks that every byte of the stream was read (the end marker is next).
    pub(crate) fn finish(&mut self) -> Got<()> {
        if self.pos != self.chunk.len() {
            return Err(corrupt(format!(
                "{} bytes left over after the last field",
                self.chunk.len() - self.pos
            )));
        }
        if !self.ended {
            self.advance()?;
            if !self.ended {
                return Err(corrupt("data after the last field"));
            }
        }
        Ok(())
    }

    #[inline]
    fn take<const N: usize>(&mut self) -> Got<[u8; N]> {
        let end = self.pos + N;
        match self.chunk.get(self.pos..end) {
            Some(b) => {
                self.pos = end;
                let mut a = [0u8; N];
                a.copy_from_slice(b);
                Ok(a)
            }
            None => Err(self.short()),
        }
    }

    #[cold]
    fn short(&self) -> Corrupt {
        corrupt(if self.ended {
            "the stream ends inside a field".to_string()
        } else {
            format!(
                "a field runs past the end of its chunk ({} of {} bytes read)",
                self.pos,
                self.chunk.len()
            )
        })
    }

    #[inline]
    pub(crate) fn u8(&mut self) -> Got<u8> {
        Ok(self.take::<1>()?[0])
    }

    #[inline]
    pub(crate) fn u32(&mut self) -> Got<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }

    #[inline]
    pub(crate) fn i32(&mut self) -> Got<i32> {
        self.take::<4>().map(i32::from_le_bytes)
    }

    #[inline]
    pub(crate) fn u64(&mut self) -> Got<u64> {
        self.take::<8>().map(u64::from_le_bytes)
    }

    #[inline]
    pub(crate) fn i64(&mut self) -> Got<i64> {
        self.take::<8>().map(i64::from_le_bytes)
    }

    /// A length or count (at most `u32::MAX`). Lists never reserve more than
    /// their caller allows for it ([`Reader::list`]), so a corrupt count fails
    /// at the end of the data instead of allocating.
    #[inline]
    pub(crate) fn len(&mut self, what: &str) -> Got<usize> {
        let n = self.u64()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= u32::MAX as usize)
            .ok_or_else(|| corrupt(format!("{what}: count {n} is out of range")))
    }

    pub(crate) fn str(&mut self) -> Got<&str> {
        let n = self.len("string")?;
        let end = self.pos + n;
        let bytes = self.chunk.get(self.pos..end).ok_or_else(|| self.short())?;
        let s = std::str::from_utf8(bytes).map_err(|e| corrupt(format!("string: {e}")))?;
        self.pos = end;
        Ok(s)
    }

    pub(crate) fn string(&mut self) -> Got<String> {
        self.str().map(str::to_string)
    }

    pub(crate) fn arc_str(&mut self) -> Got<Arc<str>> {
        self.str().map(Arc::from)
    }

    /// A whole list, with a boundary before each element. The vector grows as
    /// elements arrive, so a corrupt count fails at the end of the data rather
    /// than reserving memory for it (up to `reserve` elements are reserved).
    pub(crate) fn list<T>(
        &mut self,
        what: &str,
        reserve: usize,
        mut get: impl FnMut(&mut Self) -> Got<T>,
    ) -> Got<Vec<T>> {
        let n = self.len(what)?;
        let mut v = Vec::with_capacity(n.min(reserve));
        for _ in 0..n {
            self.boundary()?;
            v.push(get(self)?);
        }
        Ok(v)
    }

    /// A whole list read into a [`Table`] (no `Vec` first, so no copy of a
    /// large table).
    pub(crate) fn table<T>(
        &mut self,
        what: &str,
        mut get: impl FnMut(&mut Self) -> Got<T>,
    ) -> Got<Table<T>> {
        let n = self.len(what)?;
        let mut t = Table::default();
        for _ in 0..n {
            self.boundary()?;
            t.push(get(self)?);
        }
        Ok(t)
    }

    /// A list of fields that [`Get`] reads.
    pub(crate) fn get_list<T: Get>(&mut self, what: &str) -> Got<Vec<T>> {
        self.list(what, 1 << 16, T::get)
    }

    pub(crate) fn opt<T>(&mut self, get: impl FnOnce(&mut Self) -> Got<T>) -> Got<Option<T>> {
        match self.u8()? {
            0 => Ok(None),
            1 => get(self).map(Some),
            t => Err(corrupt(format!("option tag {t}"))),
        }
    }

    /// An index that must be below `bound` (the length of what it points into).
    #[inline]
    pub(crate) fn index(&mut self, bound: usize, what: &str) -> Got<u32> {
        let v = self.u32()?;
        if (v as usize) < bound {
            Ok(v)
        } else {
            Err(bad_index(what, v, bound))
        }
    }
}

/// An index read from a checkpoint that points past what it indexes.
#[cold]
pub(crate) fn bad_index(what: &str, v: u32, bound: usize) -> Corrupt {
    corrupt(format!("{what} {v} is out of range (0..{bound})"))
}

/// Written by a [`Writer`] with no context.
pub(crate) trait Put {
    fn put(&self, w: &mut Writer<'_>);
}

/// Read by a [`Reader`] with no context.
pub(crate) trait Get: Sized {
    fn get(r: &mut Reader<'_>) -> Got<Self>;
}

impl Put for u32 {
    fn put(&self, w: &mut Writer<'_>) {
        w.u32(*self);
    }
}

impl Get for u32 {
    fn get(r: &mut Reader<'_>) -> Got<Self> {
        r.u32()
    }
}

impl Put for String {
    fn put(&self, w: &mut Writer<'_>) {
        w.str(self);
    }
}

impl Get for String {
    fn get(r: &mut Reader<'_>) -> Got<Self> {
        r.string()
    }
}

impl Put for Arc<str> {
    fn put(&self, w: &mut Writer<'_>) {
        w.str(self);
    }
}

impl Get for Arc<str> {
    fn get(r: &mut Reader<'_>) -> Got<Self> {
        r.arc_str()
    }
}

impl<T: Put> Put for Option<T> {
    fn put(&self, w: &mut Writer<'_>) {
        w.opt(self.as_ref(), |w, v| v.put(w));
    }
}

impl<T: Get> Get for Option<T> {
    fn get(r: &mut Reader<'_>) -> Got<Self> {
        r.opt(T::get)
    }
}

impl Put for Decimal {
    #[inline]
    fn put(&self, w: &mut Writer<'_>) {
        w.buf.extend_from_slice(&self.serialize());
    }
}

impl Get for Decimal {
    #[inline]
    fn get(r: &mut Reader<'_>) -> Got<Self> {
        let b = r.take::<16>()?;
        // Flags: bit 31 the sign, bits 16..24 the scale (at most 28), the rest 0.
        let flags = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if flags & !0x80FF_0000 != 0 || (flags >> 16) & 0xFF > 28 {
            return Err(corrupt(format!("decimal flags {flags:#x}")));
        }
        Ok(Decimal::deserialize(b))
    }
}

impl Put for NaiveDate {
    fn put(&self, w: &mut Writer<'_>) {
        w.i32(chrono::Datelike::num_days_from_ce(self));
    }
}

impl Get for NaiveDate {
    fn get(r: &mut Reader<'_>) -> Got<Self> {
        let d = r.i32()?;
        NaiveDate::from_num_days_from_ce_opt(d).ok_or_else(|| corrupt(format!("date {d}")))
    }
}

impl Put for DateTime<FixedOffset> {
    fn put(&self, w: &mut Writer<'_>) {
        w.i64(self.timestamp());
        w.u32(self.timestamp_subsec_nanos());
        w.i32(self.offset().local_minus_utc());
    }
}

impl Get for DateTime<FixedOffset> {
    fn get(r: &mut Reader<'_>) -> Got<Self> {
        let (secs, nanos, off) = (r.i64()?, r.u32()?, r.i32()?);
        let off = FixedOffset::east_opt(off).ok_or_else(|| corrupt(format!("offset {off}")))?;
        DateTime::from_timestamp(secs, nanos)
            .map(|t| t.with_timezone(&off))
            .ok_or_else(|| corrupt(format!("time {secs}.{nanos}")))
    }
}

impl Put for Option<NonZeroU32> {
    fn put(&self, w: &mut Writer<'_>) {
        w.u32(self.map_or(0, NonZeroU32::get));
    }
}

impl Get for Option<NonZeroU32> {
    fn get(r: &mut Reader<'_>) -> Got<Self> {
        r.u32().map(NonZeroU32::new)
    }
}

impl<A: Put, B: Put> Put for (A, B) {
    fn put(&self, w: &mut Writer<'_>) {
        self.0.put(w);
        self.1.put(w);
    }
}

impl<A: Get, B: Get> Get for (A, B) {
    fn get(r: &mut Reader<'_>) -> Got<Self> {
        Ok((A::get(r)?, B::get(r)?))
    }
}

/// A 64-bit checksum of `data` (the XXH64 round on four lanes, then an
/// avalanche): catches any change of bytes in a chunk, at several GB/s.
pub(crate) fn checksum(data: &[u8]) -> u64 {
    const P1: u64 = 0x9E37_79B1_85EB_CA87;
    const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    const P3: u64 = 0x1656_67B1_9E37_79F9;
    const P4: u64 = 0x85EB_CA77_C2B2_AE63;
    const P5: u64 = 0x27D4_EB2F_1656_67C5;
    #[inline(always)]
    fn round(acc: u64, lane: u64) -> u64 {
        acc.wrapping_add(lane.wrapping_mul(P2))
            .rotate_left(31)
            .wrapping_mul(P1)
    }
    #[inline(always)]
    fn word(b: &[u8]) -> u64 {
        let mut a = [0u8; 8];
        a.copy_from_slice(&b[..8]);
        u64::from_le_bytes(a)
    }
    let mut v = [P1.wrapping_add(P2), P2, 0, 0u64.wrapping_sub(P1)];
    let mut blocks = data.chunks_exact(32);
    for b in blocks.by_ref() {
        v[0] = round(v[0], word(&b[0..]));
        v[1] = round(v[1], word(&b[8..]));
        v[2] = round(v[2], word(&b[16..]));
        v[3] = round(v[3], word(&b[24..]));
    }
    let mut h = v[0]
        .rotate_left(1)
        .wrapping_add(v[1].rotate_left(7))
        .wrapping_add(v[2].rotate_left(12))
        .wrapping_add(v[3].rotate_left(18));
    for lane in v {
        h = (h ^ round(0, lane)).wrapping_mul(P1).wrapping_add(P4);
    }
    h = h.wrapping_add(data.len() as u64);
    let mut rest = blocks.remainder().chunks_exact(8);
    for b in rest.by_ref() {
        h = (h ^ round(0, word(b)))
            .rotate_left(27)
            .wrapping_mul(P1)
            .wrapping_add(P4);
    }
    for &b in rest.remainder() {
        h = (h ^ u64::from(b).wrapping_mul(P5))
            .rotate_left(11)
            .wrapping_mul(P1);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^ (h >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes with `put`, then reads back with `get` through chunks of the
    /// stream as written.
    fn round_trip<T>(
        put: impl FnOnce(&mut Writer<'_>),
        get: impl FnOnce(&mut Reader<'_>) -> Got<T>,
    ) -> Got<T> {
        let mut bytes = Vec::new();
        let mut w = Writer::new(&mut bytes);
        put(&mut w);
        w.finish().map_err(corrupt)?;
        read_back(&bytes, get)
    }

    fn read_back<T>(bytes: &[u8], get: impl FnOnce(&mut Reader<'_>) -> Got<T>) -> Got<T> {
        let mut at = 0usize;
        let mut next = |_spent: Vec<u8>| -> Got<Option<Vec<u8>>> {
            let len = bytes
                .get(at..at + 4)
                .ok_or_else(|| corrupt("no chunk header"))?;
            let len = u32::from_le_bytes(len.try_into().map_err(|_| corrupt("len"))?) as usize;
            if len == 0 {
                return Ok(None);
            }
            let payload = bytes
                .get(at + 4..at + 4 + len)
                .ok_or_else(|| corrupt("short"))?;
            let sum = bytes
                .get(at + 4 + len..at + 12 + len)
                .ok_or_else(|| corrupt("short"))?;
            if u64::from_le_bytes(sum.try_into().map_err(|_| corrupt("sum"))?) != checksum(payload)
            {
                return Err(corrupt("checksum"));
            }
            at += 12 + len;
            Ok(Some(payload.to_vec()))
        };
        let mut r = Reader::new(&mut next);
        r.boundary()?;
        let v = get(&mut r)?;
        r.finish()?;
        Ok(v)
    }

    #[test]
    fn fields_survive_many_chunks() {
        let items: Vec<(u32, String)> = (0..300_000u32).map(|i| (i, format!("lot-{i}"))).collect();
        let dec = Decimal::new(-12345, 3);
        let got = round_trip(
            |w| {
                w.put_list(&items);
                dec.put(w);
                w.opt(Some(&7u32), |w, v| w.u32(*v));
            },
            |r| {
                let items: Vec<(u32, String)> = r.get_list("items")?;
                let d = Decimal::get(r)?;
                let o = r.opt(|r| r.u32())?;
                Ok((items, d, o))
            },
        )
        .unwrap();
        assert_eq!(got.0, items);
        assert_eq!(got.1, dec);
        assert_eq!(got.2, Some(7));
    }

    #[test]
    fn a_flipped_byte_or_a_cut_is_detected() {
        let items: Vec<u32> = (0..600_000).collect();
        let mut bytes = Vec::new();
        let mut w = Writer::new(&mut bytes);
        w.put_list(&items);
        w.finish().unwrap();
        assert!(bytes.len() > 2 * CHUNK, "several chunks");
        let get = |r: &mut Reader<'_>| r.get_list::<u32>("items");
        assert_eq!(read_back(&bytes, get).unwrap(), items);
        let mut flipped = bytes.clone();
        flipped[CHUNK + 100] ^= 0x10;
        assert_eq!(read_back(&flipped, get).unwrap_err(), corrupt("checksum"));
        let cut = &bytes[..bytes.len() - 4];
        assert!(read_back(cut, get).is_err());
    }

    #[test]
    fn corrupt_fields_are_errors_not_panics() {
        // A string length past the chunk, an option tag of 2, a bad decimal.
        let e = round_trip(|w| w.u64(1 << 40), |r| r.string()).unwrap_err();
        assert!(e.0.contains("out of range"), "{e}");
        let e = round_trip(|w| w.u64(10), |r| r.string()).unwrap_err();
        assert!(e.0.contains("past the end"), "{e}");
        let e = round_trip(|w| w.u8(2), |r| r.opt(|r| r.u8())).unwrap_err();
        assert_eq!(e, corrupt("option tag 2"));
        let e = round_trip(
            |w| w.u32(0x00FF_0000),
            |r| {
                let _ = r.u32()?;
                Decimal::get(r)
            },
        )
        .unwrap_err();
        assert!(
            e.0.contains("ends inside") || e.0.contains("past the end"),
            "{e}"
        );
        let mut bad = [0u8; 16];
        bad[2] = 29; // scale 29
        let e = round_trip(|w| w.buf.extend_from_slice(&bad), Decimal::get).unwrap_err();
        assert!(e.0.contains("decimal flags"), "{e}");
        let e = round_trip(|w| w.u32(9), |r| r.index(5, "lot")).unwrap_err();
        assert_eq!(e, corrupt("lot 9 is out of range (0..5)"));
        let e = round_trip(
            |w| {
                w.u32(1);
                w.u32(2)
            },
            |r| r.u32(),
        )
        .unwrap_err();
        assert!(e.0.contains("left over"), "{e}");
    }

    #[test]
    fn checksum_depends_on_every_byte_and_the_length() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let base = checksum(&data);
        for i in [0, 31, 32, 500, 999] {
            let mut d = data.clone();
            d[i] ^= 1;
            assert_ne!(checksum(&d), base, "byte {i}");
        }
        assert_ne!(checksum(&data[..999]), base);
        assert_eq!(checksum(&data), base);
    }
}
