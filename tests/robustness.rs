//! A project survives what happens on real machines: a process killed mid-import, and a second
//! process writing at the same time.

mod common;

use std::time::{Duration, Instant};

use common::{Sandbox, list};

/// A folder of transcripts big enough that importing takes a while.
fn big_folder(sandbox: &Sandbox, files: usize, chars_per_file: usize) -> std::path::PathBuf {
    let turn = "Ａ：えー、医療的ケア児のお母さんが復職を考えていて、レスパイトの調整をしました。（うん）\n";
    let repeat = chars_per_file / turn.chars().count() + 1;
    let text = format!("Ｉ：よろしくお願いします。\n{}", turn.repeat(repeat));
    for index in 0..files {
        sandbox.write(&format!("big/doc{index:04}.txt"), &text);
    }
    sandbox.path("big")
}

#[test]
fn a_project_killed_during_a_large_import_opens_intact_with_every_completed_command() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let p = project.to_str().unwrap_or_default();
    sandbox.run(["codes", p, "add", "[完了済み]"]).ok();
    let folder = big_folder(&sandbox, 400, 30_000);
    // Kill at several moments: before, during and (perhaps) after the transaction.
    for delay_ms in [50u64, 200, 600, 1500] {
        let mut child = sandbox
            .command(["import".as_ref(), project.as_os_str(), folder.as_os_str()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().expect("kill -9");
        child.wait().expect("reap");
        let check = sandbox.run(["check", p]).ok();
        assert!(check.stdout.contains("integrity: ok"), "{}", check.stdout);
        let documents = list(&sandbox, &project, "documents")
            .as_array()
            .expect("array")
            .len();
        // The import is one command: all of it or none of it.
        assert!(
            documents == 0 || documents == 400,
            "after {delay_ms} ms: {documents} documents"
        );
        let codes = list(&sandbox, &project, "codes");
        assert_eq!(
            codes[0]["name"], "[完了済み]",
            "the completed command survives"
        );
        if documents == 400 {
            sandbox.run(["undo", p]).ok();
        }
    }
}

#[test]
fn two_processes_coding_at_once_both_succeed_without_corruption() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let p = project.to_str().unwrap_or_default().to_owned();
    let file = sandbox.write("A.txt", format!("Ａ：{}\n", "支援".repeat(200)));
    sandbox
        .run(["import".as_ref(), project.as_os_str(), file.as_os_str()])
        .ok();
    sandbox.run(["codes", &p, "add", "[支援]"]).ok();
    let started = Instant::now();
    let workers: Vec<_> = ["山田", "鈴木"]
        .into_iter()
        .map(|coder| {
            let mut children = Vec::new();
            for start in 0..15 {
                children.push(
                    sandbox
                        .command([
                            "code",
                            &p,
                            "--doc",
                            "A",
                            "--start",
                            &start.to_string(),
                            "--end",
                            &(start + 10).to_string(),
                            "--code",
                            "[支援]",
                            "--coder",
                            coder,
                        ])
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::piped())
                        .spawn()
                        .expect("spawn"),
                );
            }
            children
        })
        .collect();
    for child in workers.into_iter().flatten() {
        let output = child.wait_with_output().expect("wait");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(started.elapsed() < Duration::from_secs(120));
    assert_eq!(
        list(&sandbox, &project, "codings")
            .as_array()
            .expect("array")
            .len(),
        30
    );
    let check = sandbox.run(["check", &p]).ok();
    assert!(check.stdout.contains("integrity: ok"));
}

#[test]
fn a_writer_that_cannot_get_the_lock_says_so_and_changes_nothing() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let before = common::snapshot(&sandbox, &project);
    // Another program holds the write lock.
    let holder = rusqlite::Connection::open(&project).expect("open");
    holder.execute_batch("BEGIN IMMEDIATE").expect("lock");
    let output = sandbox
        .command([
            "code",
            p,
            "--doc",
            "A",
            "--start",
            "1",
            "--end",
            "9",
            "--code",
            "[研修での学び]",
        ])
        .env("CASECODE_BUSY_TIMEOUT_MS", "300")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("locked by another process"), "{stderr}");
    assert!(stderr.contains("study.casecode"), "{stderr}");
    holder.execute_batch("ROLLBACK").expect("unlock");
    drop(holder);
    assert_eq!(common::snapshot(&sandbox, &project), before);
}
