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
    /// Shown under a result that is being recomputed.
    pub previous_shown: &'static str,
}

/// 日本語.
pub static JAPANESE_JOBS: JobStrings = JobStrings {
    opening: "プロジェクトを開いています: {}",
    reading: "プロジェクトを読み込んでいます…",
    matrix: "マトリックスを作成しています…",
    crosstab: "クロス集計を計算しています…",
    frequency: "頻出語を数えています…",
    counts: "コードの件数を数えています…",
    previous_shown: "新しい結果ができるまで、前の結果を表示しています。",
};

/// English.
pub static ENGLISH_JOBS: JobStrings = JobStrings {
    opening: "Opening the project: {}",
    reading: "Reading the project…",
    matrix: "Building the matrix…",
    crosstab: "Counting the crosstab…",
    frequency: "Counting word frequencies…",
    counts: "Counting the codes' segments…",
    previous_shown: "The previous result is shown until the new one is ready.",
};
