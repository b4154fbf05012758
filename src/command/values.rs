//! Single-value edits that the panels make in place: one case's value of one attribute, and the
//! memo of the project, a case, a document, a code or a coding. Both check their target and
//! compile to one primitive whose inverse restores the old value exactly.

use super::Command;
use crate::import::attributes::canonical_value;
use crate::model::{AttributeId, CaseId, MemoTarget};
use crate::store::Tx;
use crate::{Error, Result};

/// Checks the case, the attribute and the value against the attribute's kind, then sets the
/// canonical value (or clears it).
pub(super) fn set_attribute_value(
    tx: &Tx<'_>,
    case_id: CaseId,
    attribute_id: AttributeId,
    value: Option<String>,
) -> Result<Command> {
    let reader = tx.read();
    if !reader.cases()?.iter().any(|case| case.id == case_id) {
        return Err(Error::NoSuchCase(format!("id {case_id}")));
    }
    let Some(attribute) = reader
        .attributes()?
        .into_iter()
        .find(|attribute| attribute.id == attribute_id)
    else {
        return Err(Error::Conflict(format!(
            "no attribute with id {attribute_id}"
        )));
    };
    let value = match value {
        None => None,
        Some(raw) => match canonical_value(attribute.kind, &raw) {
            Some(value) => Some(value),
            None if raw.trim().is_empty() => {
                return Err(Error::Conflict(format!(
                    "the value of '{}' is empty; clear it instead",
                    attribute.name
                )));
            }
            None => {
                return Err(Error::Conflict(format!(
                    "'{}' is not a valid {} for '{}'",
                    raw.trim(),
                    attribute.kind.as_str(),
                    attribute.name
                )));
            }
        },
    };
    Command::SetAttributeValues(vec![(case_id, attribute_id, value)]).apply(tx)
}

