//! Labels of the revision views in Japanese and English: the orphan review window (codings
//! whose text a revision deleted, and codings flagged 要確認) and its status-line count.
//! [`super::Strings`] reaches them through its `revise` field.

/// The labels of the revision views. Fields holding `{}` are templates filled with
/// [`super::fill`].
#[derive(Debug)]
pub struct ReviseStrings {
    pub menu_orphans: &'static str,
    pub window_title: &'static str,
    pub status_count: &'static str,
    pub status_hint: &'static str,
    pub orphans_heading: &'static str,
    pub reviews_heading: &'static str,
    pub no_orphans: &'static str,
    pub no_reviews: &'static str,
    pub column_old_text: &'static str,
    pub column_text: &'static str,
    pub column_code: &'static str,
    pub column_coder: &'static str,
    pub column_document: &'static str,
    pub column_reason: &'static str,
    pub reattach: &'static str,
    pub reattach_hint: &'static str,
    pub reattach_needs_selection: &'static str,
    pub delete: &'static str,
    pub show: &'static str,
    pub unknown_document: &'static str,
}

/// 日本語.
pub static JAPANESE_REVISE: ReviseStrings = ReviseStrings {
    menu_orphans: "孤立コーディングと要確認…",
    window_title: "孤立コーディングと要確認",
    status_count: "要確認 {}",
    status_hint: "改訂で本文を失ったコーディング（孤立）と、範囲が変わったコーディングの一覧を開く",
    orphans_heading: "孤立コーディング（本文が削除された）",
    reviews_heading: "要確認のコーディング",
    no_orphans: "孤立コーディングはありません",
    no_reviews: "要確認のコーディングはありません",
    column_old_text: "元のテキスト",
    column_text: "現在のテキスト",
    column_code: "コード",
    column_coder: "コーダー",
    column_document: "文書",
    column_reason: "理由",
    reattach: "再付与",
    reattach_hint: "逐語録で選択中のテキストにこのコーディングを付け直す",
    reattach_needs_selection: "先にこの文書（{}）の逐語録でテキストを選択してください",
    delete: "削除",
    show: "表示",
    unknown_document: "（不明な文書）",
};

/// English.
pub static ENGLISH_REVISE: ReviseStrings = ReviseStrings {
    menu_orphans: "Orphans and codings to review…",
    window_title: "Orphans and codings to review",
    status_count: "To review: {}",
    status_hint: "Open the list of codings whose text a revision deleted (orphans) or changed",
    orphans_heading: "Orphans (their text was deleted)",
    reviews_heading: "Codings to review",
    no_orphans: "No orphans",
    no_reviews: "No codings to review",
    column_old_text: "Old text",
    column_text: "Current text",
    column_code: "Code",
    column_coder: "Coder",
    column_document: "Document",
    column_reason: "Reason",
    reattach: "Re-attach",
    reattach_hint: "Attach this coding to the text selected in the transcript",
    reattach_needs_selection: "Select text in the transcript of this document ({}) first",
    delete: "Delete",
    show: "Show",
    unknown_document: "(unknown document)",
};
