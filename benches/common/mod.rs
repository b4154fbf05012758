//! What the benchmarks share: a deterministic generator of transcript-like Japanese text.

/// Spoken-Japanese phrases the generated turns are made of (with 𠮷, so offsets stay honest).
pub const PHRASES: &[&str] = &[
    "えー、医療的ケア児のお母さんが復職を考えていて",
    "あのー、レスパイトの調整がなかなか難しくて",
    "訪問看護ステーションと相談支援専門員で情報を共有して",
    "自立支援協議会で、まあ、資源が足りないという話を出して",
    "きょうだいの運動会に行けるように短期入所を使って",
    "就学に向けて、特別支援学校の先生と支援会議を開いて",
    "𠮷田さんとも連絡を取りながら、",
    "停電のときの電源をどうするか、個別避難計画を作って",
    "（うん）",
    "（笑）",
    "なんか、コーディネーターの役割って曖昧で",
    "保健師さんと一緒に家庭訪問をして",
];

/// A linear congruential generator: the same numbers on every machine and run.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next pseudo-random number.
    pub fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

/// A transcript of about `target_chars` code points: a title, then alternating `Ｉ：`/`Ａ：`
/// turns of `min_phrases` to `min_phrases + spread - 1` phrases each.
pub fn transcript(
    random: &mut Lcg,
    target_chars: usize,
    min_phrases: usize,
    spread: usize,
) -> String {
    let mut text = String::from("事例　インタビュー逐語録\n\n");
    let (mut chars, mut turn) = (0, 0);
    while chars < target_chars {
        let mut line = String::from(if turn % 2 == 0 { "Ｉ：" } else { "Ａ：" });
        for _ in 0..(min_phrases + random.next() % spread.max(1)) {
            line.push_str(PHRASES[random.next() % PHRASES.len()]);
        }
        line.push_str("。\n");
        chars += line.chars().count();
        text.push_str(&line);
        turn += 1;
    }
    text
}

/// Writes `documents` generated transcripts (`doc0000.txt` …) into a new folder `folder` and
/// returns their size in bytes.
pub fn write_transcripts(
    folder: &std::path::Path,
    random: &mut Lcg,
    documents: usize,
    target_chars: usize,
    (min_phrases, spread): (usize, usize),
) -> usize {
    std::fs::create_dir_all(folder).expect("mkdir");
    let mut bytes = 0;
    for index in 0..documents {
        let text = transcript(random, target_chars, min_phrases, spread);
        bytes += text.len();
        std::fs::write(folder.join(format!("doc{index:04}.txt")), text).expect("write");
    }
    bytes
}
