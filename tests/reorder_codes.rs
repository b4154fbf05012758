//! Reordering codes among their siblings (a drag onto the edge of a sibling in the code tree):
//! the new order is stored, survives a reopen, and undo restores the old one.

use casecode::command::Command;
use casecode::project::Project;

fn names_under(project: &Project, parent: &str) -> Vec<String> {
    let tree = project.code_tree().expect("tree");
    let parent_id = tree.resolve(parent).expect("parent");
    tree.children(Some(parent_id))
        .iter()
        .map(|code_id| tree.get(*code_id).expect("code").name.clone())
        .collect()
}

fn add(project: &mut Project, parent: Option<&str>, name: &str) {
    let parent_id = parent.map(|path| project.resolve_code(path).expect("parent"));
    project
        .execute(Command::AddCode {
            parent_id,
            name: name.to_owned(),
            definition: String::new(),
            color: None,
            roles: Vec::new(),
        })
        .expect("add code");
}

#[test]
fn a_code_placed_before_a_sibling_keeps_that_order_until_undone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("study.casecode");
    let mut project = Project::create(&path).expect("create");
    add(&mut project, None, "家族支援");
    for name in ["[レスパイト]", "[きょうだい支援]", "[就労支援]"] {
        add(&mut project, Some("家族支援"), name);
    }
    let work = project.resolve_code("[就労支援]").expect("code");
    let respite = project.resolve_code("[レスパイト]").expect("code");

    let label = project
        .execute(Command::ReorderCode {
            code_id: work,
            before: Some(respite),
        })
        .expect("reorder");
    assert_eq!(label, "コードの並べ替え");
    assert_eq!(
        names_under(&project, "家族支援"),
        ["[就労支援]", "[レスパイト]", "[きょうだい支援]"]
    );
    drop(project);
    let mut project = Project::open(&path).expect("reopen");
    assert_eq!(
        names_under(&project, "家族支援"),
        ["[就労支援]", "[レスパイト]", "[きょうだい支援]"],
        "the order is stored"
    );

    project.undo().expect("undo");
    assert_eq!(
        names_under(&project, "家族支援"),
        ["[レスパイト]", "[きょうだい支援]", "[就労支援]"]
    );

    // Last, with no sibling after it; and a code of another parent is refused.
    project
        .execute(Command::ReorderCode {
            code_id: respite,
            before: None,
        })
        .expect("reorder");
    assert_eq!(
        names_under(&project, "家族支援"),
        ["[きょうだい支援]", "[就労支援]", "[レスパイト]"]
    );
    let family = project.resolve_code("家族支援").expect("category");
    let refused = project.execute(Command::ReorderCode {
        code_id: respite,
        before: Some(family),
    });
    assert!(refused.is_err(), "not a sibling: {refused:?}");
}
