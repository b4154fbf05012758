//! The sources of text of a large `.qdpx`, read on every core. One thread decompresses the
//! project again and cuts out the bytes of each `TextSource` (where the first reading found
//! them), with no XML parsing; workers parse each from its bytes and convert it; the results
//! are handed over in document order. A source's elements are built and freed on the worker
//! that reads it (elements freed on another thread than the one that built them made an
//! earlier attempt slower), and at most a few sources' bytes wait at once.

use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::ops::Range;
use std::sync::mpsc::{Receiver, Sender, channel, sync_channel};
use std::sync::{Arc, Mutex};

use crate::import::archive::Archive;
use crate::{Error, Result};

/// Where the `TextSource`s of a project are: the entry holding it, opened again, and each
/// source's bytes in its XML (after a BOM), in document order.
pub(crate) struct Slices {
    pub archive: Archive,
    pub entry: String,
    /// What the entry is held to (see [`Archive::stream`]).
    pub cap: u64,
    pub places: Vec<Range<u64>>,
}

impl Slices {
    /// Hands each source's bytes, with where they begin, to `each`, in document order, until
    /// `each` returns false; the bytes are read into buffers `spare` gives back when it can.
    fn cut(
        mut self,
        spare: &Receiver<Vec<u8>>,
        each: &mut dyn FnMut(u64, Vec<u8>) -> bool,
    ) -> Result<()> {
        let file = self.archive.file().to_owned();
        let bad = |error: std::io::Error| Error::bad_input(&file, error.to_string());
        let mut stream = self.archive.stream(&self.entry, self.cap)?;
        // The XML reader counts its positions after a UTF-8 BOM.
        if stream.fill_buf().map_err(bad)?.starts_with(b"\xEF\xBB\xBF") {
            stream.consume(3);
        }
        let mut at = 0_u64;
        for place in &self.places {
            let (Some(skip), Some(length)) = (
                place.start.checked_sub(at),
                place.end.checked_sub(place.start),
            ) else {
                return Err(Error::bad_input(
                    &file,
                    "the sources of text are not in order in the XML",
                ));
            };
            std::io::copy(&mut (&mut stream).take(skip), &mut std::io::sink()).map_err(bad)?;
            let mut bytes = spare.try_recv().unwrap_or_default();
            bytes.clear();
            bytes.reserve(usize::try_from(length).unwrap_or_default());
            (&mut stream)
                .take(length)
                .read_to_end(&mut bytes)
                .map_err(bad)?;
            if (bytes.len() as u64) < length {
                return Err(Error::bad_input(
                    &file,
                    format!(
                        "entry '{}' ended before the source at byte {} of its XML; refusing it",
                        self.entry, place.start
                    ),
                ));
            }
            at = place.end;
            if !each(place.start, bytes) {
                break;
            }
        }
        Ok(())
    }
}

/// Reads one source on a worker: its state, where the bytes began, the bytes.
pub(crate) type Convert<'c, W, T> = &'c (dyn Fn(&mut W, u64, &[u8]) -> Result<T> + Sync);