/// Fails when the case, document, code or coding of a memo does not exist.
pub(super) fn checked_memo_target(tx: &Tx<'_>, target: MemoTarget) -> Result<()> {
    match tx.read().memo(target)? {
        Some(_) => Ok(()),
        None => Err(match target {
            MemoTarget::Case(case_id) => Error::NoSuchCase(format!("id {case_id}")),
            MemoTarget::Document(document_id) => Error::NoSuchDocument(format!("id {document_id}")),
            MemoTarget::Code(code_id) => Error::NoSuchCode(format!("id {code_id}")),
            MemoTarget::Coding(coding_id) => Error::NoSuchCoding(coding_id.0),
            MemoTarget::Project => Error::Conflict("the project has no memo".to_owned()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{AttributeColumn, AttributeTable, NewDocument};
    use crate::model::AttributeKind;
    use crate::project::Project;

    /// A project with case A (one document) and the attributes 勤務年数 (integer) and
    /// インタビュー日 (date).
    fn project(dir: &tempfile::TempDir) -> Project {
        let mut project = Project::create(&dir.path().join("p.casecode")).expect("create");
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
        let column = |name: &str, kind| AttributeColumn {
            name: name.to_owned(),
            kind,
            declared: true,
        };
        project
            .execute(Command::ImportAttributes {
                table: AttributeTable {
                    columns: vec![
                        column("勤務年数", AttributeKind::Integer),
                        column("インタビュー日", AttributeKind::Date),
                    ],
                    rows: vec![("A".to_owned(), vec![Some("12".to_owned()), None])],
                },
            })
            .expect("attributes");
        project
    }

    fn value(project: &Project, name: &str) -> Option<String> {
        let attribute = project
            .read()
            .attributes()
            .expect("attributes")
            .into_iter()
            .find(|attribute| attribute.name == name)
            .expect("attribute");
        project
            .read()
            .attribute_values()
            .expect("values")
            .into_iter()
            .find(|value| value.attribute_id == attribute.id)
            .map(|value| value.value)
    }

    fn ids(project: &Project, name: &str) -> (CaseId, AttributeId) {
        let case_id = project.read().cases().expect("cases")[0].id;
        let attribute_id = project
            .read()
            .attributes()
            .expect("attributes")
            .into_iter()
            .find(|attribute| attribute.name == name)
            .expect("attribute")
            .id;
        (case_id, attribute_id)
    }

    #[test]
    fn an_attribute_value_is_stored_canonical_and_undo_restores_the_old_one() {
        let dir = tempfile::tempdir().expect("dir");
        let mut project = project(&dir);
        let (case_id, attribute_id) = ids(&project, "勤務年数");
        let label = project
            .execute(Command::SetAttributeValue {
                case_id,
                attribute_id,
                value: Some("１５".to_owned()),
            })
            .expect("set");
        assert_eq!(label, "属性値の編集");
        assert_eq!(value(&project, "勤務年数").as_deref(), Some("15"));
        assert_eq!(
            project.undo().expect("undo").as_deref(),
            Some("属性値の編集")
        );
        assert_eq!(value(&project, "勤務年数").as_deref(), Some("12"));

        let (case_id, date_id) = ids(&project, "インタビュー日");
        project
            .execute(Command::SetAttributeValue {
                case_id,
                attribute_id: date_id,
                value: Some("2024年8月5日".to_owned()),
            })
            .expect("set date");
        assert_eq!(
            value(&project, "インタビュー日").as_deref(),
            Some("2024-08-05")
        );
        project.undo().expect("undo");
        assert_eq!(
            value(&project, "インタビュー日"),
            None,
            "undo removed the new value"
        );
    }

    #[test]
    fn a_value_that_does_not_fit_the_kind_changes_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let mut project = project(&dir);
        let (case_id, attribute_id) = ids(&project, "勤務年数");
        let error = project
            .execute(Command::SetAttributeValue {
                case_id,
                attribute_id,
                value: Some("十二年".to_owned()),
            })
            .expect_err("not an integer");
        assert!(
            error
                .to_string()
                .contains("not a valid integer for '勤務年数'"),
            "{error}"
        );
        assert_eq!(value(&project, "勤務年数").as_deref(), Some("12"));

        project
            .execute(Command::SetAttributeValue {
                case_id,
                attribute_id,
                value: None,
            })
            .expect("clear");
        assert_eq!(value(&project, "勤務年数"), None);
        project.undo().expect("undo");
        assert_eq!(value(&project, "勤務年数").as_deref(), Some("12"));
    }

    #[test]
    fn memos_of_the_project_a_case_and_a_document_are_undoable() {
        let dir = tempfile::tempdir().expect("dir");
        let mut project = project(&dir);
        let case_id = project.read().cases().expect("cases")[0].id;
        let document_id = project.document_named("A").expect("A").id;
        for (target, text) in [
            (MemoTarget::Project, "研究全体のメモ"),
            (MemoTarget::Case(case_id), "訪問看護の管理者"),
            (MemoTarget::Document(document_id), "録音の冒頭が欠けている"),
        ] {
            assert_eq!(
                project.read().memo(target).expect("read").as_deref(),
                Some("")
            );
            project
                .execute(Command::SetMemo {
                    target,
                    text: text.to_owned(),
                })
                .expect("set memo");
            assert_eq!(
                project.read().memo(target).expect("read").as_deref(),
                Some(text)
            );
            project.undo().expect("undo");
            assert_eq!(
                project.read().memo(target).expect("read").as_deref(),
                Some("")
            );
            project.redo().expect("redo");
            assert_eq!(
                project.read().memo(target).expect("read").as_deref(),
                Some(text)
            );
        }
        let error = project
            .execute(Command::SetMemo {
                target: MemoTarget::Case(CaseId(999)),
                text: "x".to_owned(),
            })
            .expect_err("no such case");
        assert!(error.to_string().contains("999"), "{error}");
    }
}
