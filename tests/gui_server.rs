//! The workbench on a team server (PostgreSQL), driven headless with egui_kittest against a
//! throwaway cluster of the test's own: another coder's coding (made with the CLI by another
//! process and role) shows within a second without losing the selection, the open document or
//! the scroll position, and the status line names that coder; サーバーに接続… lists the
//! server's projects and opens one (and its errors are said in Japanese); a server stopped
//! while a coding is sent shows the banner, and the coding is applied once the server is
//! back, exactly once.
#![cfg(feature = "gui")]

mod common;
mod gui_support;
#[allow(dead_code)]
use std::path::Path;
use std::time::{Duration, Instant};

use casecode::project::Project;
use casecode::ui::Workbench;
use casecode::ui::action::Action;
use casecode::ui::settings::SettingsFile;
use eframe::egui::{self, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use common::Sandbox;
use common::pg::Cluster;
use gui_support::{apply_code, assert_japanese_font, open_workbench, project, replace_text, wheel};

const CODE: &str = "[在宅生活のサポート]";

/// A cluster prepared with `server init`, the sample study published as `sample`, and two
/// coders, 山田 and 鈴木.
fn team_server(sandbox: &Sandbox) -> Cluster {
    let cluster = Cluster::start();
    let admin = cluster.database_url("postgres");
    sandbox.run(["server", "init", &admin]).ok();
    let file = sandbox.sample_project();
    let url = cluster.url("postgres", "sample");
    sandbox
        .run(["publish".as_ref(), file.as_os_str(), url.as_ref()])
        .ok();
    for role in ["山田", "鈴木"] {
        sandbox
            .run(["server", "grant", &admin, "--role", role, "--as", "coder"])
            .ok();
    }
    cluster
}

/// `(start, end, coder)` of the codings of `code` in the open transcript, sorted.
fn shown_codings(harness: &Harness<'_, Workbench>) -> Vec<(usize, usize, String)> {
    let code_id = project(harness).resolve_code(CODE).expect("code");
    let transcript = harness.state().transcript().expect("a transcript is open");
    let mut spans: Vec<_> = (transcript.codings().iter())
        .filter(|coding| coding.code_id == code_id)
        .map(|coding| (coding.span.start, coding.span.end, coding.coder.clone()))
        .collect();
    spans.sort();
    spans
}

/// Runs frames (as the window does, every few milliseconds) until `done` or `limit`.
fn frames_until(
    harness: &mut Harness<'_, Workbench>,
    limit: Duration,
    done: impl Fn(&Harness<'_, Workbench>) -> bool,
) -> Duration {
    let started = Instant::now();
    while !done(harness) && started.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    started.elapsed()
}

/// Types into the text field labelled `label`, replacing what it holds.
fn type_into(harness: &mut Harness<'_, Workbench>, label: &str, text: &str) {
    type_into_field(harness, egui::accesskit::Role::TextInput, label, text);
}

fn type_into_field(
    harness: &mut Harness<'_, Workbench>,
    role: egui::accesskit::Role,
    label: &str,
    text: &str,
) {
    harness.get_by_role_and_label(role, label).focus();
    harness.run();
    replace_text(harness, text);
}

#[test]
fn another_coders_coding_appears_within_a_second_and_the_selection_and_scroll_stay() {
    assert_japanese_font();
    let sandbox = Sandbox::new();
    let cluster = team_server(&sandbox);
    let url = cluster.url("山田", "sample");
    let mut harness = open_workbench(
        Path::new(&url),
        sandbox.path("settings.ron"),
        vec2(1400.0, 900.0),
    );
    assert_eq!(project(&harness).coder(), "山田", "the coder is the role");

    // 山田 reads the first document, scrolled down a little, with a code chosen and some
    // words selected.
    let transcript = harness.state().transcript().expect("a transcript");
    let document_id = transcript.document_id();
    let document = (harness.state().session().expect("session").snapshot())
        .documents
        .iter()
        .find(|document| document.id == document_id)
        .expect("the open document")
        .name
        .clone();
    harness.get_by_label(CODE).click();
    harness.run();
    let code_id = project(&harness).resolve_code(CODE).expect("code");
    let selected_code = |harness: &Harness<'_, Workbench>| {
        (harness.state().session().expect("session")).selected_code()
    };
    assert_eq!(selected_code(&harness), Some(code_id));
    let text_area = harness
        .state()
        .transcript()
        .and_then(|view| view.point_of_offset(0))
        .expect("the first line is drawn");
    harness.hover_at(text_area + vec2(60.0, 120.0));
    harness.run();
    wheel(&mut harness, vec2(0.0, -240.0));
    harness.run();
    assert!(
        harness
            .state()
            .transcript()
            .expect("present")
            .point_of_offset(0)
            != Some(text_area),
        "the transcript scrolled"
    );
    let visible_offset = (0..2_000)
        .step_by(10)
        .find(|offset| {
            let view = harness.state().transcript().expect("present");
            view.point_of_offset(*offset)
                .is_some_and(|point| point.y > text_area.y + 40.0)
        })
        .expect("some text is visible after scrolling");
    let drawn_at = |harness: &Harness<'_, Workbench>| {
        (harness.state().transcript().expect("present")).point_of_offset(visible_offset)
    };
    let before = drawn_at(&harness);
    harness
        .state_mut()
        .transcript_mut()
        .expect("transcript")
        .select(visible_offset, visible_offset + 5);
    harness.run();
    let codings_before = shown_codings(&harness);

    // 鈴木, at another desk, codes the same document with the CLI.
    sandbox
        .run([
            "code",
            &cluster.url("鈴木", "sample"),
            "--doc",
            &document,
            "--start",
            "3",
            "--end",
            "9",
            "--code",
            CODE,
        ])
        .ok();
    let waited = frames_until(&mut harness, Duration::from_secs(5), |harness| {
        shown_codings(harness).contains(&(3, 9, "鈴木".to_owned()))
    });
    let mut expected = codings_before.clone();
    expected.push((3, 9, "鈴木".to_owned()));
    expected.sort();
    assert_eq!(shown_codings(&harness), expected, "鈴木's coding is shown");
    assert!(
        waited <= Duration::from_secs(1),
        "shown after {waited:?} of polled frames"
    );
    println!("another coder's coding shown after {waited:?}");
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert_eq!(
        status, "鈴木：コードの適用",
        "the status line names the coder"
    );

    // Nothing of 山田's place was lost.
    harness.run();
    let view = harness
        .state()
        .transcript()
        .expect("a transcript is still open");
    assert_eq!(view.document_id(), document_id, "the same document is open");
    assert_eq!(
        view.selected_span(),
        Some((visible_offset, visible_offset + 5)),
        "the selection stays"
    );
    assert_eq!(
        selected_code(&harness),
        Some(code_id),
        "the chosen code stays"
    );
    assert_eq!(drawn_at(&harness), before, "the scroll position stays");

    // 山田's own coding is not announced to 山田 as news: the status line keeps the
    // workbench's own message, also once the server's notice of it has come back.
    apply_code(&mut harness, CODE);
    let own_message = harness.state().status().unwrap_or_default().to_owned();
    assert!(own_message.starts_with("コードの適用: "), "{own_message}");
    frames_until(&mut harness, Duration::from_millis(800), |_| false);
    assert_eq!(harness.state().status(), Some(own_message.as_str()));
}

