//! The team server (PostgreSQL): the same commands give the same project on a file and on the
//! server; publish → download keeps every row; five coders code at once and nothing is lost
//! or doubled; a reviewer cannot write; a client killed mid-command leaves nothing half
//! written; other coders' commands are announced. Each test starts its own throwaway cluster.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use casecode::store::Store;
use common::pg::Cluster;
use common::{Sandbox, list};

/// A cluster prepared with `server init`, and the sample study published as `sample`.
fn published(sandbox: &Sandbox) -> (Cluster, std::path::PathBuf, String) {
    let cluster = Cluster::start();
    sandbox
        .run(["server", "init", &cluster.database_url("postgres")])
        .ok();
    let file = sandbox.sample_project();
    let url = cluster.url("postgres", "sample");
    sandbox
        .run(["publish".as_ref(), file.as_os_str(), url.as_ref()])
        .ok();
    (cluster, file, url)
}

/// `casecode server grant` on the cluster's database: `role` becomes a member as `kind`.
fn grant(sandbox: &Sandbox, cluster: &Cluster, role: &str, kind: &str) {
    let database = cluster.database_url("postgres");
    run_ok(
        sandbox,
        &["server", "grant", &database, "--role", role, "--as", kind],
    );
}

fn run_ok(sandbox: &Sandbox, args: &[&str]) -> String {
    sandbox.run(args).ok().stdout
}

fn codings(sandbox: &Sandbox, project: &str) -> Vec<serde_json::Value> {
    list(sandbox, Path::new(project), "codings")
        .as_array()
        .expect("codings")
        .clone()
}

/// A coding without its creation time (the two engines' clocks differ by a second).
fn without_time(mut coding: serde_json::Value) -> serde_json::Value {
    coding
        .as_object_mut()
        .expect("an object")
        .remove("created_at");
    coding
}

