//! "サンプル研究を開く": the sample study of `sample_transcripts/` is compiled into the binary, so
//! the button works wherever casecode runs. On first use its files are written to the user's
//! cache folder and built into a project with [`crate::sample::build_study`]; later it is
//! reopened as it is (with whatever the researcher coded in it).

use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// The files of `sample_transcripts/`, byte for byte (CP932, EUC-JP and BOM files included).
const FILES: &[(&str, &[u8])] = &[
    ("A.txt", include_bytes!("../../../sample_transcripts/A.txt")),
    ("B.txt", include_bytes!("../../../sample_transcripts/B.txt")),
    ("C.txt", include_bytes!("../../../sample_transcripts/C.txt")),
    ("D.txt", include_bytes!("../../../sample_transcripts/D.txt")),
    ("E.txt", include_bytes!("../../../sample_transcripts/E.txt")),
    ("F.txt", include_bytes!("../../../sample_transcripts/F.txt")),
    ("G.txt", include_bytes!("../../../sample_transcripts/G.txt")),
    ("H.txt", include_bytes!("../../../sample_transcripts/H.txt")),
    ("I.txt", include_bytes!("../../../sample_transcripts/I.txt")),
    ("J.txt", include_bytes!("../../../sample_transcripts/J.txt")),
    (
        "cases.csv",
        include_bytes!("../../../sample_transcripts/cases.csv"),
    ),
    (
        "codebook.ron",
        include_bytes!("../../../sample_transcripts/codebook.ron"),
    ),
    (
        "codings.csv",
        include_bytes!("../../../sample_transcripts/codings.csv"),
    ),
];

/// `<cache dir>/casecode/`, or the system temp folder when there is no cache dir.
pub fn sample_folder() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("casecode")
}

/// The sample project under `folder`, built when it does not exist yet (or `rebuild` is set).
pub fn ensure_sample_project(folder: &Path, rebuild: bool) -> anyhow::Result<PathBuf> {
    let project = folder.join("sample.casecode");
    if project.is_file() && !rebuild {
        return Ok(project);
    }
    let sources = folder.join("sample_transcripts");
    std::fs::create_dir_all(&sources).with_context(|| format!("creating {}", sources.display()))?;
    for (name, bytes) in FILES {
        let path = sources.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    for stale in [
        "sample.casecode",
        "sample.casecode-wal",
        "sample.casecode-shm",
    ] {
        let path = folder.join(stale);
        if path.exists() {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    crate::sample::build_study(&sources, &project, None)
        .with_context(|| format!("building the sample study in {}", project.display()))?;
    Ok(project)
}
