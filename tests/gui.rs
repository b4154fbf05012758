//! The workbench driven the way a researcher drives it, headless with egui_kittest: typing a
//! code name through the IME, dragging the mouse over a transcript and clicking a code, undoing
//! and redoing from the Edit menu. The real `Workbench` runs on a real project file, and the
//! project is what the tests check. A Japanese system font is loaded (kittest panics on a
//! missing glyph), so every label and transcript line is checked for tofu as well.
#![cfg(feature = "gui")]

use std::path::PathBuf;

use casecode::command::Command;
use casecode::import::txt::{TxtOptions, read_transcript};
use casecode::model::{CodeId, DocumentId, Span};
use casecode::project::Project;
use casecode::ui::Workbench;
use casecode::ui::fonts::find_japanese_font;
use casecode::ui::settings::SettingsFile;
use eframe::egui::{self, Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod gui_support;
use gui_support::{
    apply_code, assert_japanese_font, drag_over_text, open_workbench, project, report_frames,
    right_click, type_with_ime, wheel,
};

/// The workbench with the study's project open, at a desktop window size.
fn workbench(study: &Study) -> Harness<'static, Workbench> {
    open_workbench(&study.project, study.settings.clone(), vec2(1280.0, 800.0))
}

/// B's words, with 𠮷 (one code point, two UTF-16 units, four UTF-8 bytes) before the span.
const TRANSCRIPT: &str = "事例Ｂ　インタビュー逐語録\n\
Ｉ：今日はよろしくお願いします。\n\
Ｂ：管理者の𠮷田さんが、もともとNICUにいた人なので、小児の依頼がすごく多いんですね。\n\
Ｉ：なるほど。\n";

const SPAN_TEXT: &str = "小児の依頼";

struct Study {
    _dir: tempfile::TempDir,
    project: PathBuf,
    settings: PathBuf,
}

/// A project with one transcript (B) and one code, closed again so the workbench opens it.
fn study() -> Study {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let transcript = dir.path().join("B.txt");
    std::fs::write(&transcript, TRANSCRIPT).expect("write transcript");
    let project = dir.path().join("study.casecode");
    let mut setup = Project::create(&project).expect("create project");
    let document = read_transcript(&transcript, &TxtOptions::default()).expect("read transcript");
    setup
        .execute(Command::ImportDocuments {
            documents: vec![document],
        })
        .expect("import");
    setup
        .execute(Command::AddCode {
            parent_id: None,
            name: "[小児の依頼]".to_owned(),
            definition: "依頼の経路".to_owned(),
            color: Some("#4C8BD6".to_owned()),
            roles: Vec::new(),
        })
        .expect("add code");
    drop(setup);
    Study {
        settings: dir.path().join("settings.ron"),
        _dir: dir,
        project,
    }
}

fn code_named(harness: &Harness<'_, Workbench>, name: &str) -> Option<CodeId> {
    project(harness).resolve_code(name).ok()
}

fn document_b(harness: &Harness<'_, Workbench>) -> DocumentId {
    project(harness).document_named("B").expect("document B").id
}

/// `[start, end)` of `SPAN_TEXT` in code points of the stored text.
fn span_of_text(project: &Project, document_id: DocumentId) -> (usize, usize) {
    let text = project
        .read()
        .document_text(document_id)
        .expect("read")
        .expect("text");
    let byte = text.find(SPAN_TEXT).expect("span text in transcript");
    let start = text[..byte].chars().count();
    (start, start + SPAN_TEXT.chars().count())
}

fn create_code_through_ime(harness: &mut Harness<'_, Workbench>, reading: &str, name: &str) {
    harness.get_by_label("新しいコード").click();
    harness.run();
    type_with_ime(harness, reading, name);
    assert_eq!(
        harness.get_by_label("新しいコード").value().as_deref(),
        Some(name),
        "the field holds the committed text, not the reading"
    );
    harness.get_by_label("作成").click();
    harness.run();
}