#[test]
fn the_same_commands_give_the_same_project_on_a_file_and_on_the_server() {
    let sandbox = Sandbox::new();
    let (_cluster, file, url) = published(&sandbox);
    let file = file.to_string_lossy().into_owned();
    // A researcher's session: code, memo, a new code, recode, uncode, undo and redo.
    let story = |project: &str| -> Vec<String> {
        let steps: Vec<Vec<&str>> = vec![
            vec![
                "--coder",
                "postgres",
                "code",
                project,
                "--doc",
                "A",
                "--start",
                "10",
                "--end",
                "20",
                "--code",
                "[在宅生活のサポート]",
                "--memo",
                "確認",
            ],
            vec!["--coder", "postgres", "codes", project, "add", "家族の語り"],
            vec![
                "--coder",
                "postgres",
                "code",
                project,
                "--doc",
                "B",
                "--start",
                "100",
                "--end",
                "130",
                "--code",
                "家族の語り",
            ],
            vec!["--coder", "postgres", "undo", project],
            vec!["--coder", "postgres", "redo", project],
            vec![
                "--coder",
                "postgres",
                "recode",
                project,
                "--coding",
                "1",
                "--code",
                "家族の語り",
            ],
            vec!["--coder", "postgres", "uncode", project, "--coding", "2"],
            vec!["--coder", "postgres", "undo", project],
            vec!["matrix", project, "--format", "json"],
            vec!["list", project, "codes"],
        ];
        steps.iter().map(|args| run_ok(&sandbox, args)).collect()
    };
    let on_file = story(&file);
    let on_server = story(&url);
    assert_eq!(
        on_file, on_server,
        "every step prints the same on both engines"
    );
    let file_codings: Vec<_> = codings(&sandbox, &file)
        .into_iter()
        .map(without_time)
        .collect();
    let server_codings: Vec<_> = codings(&sandbox, &url)
        .into_iter()
        .map(without_time)
        .collect();
    assert_eq!(file_codings.len(), 443);
    assert_eq!(file_codings, server_codings);
    let coding = server_codings
        .iter()
        .find(|coding| coding["memo"] == "確認")
        .expect("the coding with the memo");
    assert_eq!(coding["text"], "逐語録（2024年8");
    assert_eq!(coding["coder"], "postgres");
    // The journal names every step on the server as on the file.
    let history = |project: &str| -> Vec<String> {
        run_ok(&sandbox, &["history", project])
            .lines()
            .map(|line| {
                line.split_whitespace()
                    .skip(2)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    };
    assert_eq!(history(&file), history(&url));
}

#[test]
fn publish_then_download_keeps_every_row() {
    let sandbox = Sandbox::new();
    let (_cluster, file, url) = published(&sandbox);
    let copy = sandbox.path("copy.casecode");
    let out = run_ok(
        &sandbox,
        &["download", &url, copy.to_str().expect("the step succeeds")],
    );
    assert!(out.contains("1206 rows in 34 tables"), "{out}");
    let original = Store::open(&file).expect("the step succeeds");
    let downloaded = Store::open(&copy).expect("the step succeeds");
    let (a, b) = (
        original.read().dump().expect("the step succeeds"),
        downloaded.read().dump().expect("the step succeeds"),
    );
    assert!(
        a.lines().count() > 1_000,
        "the sample has rows: {}",
        a.lines().count()
    );
    for (line_a, line_b) in a.lines().zip(b.lines()) {
        assert_eq!(line_a, line_b);
    }
    assert_eq!(a.lines().count(), b.lines().count());
    assert_eq!(
        original.read().journal().expect("the step succeeds"),
        downloaded.read().journal().expect("the step succeeds")
    );
    // GUIDs travel: the server's codings are the file's.
    let server = Store::open(Path::new(&url)).expect("the step succeeds");
    assert_eq!(
        server.read().codings().expect("the step succeeds"),
        original.read().codings().expect("the step succeeds")
    );
    // A second publish under the same name is refused and changes nothing.
    let again = sandbox.run(["publish".as_ref(), file.as_os_str(), url.as_ref()]);
    assert_eq!(again.code, 2);
    assert!(
        again
            .stderr
            .contains("already has a project named 'sample'"),
        "{}",
        again.stderr
    );
}

#[test]
fn five_coders_coding_at_once_lose_nothing_and_double_nothing() {
    let sandbox = Sandbox::new();
    let (cluster, _file, admin_url) = published(&sandbox);
    let coders = ["coder1", "coder2", "coder3", "coder4", "coder5"];
    for coder in coders {
        grant(&sandbox, &cluster, coder, "coder");
    }
    let before = codings(&sandbox, &admin_url).len();
    let per_coder = 200;
    let started = Instant::now();
    let children: Vec<_> = coders
        .iter()
        .enumerate()
        .map(|(index, coder)| {
            let url = cluster.url(coder, "sample");
            // One shell per coder runs 200 `casecode code` commands one after the other, all
            // five shells at once, on the same document.
            let mut script = String::new();
            for n in 0..per_coder {
                let start = n * 10 + index;
                script.push_str(&format!(
                    "\"$CASECODE\" code '{url}' --doc C --start {start} --end {} --code '[在宅生活のサポート]' || exit 1\n",
                    start + 5
                ));
            }
            std::process::Command::new("bash")
                .arg("-c")
                .arg(script)
                .env("CASECODE", env!("CARGO_BIN_EXE_casecode"))
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("bash")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("wait");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    eprintln!("5 × {per_coder} codings in {:?}", started.elapsed());
    let after = codings(&sandbox, &admin_url);
    assert_eq!(after.len(), before + coders.len() * per_coder);
    for (index, coder) in coders.iter().enumerate() {
        let mine: Vec<_> = after
            .iter()
            .filter(|coding| coding["coder"] == *coder)
            .collect();
        assert_eq!(mine.len(), per_coder, "{coder}");
        let mut starts: Vec<u64> = mine
            .iter()
            .map(|coding| coding["start"].as_u64().expect("the step succeeds"))
            .collect();
        starts.sort_unstable();
        let expected: Vec<u64> = (0..per_coder).map(|n| (n * 10 + index) as u64).collect();
        assert_eq!(starts, expected, "{coder}: every span once");
    }
    let ids: std::collections::BTreeSet<_> =
        after.iter().map(|coding| coding["id"].as_i64()).collect();
    assert_eq!(ids.len(), after.len(), "no id handed out twice");
}

#[test]
fn a_reviewer_reads_and_exports_but_the_database_refuses_its_writes() {
    let sandbox = Sandbox::new();
    let (cluster, _file, admin_url) = published(&sandbox);
    grant(&sandbox, &cluster, "佐藤", "reviewer");
    let url = cluster.url("佐藤", "sample");
    let before = codings(&sandbox, &admin_url);
    assert_eq!(
        codings(&sandbox, &url),
        before,
        "the reviewer reads the project"
    );
    let csv = sandbox.path("segments.csv");
    run_ok(
        &sandbox,
        &[
            "export",
            &url,
            "--csv",
            csv.to_str().expect("the step succeeds"),
        ],
    );
    assert!(
        std::fs::read_to_string(&csv)
            .expect("the step succeeds")
            .lines()
            .count()
            > 400
    );
    let refused = sandbox.run([
        "code",
        &url,
        "--doc",
        "A",
        "--start",
        "0",
        "--end",
        "5",
        "--code",
        "[在宅生活のサポート]",
    ]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("may read this project but not change it"),
        "{}",
        refused.stderr
    );
    assert_eq!(codings(&sandbox, &admin_url), before, "nothing was written");
    // The refusal is PostgreSQL's own, not only ours: a plain INSERT by that role fails too.
    let direct = std::process::Command::new("psql")
        .args(["-X", "-h"])
        .arg(cluster.dir())
        .args([
            "-p",
            &cluster.port.to_string(),
            "-U",
            "佐藤",
            "-d",
            "study",
            "-c",
        ])
        .arg("DELETE FROM sample.codings")
        .output()
        .expect("the step succeeds");
    assert!(!direct.status.success());
    assert!(String::from_utf8_lossy(&direct.stderr).contains("permission denied"));
}

#[test]
fn a_client_killed_mid_command_leaves_nothing_half_written() {
    let sandbox = Sandbox::new();
    let (cluster, _file, url) = published(&sandbox);
    let before = codings(&sandbox, &url);
    // 30,000 codings in one command: long enough to be killed in the middle.
    let mut csv = String::from("document,start,end,code,coder,memo\n");
    for n in 0..30_000 {
        csv.push_str(&format!(
            "D,{},{},[在宅生活のサポート],killed,\n",
            n % 4000,
            n % 4000 + 1 + n / 4000
        ));
    }
    let file = sandbox.write("many.csv", csv);
    let mut child = sandbox
        .command([
            "codings".as_ref(),
            url.as_ref(),
            "import".as_ref(),
            file.as_os_str(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the step succeeds");
    // Kill it once the server is inside its transaction.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let open = cluster.psql(
            "study",
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'casecode' AND xact_start IS NOT NULL AND state <> 'idle'",
        );
        if open != "0" {
            std::thread::sleep(Duration::from_millis(150));
            break;
        }
        assert!(Instant::now() < deadline, "the import never started");
        if child.try_wait().expect("the step succeeds").is_some() {
            panic!("the import finished before it could be killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("the step succeeds");
    child.wait().expect("the step succeeds");
    // The server rolls the dead client's transaction back.
    let deadline = Instant::now() + Duration::from_secs(30);
    while cluster.psql(
        "study",
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'casecode'",
    ) != "0"
    {
        assert!(
            Instant::now() < deadline,
            "the killed client's session never ended"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(codings(&sandbox, &url), before);
    assert_eq!(
        cluster.psql(
            "study",
            "SELECT count(*) FROM sample.coders WHERE name = 'killed'"
        ),
        "0"
    );
}

#[test]
fn other_coders_commands_are_announced_to_a_watching_client() {
    let sandbox = Sandbox::new();
    let (cluster, _file, url) = published(&sandbox);
    grant(&sandbox, &cluster, "鈴木", "coder");
    let watcher = sandbox
        .command(["watch", url.as_str(), "--count", "1", "--seconds", "60"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the step succeeds");
    // Wait until the watcher listens (it prints its first line then).
    std::thread::sleep(Duration::from_millis(1500));
    let coded = Instant::now();
    run_ok(
        &sandbox,
        &[
            "code",
            &cluster.url("鈴木", "sample"),
            "--doc",
            "E",
            "--start",
            "0",
            "--end",
            "4",
            "--code",
            "[在宅生活のサポート]",
        ],
    );
    let output = watcher.wait_with_output().expect("the step succeeds");
    let waited = coded.elapsed();
    let text = String::from_utf8_lossy(&output.stdout);
    let notice = text
        .lines()
        .nth(1)
        .unwrap_or_else(|| panic!("no notice: {text}"));
    assert!(notice.starts_with("鈴木\tdo\t"), "{notice}");
    assert!(
        waited < Duration::from_secs(5),
        "announced after {waited:?}"
    );
}

#[test]
fn each_coder_undoes_her_own_commands_and_not_what_another_coder_built_on() {
    let sandbox = Sandbox::new();
    let (cluster, _file, admin_url) = published(&sandbox);
    for coder in ["田中", "佐々木"] {
        grant(&sandbox, &cluster, coder, "coder");
    }
    let (tanaka, sasaki) = (
        cluster.url("田中", "sample"),
        cluster.url("佐々木", "sample"),
    );
    let code = |url: &str, doc: &str, start: &str, end: &str, code: &str| {
        run_ok(
            &sandbox,
            &[
                "code", url, "--doc", doc, "--start", start, "--end", end, "--code", code,
            ],
        );
    };
    // Two coders code with the same code: neither depends on the other.
    code(&tanaka, "A", "0", "8", "[在宅生活のサポート]");
    code(&sasaki, "B", "0", "8", "[在宅生活のサポート]");
    let undone = run_ok(&sandbox, &["undo", &tanaka]);
    assert!(undone.contains("undone"), "{undone}");
    let mine = |coder: &str| -> Vec<(String, u64)> {
        codings(&sandbox, &admin_url)
            .iter()
            .filter(|coding| coding["coder"] == coder)
            .map(|coding| {
                (
                    coding["document"].as_str().unwrap_or_default().to_owned(),
                    coding["start"].as_u64().expect("the step succeeds"),
                )
            })
            .collect()
    };
    assert!(mine("田中").is_empty(), "田中's own coding is undone");
    assert_eq!(
        mine("佐々木"),
        vec![("B".to_owned(), 0)],
        "佐々木's coding stays"
    );
    // 田中 creates a code, 佐々木 codes with it: 田中 may not undo the code under 佐々木's coding.
    run_ok(&sandbox, &["codes", &tanaka, "add", "新しい概念"]);
    code(&sasaki, "C", "10", "20", "新しい概念");
    let refused = sandbox.run(["undo", tanaka.as_str()]);
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    assert!(refused.stderr.contains("佐々木"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("depends on it"),
        "{}",
        refused.stderr
    );
    assert!(run_ok(&sandbox, &["list", &admin_url, "codes"]).contains("新しい概念"));
    // Once 佐々木 has undone her coding, 田中's undo goes through.
    run_ok(&sandbox, &["undo", &sasaki]);
    run_ok(&sandbox, &["undo", &tanaka]);
    assert!(!run_ok(&sandbox, &["list", &admin_url, "codes"]).contains("新しい概念"));
    assert_eq!(mine("佐々木"), vec![("B".to_owned(), 0)]);
}

/// Runs every step on the project and returns what each printed (stdout, or the error line).
fn play(sandbox: &Sandbox, project: &str, steps: &[Vec<&str>]) -> Vec<String> {
    // Times differ between the two engines' clocks; the rest must not.
    let time = regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").expect("a fixed pattern");
    steps
        .iter()
        .map(|step| {
            let args: Vec<&str> = step
                .iter()
                .map(|arg| if *arg == "P" { project } else { arg })
                .collect();
            let run = sandbox.run(&args);
            let out = if run.code == 0 {
                run.stdout
            } else {
                format!("error {}: {}", run.code, run.stderr)
            };
            time.replace_all(&out, "TIME").replace(project, "P")
        })
        .collect()
}

#[test]
fn codebook_matrix_memo_revision_search_and_method_commands_agree_on_both_engines() {
    let sandbox = Sandbox::new();
    let (_cluster, file, url) = published(&sandbox);
    let corrected = sandbox.write("A.txt", {
        let text = run_ok(
            &sandbox,
            &[
                "text",
                file.to_str().expect("the step succeeds"),
                "--doc",
                "A",
            ],
        );
        text.replacen("在宅", "ご自宅", 2)
    });
    let corrected = corrected.to_str().expect("the step succeeds").to_owned();
    let c = |args: &[&'static str]| -> Vec<&'static str> {
        let mut step = vec!["--coder", "postgres"];
        step.extend_from_slice(args);
        step
    };
    let mut steps: Vec<Vec<&str>> = vec![
        c(&[
            "codes",
            "P",
            "rename",
            "[在宅生活のサポート]",
            "[在宅生活の支え]",
        ]),
        c(&[
            "codes",
            "P",
            "add",
            "医療的ケア児の育ちと生活を支える/在宅生活への移行支援/[退院後の訪問]",
        ]),
        c(&["codes", "P", "move", "[退院後の訪問]", "--top"]),
        c(&[
            "codes",
            "P",
            "merge",
            "[療育の場につなぐ]",
            "[児童発達支援の利用調整]",
        ]),
        c(&["codes", "P", "delete", "[就学に向けた準備]"]),
        c(&["undo", "P"]),
        c(&[
            "summary",
            "P",
            "set",
            "--case",
            "A",
            "--code",
            "[退院前からの関わり]",
            "--text",
            "退院前から病棟と連携している",
        ]),
        c(&[
            "cell",
            "P",
            "--case",
            "B",
            "--code",
            "[緊急時の対応の準備]",
            "--state",
            "negative",
        ]),
        c(&[
            "memo",
            "P",
            "--code",
            "[退院前からの関わり]",
            "--text",
            "病院との連携の語り",
        ]),
        c(&["memo", "P", "--project-memo", "--text", "考察メモ"]),
        c(&[
            "attribute",
            "P",
            "--case",
            "C",
            "--name",
            "勤務年数",
            "--value",
            "9",
        ]),
        c(&["flag", "P", "--coding", "3", "--exemplar"]),
        c(&["revise", "P", "--doc", "A"]),
        c(&[
            "edit", "P", "--doc", "B", "--start", "0", "--end", "2", "--text", "事例",
        ]),
        c(&["replace", "P", "--find", "市役所", "--with", "○○市役所"]),
        vec!["orphans", "P"],
        c(&["stopwords", "P", "add", "こと", "思う"]),
        c(&["scat", "P", "--doc", "D", "init"]),
        c(&[
            "scat",
            "P",
            "--doc",
            "D",
            "set",
            "--row",
            "2",
            "--step",
            "1",
            "退院調整",
        ]),
        c(&["coders", "P", "rename", "鈴木", "鈴木花子"]),
        vec!["scat", "P", "--doc", "D", "show"],
        vec!["matrix", "P", "--format", "json"],
        vec!["crosstab", "P", "--by", "所属組織"],
        vec!["frequencies", "P"],
        vec!["agreement", "P", "--coders", "山田,鈴木花子"],
        vec!["search", "P", "ご自宅"],
        vec!["search", "P", "--base-form", "連携"],
        vec!["kwic", "P", "支援"],
        vec!["list", "P", "codes"],
        vec!["list", "P", "codings"],
        vec!["memo", "P", "--project-memo", "--show"],
        vec!["history", "P"],
    ];
    // `revise` takes the corrected file after the project.
    steps[12].push(&corrected);
    let on_file = play(&sandbox, file.to_str().expect("the step succeeds"), &steps);
    let on_server = play(&sandbox, &url, &steps);
    for ((step, a), b) in steps.iter().zip(&on_file).zip(&on_server) {
        assert_eq!(
            a, b,
            "step {step:?} differs between the file and the server"
        );
    }
    let failed: Vec<_> = steps
        .iter()
        .zip(&on_file)
        .filter(|(_, out)| out.starts_with("error"))
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
    assert!(
        on_server[25].contains("ご自宅"),
        "the revised text is searched: {}",
        on_server[25]
    );
}

#[test]
fn a_server_that_cannot_be_reached_or_refuses_tls_is_named_in_one_clear_line() {
    let sandbox = Sandbox::new();
    let cluster = Cluster::start();
    // The throwaway cluster has no TLS: `sslmode=require` must refuse it rather than fall back.
    let url = format!(
        "{}?sslmode=require&project=sample",
        cluster.database_url("postgres")
    );
    let refused = sandbox.run(["list", url.as_str(), "codes"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("cannot reach the team server"),
        "{}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .contains(&format!("127.0.0.1:{}", cluster.port)),
        "{}",
        refused.stderr
    );
    // Nobody listens on this port.
    let port = cluster.port;
    drop(cluster);
    let gone = sandbox.run([
        "list",
        &format!("postgres://postgres@127.0.0.1:{port}/study?project=sample"),
        "codes",
    ]);
    assert_eq!(gone.code, 2);
    assert!(
        gone.stderr.contains("cannot reach the team server"),
        "{}",
        gone.stderr
    );
    // A URL without a project names what is missing.
    let bare = sandbox.run([
        "list",
        &format!("postgres://postgres@127.0.0.1:{port}/study"),
        "codes",
    ]);
    assert_eq!(bare.code, 2);
    assert!(bare.stderr.contains("?project=NAME"), "{}", bare.stderr);
    // A project password never appears in a message.
    let secret = sandbox.run([
        "list",
        &format!("postgres://postgres:hemlig@127.0.0.1:{port}/study?project=x"),
        "codes",
    ]);
    assert!(!secret.stderr.contains("hemlig"), "{}", secret.stderr);
}
