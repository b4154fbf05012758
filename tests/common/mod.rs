//! A temp-dir harness that runs the real `casecode` binary, as a researcher would.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod pg;

/// A scratch folder with helpers to run casecode in it.
///
/// With `CASECODE_TEST_BACKEND=postgres` the projects it makes ([`Sandbox::sample_project`],
/// [`Sandbox::new_project`]) are published to a throwaway PostgreSQL cluster of the sandbox's
/// own and handed out as server addresses, so that the same test runs on the team server (the
/// role is `tester`, the coder the other tests expect). The cluster stops with the sandbox.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    server: std::cell::OnceCell<pg::Cluster>,
    published: std::cell::Cell<usize>,
}

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with the output unless the run succeeded.
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "casecode failed:\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    /// Parses stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
            server: std::cell::OnceCell::new(),
            published: std::cell::Cell::new(0),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file (creating folders) and returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, bytes).expect("write");
        path
    }

    /// Runs casecode with these arguments in the sandbox.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        Run::from(self.command(args).output().expect("run casecode"))
    }

    /// The command, for spawning.
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut command = Command::new(env!("CARGO_BIN_EXE_casecode"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("CASECODE_CODER", "tester");
        command
    }

    /// A project built from the repository's sample study.
    pub fn sample_project(&self) -> PathBuf {
        let project = self.path("study.casecode");
        self.run([
            "demo".as_ref(),
            sample_dir().as_os_str(),
            "--project".as_ref(),
            project.as_os_str(),
        ])
        .ok();
        self.on_backend(project)
    }

    /// A new empty project.
    pub fn new_project(&self, name: &str) -> PathBuf {
        let project = self.path(name);
        self.run(["new".as_ref(), project.as_os_str()]).ok();
        self.on_backend(project)
    }

    /// True when the tests run on the team server (`CASECODE_TEST_BACKEND=postgres`).
    pub fn on_server() -> bool {
        std::env::var("CASECODE_TEST_BACKEND").is_ok_and(|backend| backend == "postgres")
    }

    /// The project file as the test should use it: itself, or published to the sandbox's
    /// cluster as a server project.
    fn on_backend(&self, file: PathBuf) -> PathBuf {
        if !Sandbox::on_server() {
            return file;
        }
        let cluster = self.server.get_or_init(|| {
            let cluster = pg::Cluster::start();
            let database = cluster.database_url("postgres");
            self.run(["server", "init", &database]).ok();
            self.run([
                "server", "grant", &database, "--role", "tester", "--as", "admin",
            ])
            .ok();
            cluster
        });
        let number = self.published.get() + 1;
        self.published.set(number);
        let url = cluster.url("tester", &format!("p{number}"));
        self.run(["publish".as_ref(), file.as_os_str(), url.as_ref()])
            .ok();
        PathBuf::from(url)
    }
}

/// The repository's `sample_transcripts/`.
pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts")
}

/// `casecode list PROJECT WHAT --json`.
pub fn list(sandbox: &Sandbox, project: &Path, what: &str) -> serde_json::Value {
    sandbox
        .run([
            "list".as_ref(),
            project.as_os_str(),
            what.as_ref(),
            "--json".as_ref(),
        ])
        .ok()
        .json()
}

/// Everything a user can read back, for "nothing changed" assertions.
pub fn snapshot(sandbox: &Sandbox, project: &Path) -> String {
    ["documents", "cases", "codes", "codings"]
        .iter()
        .map(|what| list(sandbox, project, what).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The stored text of document `doc`, read through `casecode text`.
pub fn stored_text(sandbox: &Sandbox, project: &Path, doc: &str) -> String {
    sandbox
        .run([
            "text".as_ref(),
            project.as_os_str(),
            "--doc".as_ref(),
            doc.as_ref(),
        ])
        .ok()
        .stdout
}

/// (speaker, label start, speech) of each utterance, offsets in code points of the stored text.
pub fn turns(project: &Path, doc: &str) -> Vec<(String, usize, String)> {
    let project = casecode::project::Project::open(project).expect("open");
    let reader = project.read();
    let info = reader
        .document_by_name(doc)
        .expect("query")
        .expect("document");
    let text: Vec<char> = reader
        .document_text(info.id)
        .expect("query")
        .expect("text")
        .chars()
        .collect();
    reader
        .utterances(info.id)
        .expect("utterances")
        .into_iter()
        .map(|turn| {
            let speech: String = text
                .get(turn.text_start..turn.end)
                .unwrap_or_default()
                .iter()
                .collect();
            (turn.speaker, turn.start, speech)
        })
        .collect()
}

/// Drops the tables of the migrations after 0006 (coders): for tests that turn a project file
/// back into an older schema by hand, so that the next open migrates over a clean slate. A
/// migration that adds tables adds them here.
#[allow(dead_code)]
pub const DROP_TABLES_AFTER_CODERS: &str = "
    DROP TRIGGER IF EXISTS search_index_stale;
    DROP TABLE IF EXISTS scat_rows; DROP TABLE IF EXISTS scat_sheets;
    DROP TABLE IF EXISTS mgta_variations; DROP TABLE IF EXISTS mgta_memos;
    DROP TABLE IF EXISTS mgta_diagram_boxes; DROP TABLE IF EXISTS mgta_diagram_arrows;
    DROP TABLE IF EXISTS stop_words; DROP TABLE IF EXISTS speaker_roles;
    ALTER TABLE documents DROP COLUMN text_hash;
    DROP TABLE IF EXISTS coding_reviews; DROP TABLE IF EXISTS orphans;
    ALTER TABLE undo_stack DROP COLUMN coder; ALTER TABLE undo_stack DROP COLUMN touched;
    DROP TABLE IF EXISTS search_folds;
    DROP TABLE IF EXISTS search_postings; DROP TABLE IF EXISTS search_index_documents;";
