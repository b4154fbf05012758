//! Labels of the work the workbench does on worker threads (issue 17): what each progress bar
//! says while a project opens or a view is computed. [`super::Strings`] reaches them through its
//! `jobs` field.

/// What the progress bars say.
#[derive(Debug)]
pub struct JobStrings {
    /// Opening a project file: `{}` is the file.
    pub opening: &'static str,
    /// Reading the project for the analysis tabs.
    pub reading: &'static str,
    /// Building the matrix.
    pub matrix: &'static str,
    /// Counting the crosstab.
    pub crosstab: &'static str,
    /// Counting the word frequencies.
    pub frequency: &'static str,
    /// Counting the code tree's segments after a change.
    pub counts: &'static str,
    /// Under a code's unmatched segments in 一致率: `{}` not listed, `{}` listed.
    pub more_unmatched: &'static str,
    /// Reading another document for the transcript: `{}` is its name.
    pub document: &'static str,
    /// Reading the project again after a change.
    pub refreshing: &'static str,
    /// Computing the co-occurrence of codes.
    pub cooccurrence: &'static str,
    /// Searching the transcripts (KWIC).
    pub searching: &'static str,
    /// Comparing auto-coding suggestions with the codings already made.
    pub suggestions: &'static str,
    /// Collecting the two coders' spans of a disagreement (調整).
    pub lanes: &'static str,
}

/// 日本語.
pub static JAPANESE_JOBS: JobStrings = JobStrings {
    opening: "プロジェクトを開いています: {}",
    reading: "プロジェクトを読み込んでいます…",
    matrix: "マトリックスを作成しています…",
    crosstab: "クロス集計を計算しています…",
    frequency: "頻出語を数えています…",
    counts: "コードの件数を数えています…",
    more_unmatched: "ほかに {} 件（先頭の {} 件を表示）",
    document: "文書を読み込んでいます: {}",
    refreshing: "変更を読み込んでいます…",
    cooccurrence: "共起を計算しています…",
    searching: "検索しています…",
    suggestions: "提案と既存のコーディングを照合しています…",
    lanes: "コーダーの区間を集めています…",
};

/// English.
pub static ENGLISH_JOBS: JobStrings = JobStrings {
    opening: "Opening the project: {}",
    reading: "Reading the project…",
    matrix: "Building the matrix…",
    crosstab: "Counting the crosstab…",
    frequency: "Counting word frequencies…",
    counts: "Counting the codes' segments…",
    more_unmatched: "{} more (the first {} are listed)",
    document: "Reading the document: {}",
    refreshing: "Reading the change…",
    cooccurrence: "Computing co-occurrence…",
    searching: "Searching…",
    suggestions: "Comparing suggestions with the codings made…",
    lanes: "Collecting the coders' spans…",
};