#[test]
fn the_connect_dialog_explains_mistakes_lists_the_projects_and_opens_one() {
    assert_japanese_font();
    let sandbox = Sandbox::new();
    let cluster = team_server(&sandbox);
    let file = sandbox.path("study.casecode");
    let second = cluster.url("postgres", "二期調査");
    sandbox
        .run(["publish".as_ref(), file.as_os_str(), second.as_ref()])
        .ok();
    let settings = sandbox.path("settings.ron");
    let workbench = Workbench::new(SettingsFile::at(settings.clone()));
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_ui_state(|ui, workbench: &mut Workbench| workbench.ui(ui), workbench);
    harness.run();

    // `casecode gui URL` with a project the server does not have: the dialog says why.
    harness
        .state_mut()
        .open_project(Path::new(&cluster.url("山田", "存在しない")));
    harness.run();
    let dialog = harness.state_mut().start_screen_mut().connect_dialog_mut();
    assert!(dialog.is_open());
    assert_eq!(
        dialog.error(),
        Some(
            "サーバーにプロジェクト「存在しない」がないか、あなたのロールには読む権限がありません"
        )
    );
    harness.get_by_label("閉じる").click();
    harness.run();

    harness.get_by_label("サーバーに接続…").click();
    harness.run();

    let error_after_connect = |harness: &mut Harness<'_, Workbench>, url: &str| -> String {
        type_into(harness, "アドレス（URL）", url);
        harness.get_by_label("接続").click();
        harness.run();
        harness.state_mut().wait_for_server();
        harness.run();
        assert!(harness.state().project().is_none());
        (harness.state_mut().start_screen_mut().connect_dialog_mut())
            .error()
            .expect("an error in the dialog")
            .to_owned()
    };
    let bad = error_after_connect(&mut harness, "http://127.0.0.1/study");
    assert!(bad.starts_with("アドレスの形式が正しくありません"), "{bad}");
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a port")
        .port();
    let unreachable = error_after_connect(
        &mut harness,
        &format!("postgres://山田@127.0.0.1:{closed_port}/study?project=sample"),
    );
    assert!(
        unreachable.starts_with("サーバーに接続できません"),
        "{unreachable}"
    );
    let missing = error_after_connect(&mut harness, &cluster.url("山田", "存在しない"));
    assert_eq!(
        missing,
        "サーバーにプロジェクト「存在しない」がないか、あなたのロールには読む権限がありません"
    );
    let no_project = error_after_connect(&mut harness, &cluster.database_url("山田"));
    assert!(no_project.contains("?project=名前"), "{no_project}");

    // プロジェクト一覧 lists both projects; a click puts one into the address.
    harness.get_by_label("プロジェクト一覧").click();
    harness.run();
    harness.state_mut().wait_for_server();
    harness.run();
    let listed = (harness.state_mut().start_screen_mut().connect_dialog_mut())
        .projects()
        .expect("listed")
        .to_vec();
    assert_eq!(listed, ["sample", "二期調査"]);
    harness.get_by_label("二期調査").click();
    harness.run();
    type_into_field(
        &mut harness,
        egui::accesskit::Role::PasswordInput,
        "パスワード（任意）",
        "秘密の合言葉",
    );
    harness.get_by_label("接続").click();
    harness.run();
    harness.state_mut().wait_for_server();
    harness.run();

    let opened = project(&harness)
        .server()
        .expect("a server project")
        .clone();
    assert_eq!(opened.project, "二期調査");
    assert_eq!(project(&harness).coder(), "山田");
    assert!(
        harness
            .state()
            .session()
            .expect("present")
            .server_link()
            .is_some()
    );
    // The recent list keeps the address, never the password.
    let remembered = format!(
        "postgres://山田@127.0.0.1:{}/study?project=%E4%BA%8C%E6%9C%9F%E8%AA%BF%E6%9F%BB",
        cluster.port
    );
    assert_eq!(
        harness.state().settings().recent_projects,
        [std::path::PathBuf::from(&remembered)]
    );
    let saved = std::fs::read_to_string(&settings).expect("settings saved");
    assert!(saved.contains(&remembered), "{saved}");
    assert!(!saved.contains("秘密"), "no password in the settings file");
    let status = harness.state().status().unwrap_or_default();
    assert!(!status.contains("秘密"), "{status}");

    // Closed and opened again from the recent list.
    harness.state_mut().act(Action::CloseProject);
    harness.run();
    harness
        .get_by_label(&format!("二期調査（127.0.0.1:{}/study）", cluster.port))
        .click();
    harness.run();
    harness.state_mut().wait_for_server();
    harness.run();
    assert_eq!(
        project(&harness)
            .server()
            .map(|address| address.project.clone()),
        Some("二期調査".to_owned())
    );
}

