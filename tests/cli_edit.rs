//! `casecode memo` and `casecode attribute`, run as the real binary: every memo and attribute
//! edit the side panels make can also be made from the command line, a bad value exits with
//! code 2 and changes nothing, and `casecode undo` reverts each edit.

use std::path::Path;
use std::process::Output;

use casecode::command::{AttributeColumn, AttributeTable, Command, NewDocument};
use casecode::model::{AttributeKind, MemoTarget};
use casecode::project::Project;

fn casecode(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_casecode"))
        .args(args)
        .output()
        .expect("run casecode")
}

/// Case A with one document and the integer attribute 勤務年数 = 12, and one code.
fn project(path: &Path) {
    let mut project = Project::create(path).expect("create");
    project
        .execute(Command::ImportDocuments {
            documents: vec![NewDocument {
                name: "A".to_owned(),
                case_name: "A".to_owned(),
                text: "Ａ：訪問看護です。\n".to_owned(),
                encoding: "utf-8".to_owned(),
                source_path: "A.txt".to_owned(),
                utterances: Vec::new(),
                metadata: Default::default(),
            }],
        })
        .expect("import");
    project
        .execute(Command::ImportAttributes {
            table: AttributeTable {
                columns: vec![AttributeColumn {
                    name: "勤務年数".to_owned(),
                    kind: AttributeKind::Integer,
                    declared: true,
                }],
                rows: vec![("A".to_owned(), vec![Some("12".to_owned())])],
            },
        })
        .expect("attributes");
    project
        .execute(Command::AddCode {
            parent_id: None,
            name: "[レスパイト]".to_owned(),
            definition: String::new(),
            color: None,
            roles: Vec::new(),
        })
        .expect("code");
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn memos_of_every_kind_are_written_shown_and_undone_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.casecode");
    project(&path);
    let file = path.to_str().expect("utf-8 path");
    for (flag, value, text) in [
        ("--project-memo", None, "三つの役割の枠で読む"),
        ("--case", Some("A"), "訪問看護の管理者"),
        ("--document", Some("A"), "冒頭の録音が欠けている"),
        ("--code", Some("[レスパイト]"), "短期入所を含む"),
    ] {
        let mut args = vec!["memo", file, flag];
        args.extend(value);
        args.extend(["--text", text]);
        let output = casecode(&args);
        assert!(output.status.success(), "{output:?}");
        let mut show = vec!["memo", file, flag];
        show.extend(value);
        show.push("--show");
        assert_eq!(stdout(&casecode(&show)).trim_end(), text);
    }
    let project = Project::open(&path).expect("open");
    let code_id = project.resolve_code("[レスパイト]").expect("code");
    assert_eq!(
        project
            .read()
            .memo(MemoTarget::Code(code_id))
            .expect("read")
            .as_deref(),
        Some("短期入所を含む")
    );
    drop(project);
    let output = casecode(&["undo", file]);
    assert_eq!(stdout(&output).trim_end(), "undone: コードのメモの編集");
}

#[test]
fn an_attribute_value_is_set_canonical_and_a_bad_one_changes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.casecode");
    project(&path);
    let file = path.to_str().expect("utf-8 path");

    let output = casecode(&[
        "attribute",
        file,
        "--case",
        "A",
        "--name",
        "勤務年数",
        "--value",
        "十二年",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("'十二年' is not a valid integer for '勤務年数'"),
        "{output:?}"
    );

    let output = casecode(&[
        "attribute",
        file,
        "--case",
        "A",
        "--name",
        "勤務年数",
        "--value",
        "１５",
    ]);
    assert_eq!(stdout(&output).trim_end(), "属性値の編集: A 勤務年数 = 15");
    let output = casecode(&[
        "attribute",
        file,
        "--case",
        "A",
        "--name",
        "勤務年数",
        "--clear",
    ]);
    assert_eq!(
        stdout(&output).trim_end(),
        "属性値の削除: A 勤務年数 = (none)"
    );

    casecode(&["undo", file, "2"]);
    let project = Project::open(&path).expect("open");
    let values = project.read().attribute_values().expect("values");
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].value, "12", "two undos restore the first value");
}
