//! Benchmark of the Japanese text layer (issue: text layer), side by side with MeCab in one run.
//! Prints: tokenization throughput with every feature (surface, base form, POS, reading) using
//! all cores vs `mecab` on the same text, the ratio, % of lines segmented as MeCab does, and
//! search latency for a 1-character term on a 30 MB project.
//! Run: `make bench` (installs mecab + mecab-ipadic-utf8) or `cargo bench --bench text`.

use std::io::Write;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::Instant;

use casecode::command::Command;
use casecode::corpus::{SearchIndex, SearchMode, TextLayer, search};
use casecode::import::txt::{TxtOptions, collect_transcripts};
use casecode::project::Project;
use casecode::text::dictionary::resolve_dictionary;
use rayon::prelude::*;

fn sample_text() -> String {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .expect("sample_transcripts")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let collected = collect_transcripts(&paths, &TxtOptions::default()).expect("read samples");
    collected
        .documents
        .iter()
        .map(|d| d.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sample = sample_text();
    let target_bytes = 10_000_000;
    let repeat = target_bytes / sample.len() + 1;
    let corpus: String = std::iter::repeat_n(sample.as_str(), repeat)
        .collect::<Vec<_>>()
        .join("\n");
    let lines: Vec<&str> = corpus.lines().filter(|l| !l.trim().is_empty()).collect();
    let file = dir.path().join("corpus.txt");
    std::fs::write(&file, lines.join("\n") + "\n").expect("write corpus");
    let megabytes = lines.iter().map(|l| l.len() + 1).sum::<usize>() as f64 / 1e6;
    println!(
        "casecode text-layer benchmark: {megabytes:.1} MB of Japanese text ({} lines), {} cores",
        lines.len(),
        rayon::current_num_threads()
    );

    let status =
        resolve_dictionary(&mut |message| eprintln!("dictionary: {message}")).expect("dictionary");
    let layer = TextLayer::with_terms(status, Vec::new()).expect("tokenizer");
    // Warm up (page in the dictionary).
    let _ = layer.tokenize(lines.first().copied().unwrap_or_default());

    let started = Instant::now();
    let ours: Vec<Vec<String>> = lines
        .par_iter()
        .map(|line| {
            layer
                .tokenize(line)
                .into_iter()
                .map(|token| token.surface)
                .collect()
        })
        .collect();
    let ours_seconds = started.elapsed().as_secs_f64();
    println!(
        "casecode (lindera + domain dictionary, all features, {} threads): {ours_seconds:.2} s = {:.1} MB/s",
        rayon::current_num_threads(),
        megabytes / ours_seconds
    );

    let started = Instant::now();
    let mecab = Process::new("mecab")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let Ok(mut mecab) = mecab else {
        println!("mecab: not installed (apt-get install mecab mecab-ipadic-utf8); no comparison");
        search_latency(dir.path());
        return;
    };
    let input = std::fs::read(&file).expect("read corpus");
    let mut stdin = mecab.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = mecab.wait_with_output().expect("mecab output");
    let _ = writer.join();
    let mecab_seconds = started.elapsed().as_secs_f64();
    println!(
        "mecab 0.996 (ipadic-utf8, all features, 1 process): {mecab_seconds:.2} s = {:.1} MB/s",
        megabytes / mecab_seconds
    );
    println!(
        "ratio casecode / mecab throughput: {:.2}x (the library in one process, not the CLI a researcher waits for: the CLI figures and their targets are in `cargo bench --bench scale`)",
        mecab_seconds / ours_seconds
    );

    // Agreement: MeCab's surfaces per line (EOS ends a line) against ours.
    let text = String::from_utf8_lossy(&output.stdout);
    let mut mecab_lines: Vec<Vec<String>> = Vec::new();
    let mut current = Vec::new();
    for row in text.lines() {
        if row == "EOS" {
            mecab_lines.push(std::mem::take(&mut current));
        } else if let Some((surface, _)) = row.split_once('\t') {
            current.push(surface.to_owned());
        }
    }
    // The domain dictionary joins terms MeCab splits; compare on text MeCab knows, per line.
    let compared = mecab_lines.len().min(ours.len());
    let identical = (0..compared).filter(|&i| mecab_lines[i] == ours[i]).count();
    println!(
        "lines segmented identically to MeCab: {identical}/{compared} = {:.1}% (our domain dictionary joins 医療的ケア児 etc., MeCab does not)",
        100.0 * identical as f64 / compared.max(1) as f64
    );
    search_latency(dir.path());
}

/// A 30 MB project; time a 1-character substring search over all of it.
fn search_latency(dir: &Path) {
    let folder = dir.join("project-texts");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let sample = sample_text();
    let mut bytes = 0;
    let mut index = 0;
    while bytes < 30_000_000 {
        let text = format!("Ｉ：{index}番目の文書です。\n{sample}");
        bytes += text.len();
        std::fs::write(folder.join(format!("doc{index:04}.txt")), text).expect("write");
        index += 1;
    }
    let mut project = Project::create(&dir.join("search.casecode")).expect("project");
    let collected = collect_transcripts(std::slice::from_ref(&folder), &TxtOptions::default())
        .expect("collect");
    project
        .execute(Command::ImportDocuments {
            documents: collected.documents,
        })
        .expect("import");
    let started = Instant::now();
    let count = search(&project, "児", SearchMode::Substring, None)
        .expect("search")
        .len();
    println!(
        "cold search '児' (CLI: read + fold {:.0} MB, then scan): {:.0} ms, {count} hits",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64() * 1e3
    );
    let started = Instant::now();
    let index_of_texts = SearchIndex::build(&project).expect("index");
    println!(
        "search index build ({index} documents): {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    for query in ["児", "支援", "レスパイト"] {
        let mut best = f64::MAX;
        let mut count = 0;
        for _ in 0..5 {
            let started = Instant::now();
            count = index_of_texts
                .search(&project, query, SearchMode::Substring, None)
                .expect("search")
                .len();
            best = best.min(started.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "search '{query}' over {:.0} MB in memory: {best:.1} ms, {count} hits (goal < 50 ms for 1 character)",
            bytes as f64 / 1e6
        );
    }
}
