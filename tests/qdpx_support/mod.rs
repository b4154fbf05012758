//! What the REFI-QDA tests share: schema validation with xmllint, zips read and written.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::{Run, Sandbox};

/// The REFI-QDA schemas, copied into `tests/refi-qda/` (see its README).
pub const PROJECT_XSD: &str = "Project.xsd";
pub const CODEBOOK_XSD: &str = "Codebook.xsd";

/// Validates `file` against `schema` with xmllint; skips (saying why) only when xmllint is absent.
pub fn assert_valid(schema: &str, file: &Path) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/refi-qda")
        .join(schema);
    let Ok(output) = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(file)
        .output()
    else {
        eprintln!(
            "SKIPPED schema check of {}: xmllint is not installed (scripts/setup.sh installs it)",
            file.display()
        );
        return;
    };
    assert!(
        output.status.success(),
        "{} is not valid against {}:\n{}",
        file.display(),
        schema.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The entries of a zip, by name.
pub fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).expect("open zip");
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    let mut entries = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("entry");
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read entry");
        entries.push((entry.name().expect("entry name").into_owned(), bytes));
    }
    entries
}

/// Writes a zip of these entries.
pub fn write_zip(sandbox: &Sandbox, name: &str, entries: &[(&str, &[u8])]) -> PathBuf {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (entry, bytes) in entries {
        writer
            .start_file(*entry, zip::write::SimpleFileOptions::default())
            .expect("start entry");
        writer.write_all(bytes).expect("write entry");
    }
    sandbox.write(name, writer.finish().expect("finish").into_inner())
}

pub fn import_qdpx(sandbox: &Sandbox, file: &Path, project: &Path) -> Run {
    sandbox.run([
        "import-qdpx".as_ref(),
        file.as_os_str(),
        project.as_os_str(),
    ])
}
