//! `casecode list documents|cases|codes|codings [--json]`: what a project holds, as text or JSON.

use std::io::Write;

use clap::ValueEnum;

use crate::listing;
use crate::project::Project;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum ListWhat {
    Documents,
    Cases,
    Codes,
    Codings,
}

/// Prints one listing of the project.
pub(super) fn list(
    project: &Project,
    what: ListWhat,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    fn emit<T: serde::Serialize>(out: &mut impl Write, rows: &[T]) -> anyhow::Result<()> {
        serde_json::to_writer_pretty(&mut *out, rows)?;
        writeln!(out)?;
        Ok(())
    }
    let clean = |text: &str| text.replace('\t', "\\t").replace('\n', "\\n");
    match what {
        ListWhat::Documents => {
            let rows = listing::documents(project)?;
            if json {
                return emit(out, &rows);
            }
            writeln!(out, "id\tname\tcase\tchars\tencoding\tutterances\tsource")?;
            for r in rows {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    r.id, r.name, r.case, r.chars, r.encoding, r.utterances, r.source
                )?;
            }
        }
        ListWhat::Cases => {
            let rows = listing::cases(project)?;
            if json {
                return emit(out, &rows);
            }
            let attributes = project.read().attributes()?;
            write!(out, "id\tname")?;
            for attribute in &attributes {
                write!(out, "\t{}", attribute.name)?;
            }
            writeln!(out, "\tdocuments")?;
            for r in rows {
                write!(out, "{}\t{}", r.id, r.name)?;
                for attribute in &attributes {
                    let value = match r.attributes.get(&attribute.name) {
                        Some(serde_json::Value::String(text)) => text.clone(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    };
                    write!(out, "\t{}", clean(&value))?;
                }
                writeln!(out, "\t{}", r.documents.join(","))?;
            }
        }
        ListWhat::Codes => {
            let rows = listing::codes(project)?;
            if json {
                return emit(out, &rows);
            }
            writeln!(out, "id\tsegments\troles\tpath")?;
            for r in rows {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    r.id,
                    r.segments,
                    r.roles.join(","),
                    r.path
                )?;
            }
        }
        ListWhat::Codings => {
            let rows = listing::codings(project)?;
            if json {
                return emit(out, &rows);
            }
            writeln!(
                out,
                "id\tdocument\tutterance\tstart\tend\tcoder\tcode\ttext"
            )?;
            for r in rows {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    r.id,
                    r.document,
                    r.utterance.unwrap_or_default(),
                    r.start,
                    r.end,
                    r.coder,
                    r.code_path,
                    clean(&r.text)
                )?;
            }
        }
    }
    Ok(())
}
