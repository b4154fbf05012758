//! The sample study, built with `casecode demo`, read back as a researcher would.

mod common;

use std::collections::BTreeSet;

use common::{Sandbox, list, sample_dir};

#[test]
fn demo_builds_ten_cases_with_attributes_codebook_and_codings() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();

    let documents = list(&sandbox, &project, "documents");
    let documents = documents.as_array().expect("array");
    assert_eq!(documents.len(), 10);
    for document in documents {
        assert!(
            document["chars"].as_u64().expect("chars") >= 4000,
            "{document}"
        );
        assert!(
            document["utterances"].as_u64().expect("utterances") >= 40,
            "{document}"
        );
        for field in ["id", "name", "case", "encoding"] {
            assert!(!document[field].is_null(), "{field} missing in {document}");
        }
    }
    let encoding = |name: &str| {
        documents
            .iter()
            .find(|d| d["name"] == name)
            .map(|d| d["encoding"].as_str().unwrap_or_default().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(encoding("C"), "cp932");
    assert_eq!(encoding("G"), "utf-8-bom");
    assert_eq!(encoding("J"), "euc-jp");
    assert_eq!(encoding("A"), "utf-8");

    let cases = list(&sandbox, &project, "cases");
    let case_a = cases
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["name"] == "A"))
        .expect("case A");
    assert_eq!(case_a["attributes"]["所属組織"], "重症心身障害児施設");
    assert_eq!(case_a["attributes"]["勤務年数"], 18, "integers are typed");
    assert_eq!(case_a["attributes"]["インタビュー日"], "2024-08-05");
    assert_eq!(case_a["documents"], serde_json::json!(["A"]));

    let codes = list(&sandbox, &project, "codes");
    let codes = codes.as_array().expect("array");
    let depth_count = |depth: u64| codes.iter().filter(|c| c["depth"] == depth).count();
    assert_eq!(
        (depth_count(0), depth_count(1), depth_count(2)),
        (4, 15, 44)
    );
    let focus = codes
        .iter()
        .find(|c| c["name"] == "[就学に向けた準備]")
        .expect("focus code");
    assert!(
        focus["path"]
            .as_str()
            .unwrap_or_default()
            .ends_with("/発達を促す場の確保/[就学に向けた準備]")
    );
    assert!(
        focus["roles"].as_array().expect("roles").len() >= 2,
        "{focus}"
    );
    assert!(!focus["definition"].as_str().unwrap_or_default().is_empty());
}

#[test]
fn every_sample_coding_reads_back_with_the_text_of_codings_csv() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let codings = list(&sandbox, &project, "codings");
    let listed: BTreeSet<(String, u64, u64, String, String, String)> = codings
        .as_array()
        .expect("array")
        .iter()
        .map(|c| {
            (
                c["document"].as_str().unwrap_or_default().to_owned(),
                c["start"].as_u64().unwrap_or_default(),
                c["end"].as_u64().unwrap_or_default(),
                c["code"].as_str().unwrap_or_default().to_owned(),
                c["coder"].as_str().unwrap_or_default().to_owned(),
                c["text"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    // Independent reading of the file the demo loaded.
    let mut reader = csv::Reader::from_path(sample_dir().join("codings.csv")).expect("codings.csv");
    let expected: BTreeSet<(String, u64, u64, String, String, String)> = reader
        .records()
        .map(|record| {
            let record = record.expect("record");
            (
                record[0].to_owned(),
                record[1].parse().expect("start"),
                record[2].parse().expect("end"),
                record[3].to_owned(),
                record[4].to_owned(),
                record[6].to_owned(),
            )
        })
        .collect();
    assert!(expected.len() >= 150);
    assert_eq!(listed, expected);
}

#[test]
fn codings_after_a_non_bmp_character_count_it_as_one_code_point() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let text = std::fs::read_to_string(sample_dir().join("B.txt")).expect("B.txt");
    let kichi = text
        .chars()
        .position(|c| c == '𠮷')
        .expect("B.txt contains 𠮷");
    let codings = list(&sandbox, &project, "codings");
    let after: Vec<&serde_json::Value> = codings
        .as_array()
        .expect("array")
        .iter()
        .filter(|c| {
            c["document"] == "B" && c["start"].as_u64().unwrap_or_default() as usize > kichi
        })
        .collect();
    assert!(!after.is_empty());
    let chars: Vec<char> = text.chars().collect();
    for coding in after {
        let (start, end) = (
            coding["start"].as_u64().unwrap_or_default() as usize,
            coding["end"].as_u64().unwrap_or_default() as usize,
        );
        let expected: String = chars[start..end].iter().collect();
        assert_eq!(coding["text"], expected.as_str());
        let cited = coding["utterance"].as_str().expect("cited utterance");
        assert!(cited.starts_with("B-"), "{cited}");
    }
    // `casecode text` slices by code points too.
    let run = sandbox
        .run([
            "text".as_ref(),
            project.as_os_str(),
            "--doc".as_ref(),
            "B".as_ref(),
            "--start".as_ref(),
            kichi.to_string().as_ref(),
            "--end".as_ref(),
            (kichi + 2).to_string().as_ref(),
        ])
        .ok();
    assert_eq!(
        run.stdout.trim_end(),
        chars[kichi..kichi + 2].iter().collect::<String>()
    );
}

#[test]
fn citations_name_case_and_utterance_number() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let text = std::fs::read_to_string(sample_dir().join("A.txt")).expect("A.txt");
    // Count speaker turns up to the first coding independently: lines starting with a label.
    let codings = list(&sandbox, &project, "codings");
    let first = codings
        .as_array()
        .and_then(|c| c.iter().find(|c| c["document"] == "A"))
        .expect("a coding in A");
    let start = first["start"].as_u64().unwrap_or_default() as usize;
    let mut offset = 0;
    let mut turns = 0;
    for line in text.split('\n') {
        if offset > start {
            break;
        }
        if line.starts_with("Ｉ：") || line.starts_with("Ａ：") {
            turns += 1;
        }
        offset += line.chars().count() + 1;
    }
    assert_eq!(first["utterance"], format!("A-{turns}").as_str());
}
