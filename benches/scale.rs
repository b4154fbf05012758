//! Speed and scale on the path a researcher waits for (issue 17): every figure is the release
//! `casecode` binary run end to end from the command line (process start, open, work, write),
//! timed with its peak memory (GNU time's maximum RSS), and printed next to its target. MeCab
//! runs on the same text in the same run, so the two are compared under the same load.
//!
//! - the Japanese text layer: 6 MB of Japanese text in 14 documents (the sample transcripts,
//!   repeated; Aozora Bunko itself is not reachable from the build machines): the index build
//!   that the first `search --base-form` does, and `casecode tokenize` of the same text as one
//!   file, both next to `mecab -b 100000` on that file;
//! - a cold substring search from the command line over a 30 MB project (after the first
//!   search, which stores the character index, timed on its own);
//! - 1,000,000 codings in a project of 129 transcripts × 500 codes: `codings import` of a CSV,
//!   `matrix --format json`, `export --xlsx`, `export --qdpx` and `import-qdpx`.
//!
//! Run: `make bench`, or `cargo bench --no-default-features --bench scale` (add `-- --small`
//! for a quick run at a tenth of the sizes). Medians of repeated runs; the machine's load
//! average is printed first, because other work on the machine moves every figure.

mod common;
// The generated study of the matrix benchmark (its median timer is not used here).
#[allow(dead_code)]
mod study;

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use casecode::command::Command;
use casecode::import::txt::{TxtOptions, collect_transcripts};
use casecode::project::Project;
use common::{Lcg, write_transcripts};
use study::generated_study;

/// The CLI under test: the one cargo built for this bench (release profile), or the binary
/// named by `CASECODE_BENCH_BIN` (to measure an earlier build the same way, for before/after).
fn casecode() -> String {
    std::env::var("CASECODE_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_casecode").to_owned())
}

/// One measured process run.
#[derive(Clone, Copy, Debug)]
struct Run {
    seconds: f64,
    peak_mb: f64,
    /// User plus system CPU time: what the work costs whatever the machine's load.
    cpu_seconds: f64,
}

/// Runs `program args` under GNU time with stdout to `stdout` (or discarded); panics with the
/// process's stderr when it fails, since a failing run measures nothing.
fn timed(program: &str, args: &[&str], stdout: Option<&Path>, env: &[(&str, &Path)]) -> Run {
    try_timed(program, args, stdout, env).unwrap_or_else(|error| panic!("{error}"))
}

/// [`timed`], with a failure as an error message (the process's stderr).
fn try_timed(
    program: &str,
    args: &[&str],
    stdout: Option<&Path>,
    env: &[(&str, &Path)],
) -> Result<Run, String> {
    let report = tempfile::NamedTempFile::new().expect("time report");
    let mut command = Process::new("/usr/bin/time");
    command
        .arg("-f")
        .arg("%e %M %U %S")
        .arg("-o")
        .arg(report.path())
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    match stdout {
        Some(path) => command.stdout(std::fs::File::create(path).expect("stdout file")),
        None => command.stdout(Stdio::null()),
    };
    let output = command
        .output()
        .expect("run /usr/bin/time (apt-get install time)");
    if !output.status.success() {
        return Err(format!(
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = std::fs::read_to_string(report.path()).expect("read time report");
    let last = text.lines().last().unwrap_or_default();
    let mut fields = last.split_whitespace();
    let seconds: f64 = fields
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN);
    let kb: f64 = fields
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN);
    let cpu_seconds: f64 = fields.filter_map(|s| s.parse::<f64>().ok()).sum();
    Ok(Run {
        seconds,
        peak_mb: kb / 1024.0,
        cpu_seconds,
    })
}

/// Median seconds and median peak memory of `runs`.
fn median(mut runs: Vec<Run>) -> Run {
    let middle = runs.len() / 2;
    runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let seconds = runs[middle].seconds;
    runs.sort_by(|a, b| a.peak_mb.total_cmp(&b.peak_mb));
    let peak_mb = runs[middle].peak_mb;
    runs.sort_by(|a, b| a.cpu_seconds.total_cmp(&b.cpu_seconds));
    Run {
        seconds,
        peak_mb,
        cpu_seconds: runs[middle].cpu_seconds,
    }
}

/// `rounds` runs of `make_run`, median.
fn repeat(rounds: usize, mut make_run: impl FnMut(usize) -> Run) -> Run {
    median((0..rounds).map(&mut make_run).collect())
}

fn load_line() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let fields: Vec<&str> = load.split_whitespace().take(3).collect();
    format!("{cores} cores, load average {}", fields.join(" "))
}

