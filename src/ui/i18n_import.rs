//! Labels of the import dialogs (REFI-QDA projects and codebooks, surveys) and of the import
//! report, in Japanese and English; [`super::i18n::Strings`] reaches them through its
//! `import` field.

/// The labels of the import dialogs. Fields holding `{}` are templates filled with
/// [`super::i18n::fill`].
#[derive(Debug)]
pub struct ImportStrings {
    pub menu_exchange: &'static str,
    pub menu_survey: &'static str,
    pub title_exchange: &'static str,
    pub title_survey: &'static str,
    pub file: &'static str,
    pub read: &'static str,
    pub exchange_intro: &'static str,
    pub import_button: &'static str,
    pub sheet: &'static str,
    /// `{rows} 行・{columns} 列（{encoding}）`.
    pub survey_size: &'static str,
    pub column: &'static str,
    pub role: &'static str,
    pub first_value: &'static str,
    /// Skip, case name, text, attribute: the order of `ColumnRole`'s variants.
    pub role_names: [&'static str; 4],
    /// `{cases} 事例・{documents} 文書（空欄 {empty} 件は除く）`.
    pub survey_preview: &'static str,
    pub survey_attributes: &'static str,
    pub no_attributes: &'static str,
    pub no_id_column: &'static str,
    pub read_first: &'static str,
    /// `取り込み中: {file}`.
    pub importing_file: &'static str,
    /// `{label}: {counts}`, the status line after a REFI-QDA import.
    pub exchange_done: &'static str,
    /// `{cases} 事例・{documents} 文書を {file} から取り込みました`.
    pub survey_done: &'static str,
    /// `{message}（警告 {count} 件）`: an import's message when it has warnings.
    pub with_warnings: &'static str,
    pub report_title: &'static str,
    /// `{} 件の警告`.
    pub warnings: &'static str,
    pub close: &'static str,
}

pub const JAPANESE_IMPORT: ImportStrings = ImportStrings {
    menu_exchange: "REFI-QDA を取り込む（.qdpx・.qdc）…",
    menu_survey: "アンケートを取り込む（CSV・XLSX）…",
    title_exchange: "REFI-QDA を取り込む",
    title_survey: "アンケートを取り込む",
    file: "ファイル",
    read: "読み込む",
    exchange_intro: "MAXQDA・NVivo・ATLAS.ti・QualCoder などが書き出した .qdpx（プロジェクト）か .qdc（コードブック）を、このプロジェクトに加えます。文書・事例・属性・コード・コーディング・メモを取り込み、残せない要素は警告として一覧にします。元に戻すで取り消せます。",
    import_button: "取り込む",
    sheet: "シート",
    survey_size: "{} 行・{} 列（{}）",
    column: "列",
    role: "扱い",
    first_value: "1 行目の値",
    role_names: ["使わない", "事例名", "自由記述（文書）", "属性"],
    survey_preview: "{} 事例・{} 文書（空欄 {} 件は除く）",
    survey_attributes: "属性",
    no_attributes: "属性なし",
    no_id_column: "事例名の列がないときは、ファイル名と行番号（例: アンケート-001）で事例を名付けます。",
    read_first: "ファイルを指定して「読み込む」を押してください。",
    importing_file: "取り込み中: {}",
    exchange_done: "{}: {}",
    survey_done: "{} 事例・{} 文書を取り込みました（{}）",
    with_warnings: "{}（警告 {} 件。一覧は「取り込みの報告」に）",
    report_title: "取り込みの報告",
    warnings: "{} 件の警告",
    close: "閉じる",
};

pub const ENGLISH_IMPORT: ImportStrings = ImportStrings {
    menu_exchange: "Import REFI-QDA (.qdpx, .qdc)…",
    menu_survey: "Import a survey (CSV, XLSX)…",
    title_exchange: "Import REFI-QDA",
    title_survey: "Import a survey",
    file: "File",
    read: "Read",
    exchange_intro: "Adds a .qdpx project or .qdc codebook written by MAXQDA, NVivo, ATLAS.ti, QualCoder … to this project: documents, cases, attributes, codes, codings and memos. Whatever cannot be kept is listed as a warning. Undo takes it back.",
    import_button: "Import",
    sheet: "Sheet",
    survey_size: "{} rows, {} columns ({})",
    column: "Column",
    role: "Use as",
    first_value: "First row",
    role_names: [
        "not used",
        "case name",
        "free text (documents)",
        "attribute",
    ],
    survey_preview: "{} cases, {} documents ({} empty answers left out)",
    survey_attributes: "Attributes",
    no_attributes: "no attributes",
    no_id_column: "Without a case-name column, cases are named by file and row (e.g. survey-001).",
    read_first: "Name a file and press Read.",
    importing_file: "Importing {}",
    exchange_done: "{}: {}",
    survey_done: "Imported {} cases and {} documents ({})",
    with_warnings: "{} ({} warnings, listed in the import report)",
    report_title: "Import report",
    warnings: "{} warnings",
    close: "Close",
};
