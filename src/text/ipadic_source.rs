//! An IPADIC *source* folder (the CSVs and `.def` files lindera's builder reads): telling its
//! encoding, checking that it is complete, and the key that names its built dictionary in the
//! cache (a hash of the files, memoized by their sizes and times so that opening a project
//! does not read 50 MB).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::dictionary::{DictionaryError, IPADIC_METADATA, RECIPE, io, not_a_source, sibling_temp};

/// Tells the encoding of an IPADIC source: `"UTF-8"` when `Noun.csv` and `Adj.csv` (lacking
/// both: the first CSV) are strict UTF-8, `"EUC-JP"` when they are all strict EUC-JP
/// (Japanese UTF-8 is never valid EUC-JP, so a mixed source is an error).
pub fn detect_source_encoding(source: &Path) -> Result<&'static str, DictionaryError> {
    let mut probes: Vec<PathBuf> = ["Noun.csv", "Adj.csv"]
        .iter()
        .map(|n| source.join(n))
        .filter(|p| p.is_file())
        .collect();
    if probes.is_empty() {
        probes.extend(
            source_files(source)?
                .into_iter()
                .filter(|p| has_ext(p, "csv"))
                .take(1),
        );
    }
    if probes.is_empty() {
        return Err(not_a_source(source, "no .csv file"));
    }
    let mut contents = Vec::new();
    for path in probes {
        let bytes = fs::read(&path).map_err(|e| io(&path, e))?;
        contents.push((path, bytes));
    }
    if contents
        .iter()
        .all(|(_, bytes)| std::str::from_utf8(bytes).is_ok())
    {
        return Ok("UTF-8");
    }
    let not_euc_jp = contents.into_iter().find(|(_, bytes)| {
        let decoded =
            encoding_rs::EUC_JP.decode_without_bom_handling_and_without_replacement(bytes);
        decoded.is_none()
    });
    match not_euc_jp {
        None => Ok("EUC-JP"),
        Some((path, _)) => Err(DictionaryError::UnknownEncoding { path }),
    }
}

/// `Ok` when `path` holds `matrix.def`, `char.def`, `unk.def` and at least one `.csv`.
pub(super) fn check_source(path: &Path) -> Result<(), DictionaryError> {
    if !path.is_dir() {
        return Err(not_a_source(path, "no such folder"));
    }
    if let Some(missing) = ["matrix.def", "char.def", "unk.def"]
        .iter()
        .find(|f| !path.join(f).is_file())
    {
        return Err(not_a_source(path, &format!("no {missing}")));
    }
    if !source_files(path)?.iter().any(|p| has_ext(p, "csv")) {
        return Err(not_a_source(path, "no .csv file"));
    }
    Ok(())
}