/// "ok" or "MISSED": whether a figure meets its target.
fn verdict(met: bool) -> &'static str {
    if met { "ok" } else { "MISSED" }
}

/// The sample transcripts as (name, text), decoded as casecode imports them.
fn sample_texts() -> Vec<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .expect("sample_transcripts")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let collected = collect_transcripts(&paths, &TxtOptions::default()).expect("read samples");
    collected.documents.into_iter().map(|d| d.text).collect()
}

/// Writes `documents` files of about `bytes_each` bytes of the sample transcripts into
/// `folder`, and returns their paths and total size.
fn write_novels(folder: &Path, documents: usize, bytes_each: usize) -> (Vec<PathBuf>, usize) {
    std::fs::create_dir_all(folder).expect("mkdir");
    let samples = sample_texts();
    let mut paths = Vec::new();
    let mut total = 0;
    let mut next = 0;
    for index in 0..documents {
        let mut text = String::new();
        while text.len() < bytes_each {
            text.push_str(&samples[next % samples.len()]);
            text.push('\n');
            next += 1;
        }
        total += text.len();
        let path = folder.join(format!("novel{index:02}.txt"));
        std::fs::write(&path, text).expect("write");
        paths.push(path);
    }
    (paths, total)
}

/// A project holding the transcripts in `folder` (not timed: the set-up).
fn project_of(folder: &Path, path: &Path) {
    let mut project = Project::create(path).expect("create project");
    let collected = collect_transcripts(&[folder.to_path_buf()], &TxtOptions::default())
        .expect("collect transcripts");
    project
        .execute(Command::ImportDocuments {
            documents: collected.documents,
        })
        .expect("import transcripts");
}

/// Copies a project file (and nothing of a WAL: projects are closed here).
fn copy_project(from: &Path, to: &Path) {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", to.display()));
    }
    std::fs::copy(from, to).expect("copy project");
}

