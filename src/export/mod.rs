//! Exports: files written from the project's read-back views, never from SQL.

pub mod codebook;
pub mod codings;
pub mod concordance;
pub mod methods;
pub mod paper;
pub mod qdpx;

use std::path::Path;

use crate::{Error, Result};

/// Writes a file whole: to a temporary sibling first, then renamed over the target, so that an
/// interrupted export never leaves half a file.
pub fn write_file(path: &Path, contents: &[u8]) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".to_owned());
    // Unique per process, so two processes writing the same file never mix their bytes.
    let temporary = path.with_file_name(format!(".{file_name}.{}.partial", std::process::id()));
    std::fs::write(&temporary, contents).map_err(io)?;
    std::fs::rename(&temporary, path).map_err(io)
}

/// [`write_file`] for a file written in pieces by `write` (a large archive): to a temporary
/// sibling first, renamed over the target only when `write` succeeded; the temporary file is
/// removed when it failed.
pub fn write_file_with(
    path: &Path,
    write: &mut dyn FnMut(&mut std::io::BufWriter<std::fs::File>) -> Result<()>,
) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".to_owned());
    let temporary = path.with_file_name(format!(".{file_name}.{}.partial", std::process::id()));
    let written = std::fs::File::create(&temporary)
        .map_err(io)
        .and_then(|file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            write(&mut out)?;
            out.into_inner().map_err(|error| io(error.into_error()))?;
            Ok(())
        });
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(error);
    }
    std::fs::rename(&temporary, path).map_err(io)
}