#[test]
fn a_coding_sent_while_the_server_is_down_waits_under_a_banner_and_is_applied_once_it_is_back() {
    assert_japanese_font();
    let sandbox = Sandbox::new();
    let cluster = team_server(&sandbox);
    let url = cluster.url("山田", "sample");
    let mut harness = open_workbench(
        Path::new(&url),
        sandbox.path("settings.ron"),
        vec2(1400.0, 900.0),
    );
    let document_id = harness
        .state()
        .transcript()
        .expect("transcript")
        .document_id();

    // 山田 chooses the code and selects words; then the server goes down, and the coding is
    // sent before any frame has noticed (the command itself finds the connection gone).
    harness.get_by_label(CODE).click();
    harness.run();
    let code_id = project(&harness).resolve_code(CODE).expect("code");
    harness
        .state_mut()
        .transcript_mut()
        .expect("transcript")
        .select(20, 32);
    harness.run();
    let yamada = |shown: Vec<(usize, usize, String)>| -> Vec<(usize, usize)> {
        (shown.into_iter())
            .filter(|(_, _, coder)| coder == "山田")
            .map(|(start, end, _)| (start, end))
            .collect()
    };
    let mut expected = yamada(shown_codings(&harness));
    expected.extend([(20, 32), (40, 48)]);
    expected.sort();
    cluster.stop();
    harness.state_mut().act(Action::ApplyCode(code_id));
    assert_eq!(
        harness.state().status(),
        Some("サーバーに接続できないため、再接続後に送信します: コードの適用")
    );
    assert!(harness.state().session().expect("present").is_offline());
    harness.run();
    harness.get_by_label("サーバーに接続できません — 再試行中…");
    harness.get_by_label("未送信: コードの適用");

    // Meanwhile 山田 codes more words (what the code's ✓ sends): kept too, in order.
    harness
        .state_mut()
        .transcript_mut()
        .expect("transcript")
        .select(40, 48);
    harness.run();
    harness.state_mut().act(Action::ApplyCode(code_id));
    harness.run();
    assert_eq!(harness.get_all_by_label("未送信: コードの適用").count(), 2);

    // Retried while down (every 2 s): still waiting, nothing lost; undo waits too.
    frames_until(&mut harness, Duration::from_millis(2_500), |_| false);
    assert_eq!(harness.get_all_by_label("未送信: コードの適用").count(), 2);
    harness.state_mut().act(Action::Undo);
    assert_eq!(
        harness.state().status(),
        Some("エラー: サーバーに接続できないあいだは元に戻す・やり直すはできません")
    );

    cluster.restart();
    let waited = frames_until(&mut harness, Duration::from_secs(20), |harness| {
        harness
            .state()
            .session()
            .is_some_and(|session| !session.is_offline())
    });
    println!("reconnected {waited:?} after the server was back");
    harness.run();
    assert!(
        harness
            .query_by_label("サーバーに接続できません — 再試行中…")
            .is_none()
    );
    assert_eq!(
        harness.state().status(),
        Some("サーバーに再接続し、未送信の操作を適用しました: コードの適用、コードの適用")
    );
    // On the server, exactly once, as 山田's: nothing was lost or doubled.
    let server = Project::open(Path::new(&cluster.url("鈴木", "sample"))).expect("open");
    let code_id = server.resolve_code(CODE).expect("code");
    let all = (server.read().codings_of_document(document_id)).expect("codings");
    let mut stored: Vec<_> = (all.iter())
        .filter(|coding| coding.code_id == code_id && coding.coder == "山田")
        .map(|coding| (coding.span.start, coding.span.end))
        .collect();
    stored.sort();
    assert_eq!(
        stored,
        expected,
        "on the server: {all:?}; shown: {:?}",
        shown_codings(&harness)
    );
    let shown = shown_codings(&harness);
    assert!(shown.contains(&(20, 32, "山田".to_owned())), "{shown:?}");
    assert!(shown.contains(&(40, 48, "山田".to_owned())), "{shown:?}");
}