fn text_layer(dir: &Path, small: bool, cache: &Path) {
    let (documents, bytes_each) = if small { (14, 43_000) } else { (14, 430_000) };
    let folder = dir.join("novels");
    let (paths, total) = write_novels(&folder, documents, bytes_each);
    let megabytes = total as f64 / 1e6;
    // One file of the same text for `tokenize` and MeCab.
    let corpus = dir.join("corpus.txt");
    let mut all = Vec::with_capacity(total);
    for path in &paths {
        all.extend(std::fs::read(path).expect("read"));
    }
    std::fs::write(&corpus, all).expect("write corpus");
    let pristine = dir.join("novels.casecode");
    project_of(&folder, &pristine);
    let env = [("CASECODE_CACHE_DIR", cache)];
    // Build (or find) the dictionary once, outside the timings.
    timed(&casecode(), &["dictionary", "status"], None, &env);
    println!("Japanese text layer: {megabytes:.1} MB of Japanese text in {documents} documents");
    let corpus_arg = corpus.to_str().expect("utf-8 path");
    let project = dir.join("index.casecode");
    let project_arg = project.to_str().expect("utf-8 path");
    let tokenize_out = dir.join("tokens.tsv");
    let mecab_out = dir.join("mecab.out");
    let mecab_out_arg = mecab_out.to_str().expect("utf-8 path");
    let one_core = [
        ("CASECODE_CACHE_DIR", cache),
        ("RAYON_NUM_THREADS", Path::new("1")),
    ];
    let has_mecab = Process::new("mecab").arg("--version").output().is_ok();
    if !has_mecab {
        println!("  mecab: not installed (apt-get install mecab mecab-ipadic-utf8); no comparison");
    }
    // The runs alternate, so that a change of the machine's load hits all of them alike.
    let rounds = 5;
    let (mut mecab, mut index, mut tokenize, mut tokenize_all) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        if has_mecab {
            mecab.push(timed(
                "mecab",
                &["-b", "100000", corpus_arg, "-o", mecab_out_arg],
                None,
                &[],
            ));
        }
        copy_project(&pristine, &project);
        index.push(timed(
            &casecode(),
            &["search", project_arg, "相談する", "--base-form"],
            None,
            &env,
        ));
        tokenize.push(timed(
            &casecode(),
            &["tokenize", corpus_arg],
            Some(&tokenize_out),
            &one_core,
        ));
        tokenize_all.push(timed(
            &casecode(),
            &["tokenize", corpus_arg],
            Some(&tokenize_out),
            &env,
        ));
    }
    println!(
        "  (medians of {rounds} alternating runs; CPU = user + system time, which load moves less)"
    );
    let mecab = (!mecab.is_empty()).then(|| median(mecab));
    if let Some(mecab) = mecab {
        println!(
            "  mecab -b 100000 (ipadic-utf8, 1 process): {:.2} s = {:.1} MB/s, CPU {:.2} s, {:.0} MB peak",
            mecab.seconds,
            megabytes / mecab.seconds,
            mecab.cpu_seconds,
            mecab.peak_mb
        );
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    for (name, run, goal, memory_goal) in [
        (
            format!("index build (first `search --base-form`, {cores} cores)"),
            median(index),
            Some(2.0),
            Some(2.0),
        ),
        (
            "`casecode tokenize` on one core (RAYON_NUM_THREADS=1)".to_owned(),
            median(tokenize),
            Some(1.0),
            None,
        ),
        (
            format!("`casecode tokenize` on {cores} cores"),
            median(tokenize_all),
            None,
            None,
        ),
    ] {
        print!(
            "  {name}: {:.2} s = {:.1} MB/s, CPU {:.2} s, {:.0} MB peak",
            run.seconds,
            megabytes / run.seconds,
            run.cpu_seconds,
            run.peak_mb
        );
        let Some(mecab) = mecab else {
            println!();
            continue;
        };
        let ratio = mecab.seconds / run.seconds;
        let cpu_ratio = mecab.cpu_seconds / run.cpu_seconds;
        print!("; {ratio:.2}× MeCab's throughput");
        match goal {
            Some(goal) => print!(" (target ≥ {goal}×) {}", verdict(ratio >= goal)),
            None => print!(" (no target)"),
        }
        print!(", {cpu_ratio:.2}× per CPU second");
        let memory = run.peak_mb / mecab.peak_mb;
        match memory_goal {
            Some(most) => println!(
                ", {memory:.1}× MeCab's memory (target ≤ {most}×) {}",
                verdict(memory <= most)
            ),
            None => println!(", {memory:.1}× MeCab's memory"),
        }
    }
    // Streaming: tokenizing four times the text must not take more memory.
    let bigger = dir.join("corpus4.txt");
    let text = std::fs::read(&corpus).expect("read corpus");
    std::fs::write(&bigger, text.repeat(4)).expect("write corpus4");
    let small_run = timed(
        &casecode(),
        &["tokenize", corpus_arg],
        Some(&tokenize_out),
        &one_core,
    );
    let big_run = timed(
        &casecode(),
        &["tokenize", bigger.to_str().expect("utf-8 path")],
        Some(&tokenize_out),
        &one_core,
    );
    let _ = std::fs::remove_file(&bigger);
    println!(
        "  `casecode tokenize` streams: {:.0} MB peak on {megabytes:.0} MB, {:.0} MB peak on {:.0} MB (target: constant memory, ≤ 1.25× for 4× the text) {}",
        small_run.peak_mb,
        big_run.peak_mb,
        4.0 * megabytes,
        verdict(big_run.peak_mb <= 1.25 * small_run.peak_mb)
    );
}