#[test]
fn a_code_typed_through_the_ime_is_created_in_the_project() {
    let study = study();
    let mut harness = workbench(&study);
    assert_eq!(code_named(&harness, "在宅生活の支援"), None);

    create_code_through_ime(&mut harness, "ざいたくせいかつのしえん", "在宅生活の支援");

    let code_id = code_named(&harness, "在宅生活の支援").expect("the code exists");
    let code = project(&harness)
        .read()
        .code(code_id)
        .expect("read")
        .expect("code row");
    assert_eq!(
        code.parent_id, None,
        "nothing was selected: a top-level code"
    );
    assert!(
        code_named(&harness, "ざいたくせいかつのしえん").is_none(),
        "the preedit reading was not stored"
    );
}

#[test]
fn text_selected_with_the_mouse_is_coded_at_exact_code_point_offsets() {
    let study = study();
    let mut harness = workbench(&study);
    let document_id = document_b(&harness);
    let (start, end) = span_of_text(project(&harness), document_id);
    // 𠮷 comes before the span: byte or UTF-16 offsets would differ from these.
    let text = TRANSCRIPT;
    let byte_start = text.find(SPAN_TEXT).expect("span");
    assert_ne!(start, byte_start);
    assert_ne!(start, text[..byte_start].encode_utf16().count());

    drag_over_text(&mut harness, start, end);
    assert_eq!(
        harness.state().transcript().and_then(|t| t.selected_span()),
        Some((start, end)),
        "the mouse selection covers exactly 「{SPAN_TEXT}」"
    );

    apply_code(&mut harness, "[小児の依頼]");

    let code_id = code_named(&harness, "[小児の依頼]").expect("code");
    let codings = project(&harness)
        .read()
        .codings_of_document(document_id)
        .expect("codings");
    assert_eq!(codings.len(), 1, "{:?}", harness.state().status());
    assert_eq!(codings[0].code_id, code_id);
    assert_eq!(codings[0].span, Span { start, end });
    let rows = casecode::listing::codings(project(&harness)).expect("listing");
    assert_eq!(rows[0].text, SPAN_TEXT);
}

#[test]
fn the_quick_code_box_applies_the_first_match_on_enter() {
    let study = study();
    let mut harness = workbench(&study);
    let document_id = document_b(&harness);
    let (start, end) = span_of_text(project(&harness), document_id);
    drag_over_text(&mut harness, start, end);

    harness.get_by_label("クイックコード").click();
    harness.run();
    type_with_ime(&mut harness, "いらい", "依頼");
    harness.key_press(Key::Enter);
    harness.run();

    let codings = project(&harness)
        .read()
        .codings_of_document(document_id)
        .expect("codings");
    assert_eq!(codings.len(), 1, "{:?}", harness.state().status());
    assert_eq!(codings[0].span, Span { start, end });
}

#[test]
fn undo_and_redo_from_the_edit_menu_revert_and_restore_the_project() {
    let study = study();
    let mut harness = workbench(&study);
    create_code_through_ime(&mut harness, "れすぱいと", "[レスパイト]");
    assert!(code_named(&harness, "[レスパイト]").is_some());

    harness.get_by_label("編集").click();
    harness.run();
    harness
        .get_by_label_contains("元に戻す: コード「[レスパイト]」の作成")
        .click();
    harness.run();
    assert!(
        code_named(&harness, "[レスパイト]").is_none(),
        "undo removed the code: {:?}",
        harness.state().status()
    );

    harness.get_by_label("編集").click();
    harness.run();
    harness
        .get_by_label_contains("やり直し: コード「[レスパイト]」の作成")
        .click();
    harness.run();
    assert!(
        code_named(&harness, "[レスパイト]").is_some(),
        "redo restored it"
    );

    // The keyboard does the same (when no text field has the keyboard).
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(
        code_named(&harness, "[レスパイト]").is_none(),
        "Ctrl+Z undid it"
    );
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert!(
        code_named(&harness, "[レスパイト]").is_some(),
        "Ctrl+Shift+Z redid it"
    );
}

