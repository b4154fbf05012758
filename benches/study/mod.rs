//! What the matrix and export benchmarks share: one generated study (transcripts, a three-level
//! codebook with roles, 所属組織, codings) and a median timer. Kept apart from `common` so
//! that the benchmarks that do not use it do not carry dead code.

use std::path::Path;
use std::time::Instant;

use casecode::codebook::{CodeSpec, Codebook};
use casecode::command::{AttributeColumn, AttributeTable, Command, NewCoding};
use casecode::import::txt::{TxtOptions, collect_transcripts};
use casecode::model::AttributeKind;
use casecode::project::Project;

use crate::common::{Lcg, write_transcripts};

/// The organisation types of 所属組織, given to the cases in turn.
pub const ORGANISATIONS: [&str; 8] = [
    "重症心身障害児施設",
    "訪問看護ステーション",
    "小児科等診療所",
    "大学病院",
    "市役所",
    "基幹相談支援センター",
    "障害者相談支援センター",
    "保健センター",
];

/// Runs `work` `rounds` times and returns the median in seconds.
pub fn median_seconds(rounds: usize, mut work: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// A generated study: `documents` transcripts of about `chars` characters (one case each), 4
/// categories × 5 subcategories × `focus` focus codes with two roles each, an 8-valued
/// 所属組織, and `codings` codings of 20–170 code points.
pub fn generated_study(
    dir: &Path,
    seed: u64,
    (documents, chars, focus, codings): (usize, usize, usize, usize),
) -> Project {
    let folder = dir.join("transcripts");
    let mut random = Lcg(seed);
    write_transcripts(&folder, &mut random, documents, chars, (2, 4));
    let mut project = Project::create(&dir.join("bench.casecode")).expect("create");
    let collected = collect_transcripts(std::slice::from_ref(&folder), &TxtOptions::default())
        .expect("collect");
    project
        .execute(Command::ImportDocuments {
            documents: collected.documents,
        })
        .expect("import");
    let roles = ["発達支援", "家族支援", "地域支援"];
    let codebook = Codebook {
        frames: Vec::new(),
        codes: (0..4)
            .map(|category| CodeSpec {
                name: format!("カテゴリー{category}"),
                children: (0..5)
                    .map(|sub| CodeSpec {
                        name: format!("サブカテゴリー{category}-{sub}"),
                        children: (0..focus)
                            .map(|code| CodeSpec {
                                name: format!("[焦点コード{category}-{sub}-{code}]"),
                                roles: vec![
                                    roles[code % 3].into(),
                                    roles[(code + category) % 3].into(),
                                ],
                                ..CodeSpec::default()
                            })
                            .collect(),
                        ..CodeSpec::default()
                    })
                    .collect(),
                ..CodeSpec::default()
            })
            .collect(),
    };
    project
        .execute(Command::ImportCodebook { codebook })
        .expect("codebook");
    let infos = project.read().document_infos().expect("documents");
    project
        .execute(Command::ImportAttributes {
            table: AttributeTable {
                columns: vec![AttributeColumn {
                    name: "所属組織".into(),
                    kind: AttributeKind::Text,
                    declared: true,
                }],
                rows: infos
                    .iter()
                    .enumerate()
                    .map(|(index, info)| {
                        let value = ORGANISATIONS[index % ORGANISATIONS.len()];
                        (info.name.clone(), vec![Some(value.to_owned())])
                    })
                    .collect(),
            },
        })
        .expect("attributes");
    let tree = project.code_tree().expect("tree");
    let leaves: Vec<_> = tree
        .walk()
        .into_iter()
        .filter(|code_id| tree.depth(*code_id) == 2)
        .collect();
    let new_codings: Vec<NewCoding> = (0..codings)
        .map(|index| {
            let info = &infos[index % infos.len()];
            let start = random.next() % (info.chars - 200);
            NewCoding {
                document_id: info.id,
                code_id: leaves[random.next() % leaves.len()],
                start,
                end: start + 20 + random.next() % 150,
                coder: if index % 4 == 0 { "鈴木" } else { "山田" }.into(),
                memo: String::new(),
            }
        })
        .collect();
    project
        .execute(Command::AddCodings {
            codings: new_codings,
        })
        .expect("codings");
    project
}