fn cold_search(dir: &Path, small: bool, cache: &Path) {
    let folder = dir.join("search-texts");
    let target = if small { 3_000_000 } else { 30_000_000 };
    let mut random = Lcg(3);
    let documents = target / 30_000;
    let bytes = write_transcripts(&folder, &mut random, documents, 10_000, (3, 6));
    let project = dir.join("search.casecode");
    project_of(&folder, &project);
    let project_arg = project.to_str().expect("utf-8 path");
    let env = [("CASECODE_CACHE_DIR", cache)];
    let before = std::fs::metadata(&project).map_or(0, |meta| meta.len());
    // The first search does one-time work: it scans every text and stores its search copy
    // and character index (migration 0012). Not "cold"; timed on its own.
    let first = timed(&casecode(), &["search", project_arg, "児"], None, &env);
    let after = std::fs::metadata(&project).map_or(0, |meta| meta.len());
    println!(
        "first `search` over {:.0} MB in {documents} documents (scans and stores the character index, once): {:.2} s (CPU {:.2} s), {:.0} MB peak; the project file grows from {:.0} MB to {:.0} MB",
        bytes as f64 / 1e6,
        first.seconds,
        first.cpu_seconds,
        first.peak_mb,
        before as f64 / 1e6,
        after as f64 / 1e6
    );
    for query in ["児", "支援会議"] {
        let run = repeat(5, |_| {
            timed(&casecode(), &["search", project_arg, query], None, &env)
        });
        println!(
            "cold `search` of '{query}' from the CLI over {:.0} MB in {documents} documents: {:.0} ms (CPU {:.0} ms), {:.0} MB peak (target < 200 ms) {}",
            bytes as f64 / 1e6,
            run.seconds * 1e3,
            run.cpu_seconds * 1e3,
            run.peak_mb,
            verdict(run.seconds < 0.2)
        );
    }
}

/// Writes the codings CSV: `codings` rows over the documents `doc0000`… of `chars` code
/// points each, codes named `[焦点コード{c}-{s}-{f}]`.
fn write_codings_csv(path: &Path, codings: usize, documents: usize, chars: usize, focus: usize) {
    use std::io::Write;
    let mut random = Lcg(17);
    let file = std::fs::File::create(path).expect("codings csv");
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "document,start,end,code,coder").expect("write");
    // A coding is unique by document, span, code and coder: draw again on a repeat.
    let mut seen = std::collections::HashSet::new();
    let mut index = 0;
    while index < codings {
        let document = random.next() % documents;
        let start = random.next() % (chars - 200);
        let end = start + 20 + random.next() % 150;
        let code = (random.next() % 4, random.next() % 5, random.next() % focus);
        let coder = if index % 4 == 0 { "鈴木" } else { "山田" };
        if !seen.insert((document, start, end, code, coder)) {
            continue;
        }
        index += 1;
        let code = format!("[焦点コード{}-{}-{}]", code.0, code.1, code.2);
        writeln!(out, "doc{document:04},{start},{end},{code},{coder}").expect("write");
    }
    out.flush().expect("flush");
}