#[test]
fn right_click_on_a_coding_removes_it() {
    let study = study();
    let mut harness = workbench(&study);
    let document_id = document_b(&harness);
    let (start, end) = span_of_text(project(&harness), document_id);
    drag_over_text(&mut harness, start, end);
    apply_code(&mut harness, "[小児の依頼]");
    assert_eq!(
        project(&harness)
            .read()
            .codings_of_document(document_id)
            .expect("codings")
            .len(),
        1
    );

    let inside = harness
        .state()
        .transcript()
        .and_then(|t| t.point_of_offset(start + 2))
        .expect("visible");
    right_click(&mut harness, inside);
    harness.get_by_label("コーディングを削除").click();
    harness.run();

    assert!(
        project(&harness)
            .read()
            .codings_of_document(document_id)
            .expect("codings")
            .is_empty(),
        "{:?}",
        harness.state().status()
    );
}

#[test]
fn deleting_a_code_asks_first_and_names_the_segments_that_go_with_it() {
    let study = study();
    let mut harness = workbench(&study);
    let document_id = document_b(&harness);
    let (start, end) = span_of_text(project(&harness), document_id);
    drag_over_text(&mut harness, start, end);
    apply_code(&mut harness, "[小児の依頼]");
    assert_eq!(
        harness.state().transcript().and_then(|t| t.selected_span()),
        None,
        "coding cleared the selection"
    );

    // The code applied is the selected one, ready for editing.
    harness.get_by_label("削除…").click();
    harness.run();
    harness.get_by_label_contains("文書セグメント 1 件");
    assert!(
        code_named(&harness, "[小児の依頼]").is_some(),
        "nothing yet"
    );

    harness.get_by_label("削除").click();
    harness.run();
    assert!(code_named(&harness, "[小児の依頼]").is_none());
    assert!(
        project(&harness)
            .read()
            .codings_of_document(document_id)
            .expect("codings")
            .is_empty()
    );
}

#[test]
fn the_start_screen_opens_the_sample_study() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(find_japanese_font(None).is_some(), "run scripts/setup.sh");
    let workbench = Workbench::new(SettingsFile::at(dir.path().join("settings.ron")))
        .with_sample_folder(dir.path().join("cache"));
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_ui_state(|ui, workbench: &mut Workbench| workbench.ui(ui), workbench);
    harness.run();
    assert!(harness.state().project().is_none());

    harness.get_by_label("サンプル研究を開く").click();
    harness.run();

    let [documents, cases, _, codings] = project(&harness).read().counts().expect("counts");
    assert_eq!((documents, cases), (10, 10));
    assert_eq!(codings, 441);
    assert!(
        harness.state().transcript().is_some(),
        "the first document is shown"
    );
    assert_eq!(
        harness.state().settings().recent_projects.len(),
        1,
        "the sample is remembered as a recent project"
    );
}

/// A file handed over by drag and drop.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|error| error.to_string())
    }
}

#[test]
fn dropping_a_folder_of_transcripts_imports_it_as_one_undoable_command() {
    let study = study();
    let mut harness = workbench(&study);
    let folder = study.project.with_file_name("more");
    std::fs::create_dir(&folder).expect("folder");
    std::fs::write(folder.join("C.txt"), "Ｃ：訪問看護です。\n").expect("write");
    std::fs::write(folder.join("D.txt"), "Ｄ：市役所です。\n").expect("write");
    std::fs::write(folder.join(".DS_Store"), "junk").expect("write");

    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(folder)));
    // One frame takes the drop and starts the import on a thread of its own (its progress bar
    // keeps repainting, so `run` would not settle); wait for it as the next frames would.
    harness.step();
    harness.state_mut().wait_for_background();
    harness.run();

    let names: Vec<String> = project(&harness)
        .read()
        .document_infos()
        .expect("documents")
        .into_iter()
        .map(|document| document.name)
        .collect();
    assert_eq!(names, ["B", "C", "D"], "{:?}", harness.state().status());
    assert_eq!(
        project(&harness).undo_label().expect("label").as_deref(),
        Some("文書 2 件の取り込み")
    );
}