/// Cuts the sources out of `slices` and has `convert` read each (from its bytes and where they
/// begin) on `workers` threads, each with its own state; `deliver` gets every result in
/// document order. The first error in document order (of a result, of `deliver` or of the
/// cutting) is returned. With no source nothing is read again (the first reading met any error
/// the entry holds); with sources, `workers` holds at least one state.
pub(crate) fn convert_in_order<W: Send, T: Send>(
    slices: Slices,
    workers: Vec<W>,
    convert: Convert<'_, W, T>,
    deliver: &mut dyn FnMut(T) -> Result<()>,
) -> Result<()> {
    if slices.places.is_empty() {
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (work, to_do) = sync_channel::<(usize, u64, Vec<u8>)>(workers.len().max(1));
        let to_do = Arc::new(Mutex::new(to_do));
        let (results, done) = channel::<(usize, Result<T>)>();
        // A source's buffer goes back to the cutter to be filled again.
        let (used, spare) = channel::<Vec<u8>>();
        let cutter = scope.spawn(move || {
            let mut index = 0;
            slices.cut(&spare, &mut |offset, bytes| {
                let sent = work.send((index, offset, bytes)).is_ok();
                index += 1;
                sent
            })
        });
        for mut state in workers {
            let to_do = Arc::clone(&to_do);
            let results = results.clone();
            let used = used.clone();
            scope.spawn(move || {
                loop {
                    let next = match to_do.lock() {
                        Ok(to_do) => to_do.recv(),
                        Err(_) => return,
                    };
                    let Ok((index, offset, bytes)) = next else {
                        return;
                    };
                    let result = convert(&mut state, offset, &bytes);
                    drop(used.send(bytes));
                    if results.send((index, result)).is_err() {
                        return;
                    }
                }
            });
        }
        // The workers hold the only handles now: when they stop, the cutter stops too.
        drop((to_do, results, used));
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        let mut delivered = Ok(());
        'receiving: for (index, result) in done.iter() {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&next) {
                next += 1;
                if let Err(error) = result.and_then(&mut *deliver) {
                    delivered = Err(error);
                    break 'receiving;
                }
            }
        }
        drop(done);
        let cut = match cutter.join() {
            Ok(cut) => cut,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        delivered.and(cut)
    })
}

/// How many threads convert sources: one per core, as few as one.
pub(crate) fn worker_count() -> usize {
    std::thread::available_parallelism().map_or(1, |count| count.get().clamp(1, 8))
}

/// Has `read` read `stream` while another thread decompresses it (a zip entry's reader):
/// the first reading of a large project parses as fast as it inflates, on two cores.
pub(crate) fn read_ahead<T>(stream: impl BufRead + Send, read: impl FnOnce(&mut Piped) -> T) -> T {
    /// What the decompressing thread hands over at a time.
    const CHUNK: u64 = 256 * 1024;
    std::thread::scope(|scope| {
        let (chunks, received) = sync_channel::<std::io::Result<Vec<u8>>>(4);
        let (used, spare) = channel::<Vec<u8>>();
        scope.spawn(move || {
            let mut stream = stream;
            loop {
                let mut chunk = spare.try_recv().unwrap_or_default();
                chunk.clear();
                chunk.reserve(CHUNK as usize);
                let read = (&mut stream).take(CHUNK).read_to_end(&mut chunk);
                // What came before an error is read before it, as from the stream itself.
                if !chunk.is_empty() && chunks.send(Ok(chunk)).is_err() {
                    return;
                }
                match read {
                    Ok(0) => return,
                    Ok(_) => {}
                    Err(error) => {
                        drop(chunks.send(Err(error)));
                        return;
                    }
                }
            }
        });
        let mut piped = Piped {
            chunks: received,
            used,
            chunk: Vec::new(),
            at: 0,
        };
        read(&mut piped)
    })
}

/// The reading end of [`read_ahead`].
pub(crate) struct Piped {
    chunks: Receiver<std::io::Result<Vec<u8>>>,
    /// Where a chunk read goes back to be filled again.
    used: Sender<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for Piped {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let count = available.len().min(buffer.len());
        if let (Some(to), Some(from)) = (buffer.get_mut(..count), available.get(..count)) {
            to.copy_from_slice(from);
        }
        self.consume(count);
        Ok(count)
    }
}

impl BufRead for Piped {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.at >= self.chunk.len() {
            match self.chunks.recv() {
                Ok(Ok(chunk)) => {
                    let read = std::mem::replace(&mut self.chunk, chunk);
                    drop(self.used.send(read));
                    self.at = 0;
                }
                Ok(Err(error)) => return Err(error),
                // The stream has ended.
                Err(_) => return Ok(&[]),
            }
        }
        Ok(self.chunk.get(self.at..).unwrap_or_default())
    }

    fn consume(&mut self, amount: usize) {
        self.at = self.at.saturating_add(amount).min(self.chunk.len());
    }
}