fn million_codings(dir: &Path, small: bool) {
    let (documents, chars, focus, codings) = if small {
        (129, 5_000, 25, 100_000)
    } else {
        (129, 20_000, 25, 1_000_000)
    };
    let study = dir.join("million");
    std::fs::create_dir_all(&study).expect("mkdir");
    // 129 transcripts, 4 × 5 × 25 = 500 focus codes with roles, 所属組織; no codings yet.
    drop(generated_study(&study, 5, (documents, chars, focus, 0)));
    let pristine = study.join("bench.casecode");
    // The shortest document bounds the offsets.
    let shortest = Project::open(&pristine)
        .expect("open")
        .read()
        .document_infos()
        .expect("documents")
        .iter()
        .map(|info| info.chars)
        .min()
        .unwrap_or(chars);
    let csv = study.join("codings.csv");
    write_codings_csv(&csv, codings, documents, shortest, focus);
    let project = study.join("coded.casecode");
    let project_arg = project.to_str().expect("utf-8 path");
    println!(
        "{codings} codings in a project of {documents} transcripts × {} codes:",
        20 * focus
    );
    copy_project(&pristine, &project);
    let import = timed(
        &casecode(),
        &[
            "codings",
            project_arg,
            "import",
            csv.to_str().expect("utf-8 path"),
        ],
        None,
        &[],
    );
    let rate = codings as f64 / import.seconds;
    println!(
        "  `codings import` of the CSV: {:.2} s = {:.0} codings/s (CPU {:.2} s), {:.0} MB peak (target ≥ 200,000/s) {}",
        import.seconds,
        rate,
        import.cpu_seconds,
        import.peak_mb,
        verdict(rate >= 200_000.0)
    );
    let matrix = repeat(3, |_| {
        timed(
            &casecode(),
            &["matrix", project_arg, "--format", "json"],
            None,
            &[],
        )
    });
    println!(
        "  `matrix --format json` (median of 3): {:.2} s (CPU {:.2} s), {:.0} MB peak (target < 1 s) {}",
        matrix.seconds,
        matrix.cpu_seconds,
        matrix.peak_mb,
        verdict(matrix.seconds < 1.0)
    );
    let xlsx = study.join("out.xlsx");
    let workbook = timed(
        &casecode(),
        &[
            "export",
            project_arg,
            "--xlsx",
            xlsx.to_str().expect("utf-8 path"),
        ],
        None,
        &[],
    );
    println!(
        "  `export --xlsx`: {:.1} s, CPU {:.1} s, {:.0} MB peak, {:.0} MB file (target < 15 s, < 500 MB) {}",
        workbook.seconds,
        workbook.cpu_seconds,
        workbook.peak_mb,
        std::fs::metadata(&xlsx).map_or(0, |meta| meta.len()) as f64 / 1e6,
        verdict(workbook.seconds < 15.0 && workbook.peak_mb < 500.0)
    );
    // The long-format CSV streams the same セグメント一覧 rows (no target of its own).
    let csv_out = study.join("out.csv");
    let segments_csv = timed(
        &casecode(),
        &[
            "export",
            project_arg,
            "--csv",
            csv_out.to_str().expect("utf-8 path"),
        ],
        None,
        &[],
    );
    println!(
        "  `export --csv`: {:.1} s, CPU {:.1} s, {:.0} MB peak, {:.0} MB file (no target)",
        segments_csv.seconds,
        segments_csv.cpu_seconds,
        segments_csv.peak_mb,
        std::fs::metadata(&csv_out).map_or(0, |meta| meta.len()) as f64 / 1e6,
    );
    let qdpx = study.join("out.qdpx");
    let qdpx_arg = qdpx.to_str().expect("utf-8 path");
    let export = timed(
        &casecode(),
        &["export", project_arg, "--qdpx", qdpx_arg],
        None,
        &[],
    );
    println!(
        "  `export --qdpx`: {:.1} s (CPU {:.1} s), {:.0} MB peak, {:.0} MB file (target < 10 s, < 500 MB) {}",
        export.seconds,
        export.cpu_seconds,
        export.peak_mb,
        std::fs::metadata(&qdpx).map_or(0, |meta| meta.len()) as f64 / 1e6,
        verdict(export.seconds < 10.0 && export.peak_mb < 500.0)
    );
    let target = study.join("imported.casecode");
    let target_arg = target.to_str().expect("utf-8 path");
    timed(&casecode(), &["new", target_arg], None, &[]);
    match try_timed(
        &casecode(),
        &["import-qdpx", qdpx_arg, target_arg],
        None,
        &[],
    ) {
        Ok(import) => println!(
            "  `import-qdpx` of it into a new project: {:.1} s (CPU {:.1} s), {:.0} MB peak (target < 10 s, < 500 MB) {}",
            import.seconds,
            import.cpu_seconds,
            import.peak_mb,
            verdict(import.seconds < 10.0 && import.peak_mb < 500.0)
        ),
        Err(error) => println!("  `import-qdpx` of it into a new project: FAILED ({error})"),
    }
}

fn main() {
    let small = std::env::args().any(|arg| arg == "--small");
    println!(
        "casecode speed and scale benchmark (CLI end to end, {})\nmachine: {} (other work on the machine slows every figure)",
        casecode(),
        load_line()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    // `CASECODE_BENCH_DIR=folder` keeps the generated projects there (to profile them after).
    let kept = std::env::var_os("CASECODE_BENCH_DIR").map(PathBuf::from);
    let work = kept.as_deref().unwrap_or(dir.path());
    // The dictionary cache: the user's, so that the IPADIC build is not repeated per run.
    let cache = std::env::var_os("CASECODE_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("HOME")
                .map(|home| PathBuf::from(home).join(".cache/casecode"))
                .unwrap_or_else(|| dir.path().join("cache"))
        });
    // `-- text`, `-- search` or `-- codings` runs one part only.
    let only = |part: &str| {
        let parts = ["text", "search", "codings"];
        let named: Vec<String> = std::env::args()
            .filter(|arg| parts.contains(&arg.as_str()))
            .collect();
        named.is_empty() || named.iter().any(|name| name == part)
    };
    if only("text") {
        text_layer(work, small, &cache);
    }
    if only("search") {
        cold_search(work, small, &cache);
    }
    if only("codings") {
        million_codings(work, small);
    }
    println!("machine after the run: {}", load_line());
}