/// Frame times on a long transcript: 100,000 characters, 2,000 codings (many overlapping).
/// Not a pass/fail test; run it in release and read the numbers:
/// `cargo test --release --test gui -- --ignored --nocapture frame_times`.
/// A step is egui's pass plus kittest's AccessKit update; tessellation is timed separately.
#[test]
#[ignore = "a benchmark: run with --release --ignored --nocapture"]
fn frame_times_on_a_100000_character_transcript_with_2000_codings() {
    use casecode::command::NewCoding;
    use std::time::Instant;

    let dir = tempfile::tempdir().expect("temp dir");
    let sentences = [
        "在宅に移行するときに、訪問看護ステーションと相談支援専門員が一緒に入って、",
        "お母さんのレスパイトをどう確保するかを、𠮷田さんと何度も話し合いました。",
        "（うん）医療的ケア児の短期入所は、地域にほとんど受け皿がないんですよね。",
        "保育所の入園調整も、看護師の配置がネックになって、なかなか進まなくて。",
    ];
    let mut text = String::from("事例Ｚ　長いインタビュー逐語録\n");
    let mut number = 0;
    while text.chars().count() < 100_000 {
        number += 1;
        let speaker = if number % 2 == 0 { "Ｉ：" } else { "Ｚ：" };
        text.push_str(speaker);
        for index in 0..(1 + number % 4) {
            text.push_str(sentences[(number + index) % sentences.len()]);
        }
        text.push('\n');
    }
    let chars = text.chars().count();
    let file = dir.path().join("Z.txt");
    std::fs::write(&file, &text).expect("write");
    let path = dir.path().join("long.casecode");
    let mut project = Project::create(&path).expect("create");
    let document = read_transcript(&file, &TxtOptions::default()).expect("read");
    project
        .execute(Command::ImportDocuments {
            documents: vec![document],
        })
        .expect("import");
    let mut codes = Vec::new();
    for index in 0..40 {
        project
            .execute(Command::AddCode {
                parent_id: None,
                name: format!("[コード{index:02}]"),
                definition: String::new(),
                color: None,
                roles: Vec::new(),
            })
            .expect("code");
        codes.push(
            project
                .resolve_code(&format!("[コード{index:02}]"))
                .expect("id"),
        );
    }
    let document_id = project.document_named("Z").expect("Z").id;
    let codings: Vec<NewCoding> = (0..2000)
        .map(|index| {
            let start = (index * 49) % (chars - 200);
            NewCoding {
                document_id,
                code_id: codes[index % codes.len()],
                start,
                end: start + 30 + (index * 7) % 120,
                coder: "bench".to_owned(),
                memo: String::new(),
            }
        })
        .collect();
    project
        .execute(Command::AddCodings { codings })
        .expect("codings");
    drop(project);

    let mut workbench = Workbench::new(SettingsFile::in_memory());
    let opened = Instant::now();
    workbench.open_project(&path);
    // Answers the coder prompt (asked when no coder name is set).
    workbench.set_coder("bench");
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_ui_state(|ui, workbench: &mut Workbench| workbench.ui(ui), workbench);
    let first = opened.elapsed();
    assert!(harness.state().project().is_some());

    let mut steps = Vec::new();
    let mut tessellations = Vec::new();
    for frame in 0..240 {
        let delta = if frame < 200 { -150.0 } else { 600.0 };
        wheel(&mut harness, vec2(0.0, delta));
        harness.hover_at(egui::pos2(500.0, 400.0));
        let started = Instant::now();
        harness.step();
        steps.push(started.elapsed());
        let shapes = harness.output().shapes.clone();
        let started = Instant::now();
        let primitives = harness.ctx.tessellate(shapes, 1.0);
        tessellations.push(started.elapsed());
        assert!(!primitives.is_empty());
        if frame == 199 {
            let transcript = harness.state().transcript().expect("transcript");
            assert!(
                transcript.point_of_offset(0).is_none(),
                "the wheel scrolled the transcript away from its first line"
            );
        }
    }
    println!("transcript: {chars} characters, {number} utterances, 2000 codings, 40 codes");
    println!(
        "open + first frame (layout of every line): {:.1} ms",
        first.as_secs_f64() * 1000.0
    );
    report_frames("frame while scrolling (egui pass + AccessKit)", &mut steps);
    report_frames("tessellation of that frame", &mut tessellations);
}
