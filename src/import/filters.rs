//! Opt-in cleanup filters applied to a transcript's text before it is stored (so that every
//! offset, speaker turns included, refers to the cleaned text). Each filter removes what is not
//! speech: Aozora Bunko ruby and editor's notes, header/footer lines matched by a pattern,
//! transcription timestamps, and a NUCC-style `＠` metadata header, whose lines become case
//! attributes instead of text.
//!
//! Filters run in a fixed order whatever order they were named in: dropped lines, the `＠`
//! header, timestamps, Aozora markup. A line that held nothing but removed markup is removed
//! with its line end; other lines keep their line ends.

use std::sync::LazyLock;

use regex::Regex;

/// One cleanup filter.
#[derive(Clone, Debug)]
pub enum Filter {
    /// Aozora Bunko markup: `｜漢字《かんじ》` and `漢字《かんじ》` → 漢字, `［＃…］` notes removed.
    Aozora,
    /// Timestamps `[00:12:34]`, `(00:12)`, `（00:12:34）`, `［０：１２］` anywhere, and a bare
    /// `00:12:34 ` at a line start.
    Timestamps,
    /// NUCC-style `＠key：value` lines (名大会話コーパス): removed, turned into case attributes.
    NuccHeader,
    /// Lines matching the regex (page headers, footers, 「－ 1 －」 page numbers) are removed.
    DropLines(Regex),
}

impl Filter {
    /// How the filter is listed in a document's metadata: `aozora`, `timestamps`,
    /// `nucc-header`, `drop-lines:REGEX`.
    pub fn name(&self) -> String {
        match self {
            Filter::Aozora => "aozora".to_owned(),
            Filter::Timestamps => "timestamps".to_owned(),
            Filter::NuccHeader => "nucc-header".to_owned(),
            Filter::DropLines(regex) => format!("drop-lines:{}", regex.as_str()),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Filter::DropLines(_) => 0,
            Filter::NuccHeader => 1,
            Filter::Timestamps => 2,
            Filter::Aozora => 3,
        }
    }
}

/// The filters named in `--filter` (comma-separated names) and the `--drop-lines` patterns, in
/// the order they run; the error is a sentence naming the bad name or pattern.
pub fn parse_filters(names: &[String], drop_lines: &[String]) -> Result<Vec<Filter>, String> {
    let mut filters = Vec::new();
    for name in names.iter().flat_map(|names| names.split(',')) {
        let filter = match name.trim() {
            "" => continue,
            "aozora" => Filter::Aozora,
            "timestamps" => Filter::Timestamps,
            "nucc-header" | "nucc" => Filter::NuccHeader,
            other => {
                return Err(format!(
                    "unknown filter '{other}' (aozora, timestamps, nucc-header; header/footer lines with --drop-lines REGEX)"
                ));
            }
        };
        if !filters
            .iter()
            .any(|known: &Filter| known.name() == filter.name())
        {
            filters.push(filter);
        }
    }
    for pattern in drop_lines {
        let regex = Regex::new(pattern)
            .map_err(|error| format!("--drop-lines '{pattern}' is not a valid regex: {error}"))?;
        filters.push(Filter::DropLines(regex));
    }
    filters.sort_by_key(Filter::rank);
    Ok(filters)
}

/// What the filters made of a text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filtered {
    pub text: String,
    /// Case attributes from a `＠` header, in file order (`収集年月日` → `２００１年１０月１６日`).
    pub attributes: Vec<(String, String)>,
    /// One line per filter that changed something: what it removed.
    pub notes: Vec<String>,
}

/// Applies `filters` (already in order, see [`parse_filters`]) to `text`.
pub fn apply_filters(filters: &[Filter], text: &str) -> Filtered {
    let mut filtered = Filtered {
        text: text.to_owned(),
        ..Filtered::default()
    };
    for filter in filters {
        let (text, note) = match filter {
            Filter::Aozora => aozora(&filtered.text),
            Filter::Timestamps => timestamps(&filtered.text),
            Filter::NuccHeader => {
                let (text, attributes, note) = nucc_header(&filtered.text);
                filtered.attributes = attributes;
                (text, note)
            }
            Filter::DropLines(regex) => drop_lines(regex, &filtered.text),
        };
        filtered.text = text;
        filtered.notes.extend(note);
    }
    filtered
}

/// Splits into lines that keep their `\n`, so that joining them gives the text back.
fn lines_with_ends(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive('\n')
}

/// Replaces each line with `edit(line)`; a line that was not blank and becomes blank is dropped
/// with its line end. Returns the text and how many lines were dropped and changed.
fn edit_lines(text: &str, mut edit: impl FnMut(&str) -> Option<String>) -> (String, usize, usize) {
    let mut out = String::with_capacity(text.len());
    let (mut dropped, mut changed) = (0, 0);
    for line in lines_with_ends(text) {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        match edit(body) {
            None => out.push_str(line),
            Some(edited) if is_blank(&edited) && !is_blank(body) => dropped += 1,
            Some(edited) => {
                changed += 1;
                out.push_str(&edited);
                out.push_str(end);
            }
        }
    }
    (out, dropped, changed)
}

fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace())
}

static RUBY_WITH_BAR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[｜|]([^｜|《》\n]+)《[^《》\n]*》").ok());
static RUBY: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"《[^《》\n]*》").ok());
static NOTE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"［＃[^］\n]*］").ok());

fn aozora(text: &str) -> (String, Option<String>) {
    let (Some(bar), Some(ruby), Some(note)) = (&*RUBY_WITH_BAR, &*RUBY, &*NOTE) else {
        return (text.to_owned(), None);
    };
    let (mut rubies, mut notes) = (0, 0);
    let (out, dropped, _) = edit_lines(text, |line| {
        let found_notes = note.find_iter(line).count();
        if found_notes == 0 && !ruby.is_match(line) {
            return None;
        }
        // A bar pair first; the rest of 《》 is ruby on the characters before it.
        let barred = bar.find_iter(line).count();
        let bare = bar.replace_all(line, "$1");
        rubies += barred + ruby.find_iter(&bare).count();
        notes += found_notes;
        let bare = ruby.replace_all(&bare, "");
        Some(note.replace_all(&bare, "").into_owned())
    });
    let note = (rubies + notes > 0).then(|| {
        format!("aozora: removed {rubies} ruby reading(s) and {notes} ［＃…］ note(s), {dropped} line(s) that held only notes")
    });
    (out, note)
}

static TIMESTAMP: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"[\[［(（][ \t]*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:[.,．]\d{1,3})?[ \t]*[\]］)）][ \t\u{3000}]*",
    )
    .ok()
});
static LEADING_TIMESTAMP: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^[ \t\u{3000}]*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:[.,．]\d{1,3})?(?:[ \t\u{3000}]+|$)",
    )
    .ok()
});

fn timestamps(text: &str) -> (String, Option<String>) {
    let (Some(stamp), Some(leading)) = (&*TIMESTAMP, &*LEADING_TIMESTAMP) else {
        return (text.to_owned(), None);
    };
    let mut removed = 0;
    let (out, dropped, _) = edit_lines(text, |line| {
        let count = stamp.find_iter(line).count() + usize::from(leading.is_match(line));
        if count == 0 {
            return None;
        }
        removed += count;
        let line = leading.replace(line, "");
        Some(stamp.replace_all(&line, "").into_owned())
    });
    let note = (removed > 0).then(|| {
        format!("timestamps: removed {removed} timestamp(s), {dropped} line(s) that held only timestamps")
    });
    (out, note)
}

/// `＠` (full-width) or `@` at a line start.
fn nucc_header(text: &str) -> (String, Vec<(String, String)>, Option<String>) {
    let mut attributes = Vec::new();
    let mut removed = 0;
    let mut out = String::with_capacity(text.len());
    for line in lines_with_ends(text) {
        let body = line.trim_end_matches(['\n', '\r']);
        let Some(rest) = body.strip_prefix('＠').or_else(|| body.strip_prefix('@')) else {
            out.push_str(line);
            continue;
        };
        removed += 1;
        let rest = rest.trim();
        if rest.eq_ignore_ascii_case("END") || rest == "ＥＮＤ" {
            continue;
        }
        let (key, value) = match rest.split_once(['：', ':']) {
            Some((key, value)) => (key.trim().to_owned(), value.trim().to_owned()),
            // `＠データ１（約３５分）`: the key is the words before the number, the value all of it.
            None => {
                let key: String = rest
                    .chars()
                    .take_while(|c| !c.is_numeric() && !matches!(c, '（' | '(' | ' ' | '\u{3000}'))
                    .collect();
                (key, rest.to_owned())
            }
        };
        if !key.is_empty()
            && !value.is_empty()
            && !attributes.iter().any(|(known, _)| *known == key)
        {
            attributes.push((key, value));
        }
    }
    let note = (removed > 0).then(|| {
        format!(
            "nucc-header: removed {removed} ＠ line(s), {} became case attributes",
            attributes.len()
        )
    });
    (out, attributes, note)
}