/// The source's `*.csv` and `*.def` files, sorted by name.
pub(super) fn source_files(source: &Path) -> Result<Vec<PathBuf>, DictionaryError> {
    let mut files = Vec::new();
    for entry in fs::read_dir(source).map_err(|e| io(source, e))? {
        let path = entry.map_err(|e| io(source, e))?.path();
        if (has_ext(&path, "csv") || has_ext(&path, "def")) && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Cache key: FNV-1a 64 over the lindera version, casecode's recipe and metadata, and the
/// sorted names, sizes and contents of the source's `*.csv` and `*.def` files.
/// [`source_key`], remembered under a stamp of the source files' names, sizes and modification
/// times, so that a cache hit does not re-read the 50 MB source every time (the content hash is
/// computed again whenever any file changes).
pub(super) fn memoized_source_key(
    source: &Path,
    cache_root: &Path,
) -> Result<String, DictionaryError> {
    let mut stamp = 0xcbf2_9ce4_8422_2325;
    for text in [lindera::get_version(), RECIPE, IPADIC_METADATA] {
        stamp = fnv1a(stamp, text.as_bytes());
    }
    stamp = fnv1a(stamp, source.as_os_str().as_encoded_bytes());
    for path in source_files(source)? {
        let meta = fs::metadata(&path).map_err(|e| io(&path, e))?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |since| since.as_nanos());
        stamp = fnv1a(stamp, path.as_os_str().as_encoded_bytes());
        stamp = fnv1a(stamp, &meta.len().to_le_bytes());
        stamp = fnv1a(stamp, &modified.to_le_bytes());
    }
    let memo = cache_root
        .join("dictionary-source-keys")
        .join(format!("{stamp:016x}"));
    if let Ok(key) = fs::read_to_string(&memo)
        && key.starts_with("ipadic-")
        && !key.contains(['/', '\\', '\n'])
    {
        return Ok(key);
    }
    let key = source_key(source)?;
    // Best effort: without the memo the next run only hashes again.
    if let Some(folder) = memo.parent()
        && fs::create_dir_all(folder).is_ok()
    {
        let temporary = sibling_temp(&memo, "memo");
        if fs::write(&temporary, &key).is_ok() {
            let _ = fs::rename(&temporary, &memo);
        }
    }
    Ok(key)
}

fn source_key(source: &Path) -> Result<String, DictionaryError> {
    let framed =
        |hash, bytes: &[u8]| fnv1a(fnv1a(hash, &(bytes.len() as u64).to_le_bytes()), bytes);
    let mut hash = 0xcbf2_9ce4_8422_2325;
    for text in [lindera::get_version(), RECIPE, IPADIC_METADATA] {
        hash = framed(hash, text.as_bytes());
    }
    let mut buffer = vec![0_u8; 1 << 16];
    for path in source_files(source)? {
        hash = framed(
            hash,
            path.file_name().unwrap_or_default().as_encoded_bytes(),
        );
        let mut file = fs::File::open(&path).map_err(|e| io(&path, e))?;
        let size = file.metadata().map_err(|e| io(&path, e))?.len();
        hash = fnv1a(hash, &size.to_le_bytes());
        loop {
            match file.read(&mut buffer).map_err(|e| io(&path, e))? {
                0 => break,
                n => hash = fnv1a(hash, &buffer[..n]),
            }
        }
    }
    Ok(format!("ipadic-{hash:016x}"))
}

/// FNV-1a 64 step: simple, and stable across Rust versions and platforms.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const ADJ: &str =
        "美しい,43,43,3000,形容詞,自立,*,*,形容詞・イ段,基本形,美しい,ウツクシイ,ウツクシイ\n";

    /// A folder that passes as an IPADIC source (the builder would reject it).
    pub(crate) fn fake_source(dir: &Path, adj_csv: &[u8]) -> PathBuf {
        fs::create_dir_all(dir).expect("mkdir");
        for def in ["matrix.def", "char.def", "unk.def"] {
            fs::write(dir.join(def), "1 1\n0 0 0\n").expect("write .def");
        }
        fs::write(dir.join("Adj.csv"), adj_csv).expect("write Adj.csv");
        dir.to_path_buf()
    }

    #[test]
    fn detects_utf8_and_euc_jp_sources() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let utf8 = fake_source(&tmp.path().join("utf8"), ADJ.as_bytes());
        assert_eq!(detect_source_encoding(&utf8).expect("utf8"), "UTF-8");
        let (euc, _, bad) = encoding_rs::EUC_JP.encode(ADJ);
        assert!(!bad && std::str::from_utf8(&euc).is_err());
        let euc = fake_source(&tmp.path().join("euc"), &euc);
        assert_eq!(detect_source_encoding(&euc).expect("euc"), "EUC-JP");
        let mixed = fake_source(
            &tmp.path().join("mixed"),
            &fs::read(euc.join("Adj.csv")).expect("read"),
        );
        fs::write(mixed.join("Noun.csv"), ADJ).expect("write");
        let error = detect_source_encoding(&mixed)
            .expect_err("mixed")
            .to_string();
        assert!(error.contains("Noun.csv"), "{error}");
        let junk = fake_source(&tmp.path().join("junk"), b"\xff\xfe\xfd,1,1\n");
        let error = detect_source_encoding(&junk).expect_err("junk").to_string();
        assert!(
            error.contains("Adj.csv") && error.contains("neither UTF-8 nor EUC-JP"),
            "{error}"
        );
        let error = detect_source_encoding(tmp.path())
            .expect_err("no csv")
            .to_string();
        assert!(error.contains(&tmp.path().display().to_string()), "{error}");
    }

    #[test]
    fn cache_key_follows_the_source_contents() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let a = fake_source(&tmp.path().join("a"), ADJ.as_bytes());
        let b = fake_source(&tmp.path().join("b"), ADJ.as_bytes());
        let key = |dir: &Path| source_key(dir).expect("key");
        assert_eq!(key(&a), key(&b));
        fs::write(b.join("Adj.csv"), ADJ.replace("3000", "3001")).expect("write");
        assert_ne!(key(&a), key(&b));
        fs::write(a.join("Extra.csv"), "").expect("write");
        assert_ne!(
            key(&a),
            key(&fake_source(&tmp.path().join("c"), ADJ.as_bytes()))
        );
    }
}