fn drop_lines(regex: &Regex, text: &str) -> (String, Option<String>) {
    let mut out = String::with_capacity(text.len());
    let mut removed = 0;
    for line in lines_with_ends(text) {
        if regex.is_match(line.trim_end_matches('\n')) {
            removed += 1;
        } else {
            out.push_str(line);
        }
    }
    let note =
        (removed > 0).then(|| format!("drop-lines:{}: removed {removed} line(s)", regex.as_str()));
    (out, note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(names: &str, drop: &[&str], text: &str) -> Filtered {
        let drop: Vec<String> = drop.iter().map(|pattern| (*pattern).to_owned()).collect();
        let filters = parse_filters(&[names.to_owned()], &drop).expect("filters");
        apply_filters(&filters, text)
    }

    #[test]
    fn aozora_ruby_and_notes_leave_the_base_text() {
        let text = "［＃ここから２字下げ］\n｜医療的ケア児《いりょうてきけあじ》の母親は相談支援専門員《そうだんしえんせんもんいん》に電話した。［＃「電話」に傍点］\n終わり\n";
        let filtered = run("aozora", &[], text);
        assert_eq!(
            filtered.text,
            "医療的ケア児の母親は相談支援専門員に電話した。\n終わり\n"
        );
        assert_eq!(
            filtered.notes,
            [
                "aozora: removed 2 ruby reading(s) and 2 ［＃…］ note(s), 1 line(s) that held only notes"
            ]
        );
    }

    #[test]
    fn timestamps_in_every_bracket_go_and_speaker_labels_stay_at_the_line_start() {
        let text = "[00:12:34] Ａ：はい、そうです。\n(00:12)\nＢ：えっと（00:13:05）それで\n［０：１４］Ａ：ええ\n01:02:03 Ａ：最後\n時刻は12:30でした\n";
        let filtered = run("timestamps", &[], text);
        assert_eq!(
            filtered.text,
            "Ａ：はい、そうです。\nＢ：えっとそれで\nＡ：ええ\nＡ：最後\n時刻は12:30でした\n"
        );
        assert_eq!(
            filtered.notes,
            ["timestamps: removed 5 timestamp(s), 1 line(s) that held only timestamps"]
        );
    }

    #[test]
    fn a_nucc_header_becomes_attributes_and_leaves_the_talk() {
        let text = "＠データ１（約３５分）\n＠収集年月日：２００１年１０月１６日\n＠場所：ファミリーレストラン\n＠参加者F107：女性３０代後半、愛知県幼少～学生～現在も愛知県在住\n＠参加者の関係：英会話教室の友人\nF107：＊＊＊の町というのはちいちゃくって。\nM023：うん。\n＠ＥＮＤ\n";
        let filtered = run("nucc-header", &[], text);
        assert_eq!(
            filtered.text,
            "F107：＊＊＊の町というのはちいちゃくって。\nM023：うん。\n"
        );
        let attributes: Vec<(&str, &str)> = filtered
            .attributes
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        assert_eq!(
            attributes,
            [
                ("データ", "データ１（約３５分）"),
                ("収集年月日", "２００１年１０月１６日"),
                ("場所", "ファミリーレストラン"),
                (
                    "参加者F107",
                    "女性３０代後半、愛知県幼少～学生～現在も愛知県在住"
                ),
                ("参加者の関係", "英会話教室の友人"),
            ]
        );
        assert_eq!(
            filtered.notes,
            ["nucc-header: removed 6 ＠ line(s), 5 became case attributes"]
        );
    }

    #[test]
    fn header_and_footer_lines_are_dropped_by_pattern() {
        let text = "○○市 障害福祉課 聞き取り記録\nＡ：はい。\n－ 1 －\nＢ：ええ。\n－ 2 －";
        let filtered = run("", &["^－ *[0-9]+ *－$", "聞き取り記録$"], text);
        assert_eq!(filtered.text, "Ａ：はい。\nＢ：ええ。\n");
        assert_eq!(
            filtered.notes,
            [
                "drop-lines:^－ *[0-9]+ *－$: removed 2 line(s)",
                "drop-lines:聞き取り記録$: removed 1 line(s)"
            ]
        );
    }

    #[test]
    fn unknown_names_and_bad_patterns_are_refused_and_order_is_fixed() {
        assert!(
            parse_filters(&["aozora,ruby".to_owned()], &[])
                .is_err_and(|e| e.starts_with("unknown filter 'ruby'"))
        );
        assert!(
            parse_filters(&[], &["(".to_owned()])
                .is_err_and(|e| e.starts_with("--drop-lines '(' is not a valid regex"))
        );
        let filters = parse_filters(
            &["aozora,timestamps,nucc-header,aozora".to_owned()],
            &["^#".to_owned()],
        )
        .expect("ok");
        let names: Vec<String> = filters.iter().map(Filter::name).collect();
        assert_eq!(
            names,
            ["drop-lines:^#", "nucc-header", "timestamps", "aozora"]
        );
    }

    #[test]
    fn text_without_markup_is_returned_unchanged_with_no_notes() {
        let text = "Ａ：《》は使いません。\nＢ：はい\n";
        let filtered = run("timestamps,nucc-header", &[], text);
        assert_eq!(
            filtered,
            Filtered {
                text: text.to_owned(),
                ..Filtered::default()
            }
        );
    }
}
