//! Every user-visible string of the workbench, in Japanese (the default) and English. Panels
//! take a `&Strings` and never spell a label themselves, so a language switch is one lookup and
//! a missing translation is a compile error.
//!
//! Command labels in the Edit menu ("元に戻す: コードの適用") come from the core
//! (`Command::label`) and are shown as they are.

pub mod centre;
pub mod corpus;
pub mod import;
pub mod jobs;
pub mod revise;
pub mod server;
pub mod team;
pub mod workbench;

use serde::{Deserialize, Serialize};

use crate::model::AttributeKind;

use crate::ui::i18n::centre::{CentreStrings, ENGLISH_CENTRE, JAPANESE_CENTRE};
use crate::ui::i18n::corpus::{CorpusStrings, ENGLISH_CORPUS, JAPANESE_CORPUS};
use crate::ui::i18n::import::{ENGLISH_IMPORT, ImportStrings, JAPANESE_IMPORT};
use crate::ui::i18n::jobs::{ENGLISH_JOBS, JAPANESE_JOBS, JobStrings};
use crate::ui::i18n::revise::{ENGLISH_REVISE, JAPANESE_REVISE, ReviseStrings};
use crate::ui::i18n::server::{ENGLISH_SERVER, JAPANESE_SERVER, ServerStrings};
use crate::ui::i18n::team::{ENGLISH_TEAM, JAPANESE_TEAM, TeamStrings};
use crate::ui::i18n::workbench::{ENGLISH_WORKBENCH, JAPANESE_WORKBENCH, WorkbenchStrings};

/// The language of the user interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Language {
    /// 日本語 (the default).
    #[default]
    Japanese,
    /// English.
    English,
}

impl Language {
    /// The strings of this language.
    pub fn strings(self) -> &'static Strings {
        match self {
            Language::Japanese => &JAPANESE,
            Language::English => &ENGLISH,
        }
    }
}

/// The labels of the workbench. Fields holding `{}` are templates filled with [`fill`].
#[derive(Debug)]
pub struct Strings {
    pub app_title: &'static str,
    // Menus.
    pub menu_file: &'static str,
    pub menu_edit: &'static str,
    pub menu_settings: &'static str,
    pub open_project: &'static str,
    pub new_project: &'static str,
    pub import_transcripts: &'static str,
    pub close_project: &'static str,
    pub quit: &'static str,
    pub undo: &'static str,
    pub redo: &'static str,
    pub undo_with: &'static str,
    pub redo_with: &'static str,
    pub nothing_to_undo: &'static str,
    pub nothing_to_redo: &'static str,
    // Start screen.
    pub start_heading: &'static str,
    pub start_intro: &'static str,
    pub recent_projects: &'static str,
    pub no_recent_projects: &'static str,
    pub open_by_dialog: &'static str,
    pub path_hint: &'static str,
    pub open_typed_path: &'static str,
    pub create_typed_path: &'static str,
    pub open_sample: &'static str,
    pub drop_hint: &'static str,
    pub remove_from_list: &'static str,
    pub dialog_unavailable: &'static str,
    // Left panel.
    pub cases: &'static str,
    pub case: &'static str,
    pub documents: &'static str,
    pub no_documents: &'static str,
    pub characters: &'static str,
    pub project_memo: &'static str,
    pub group_by: &'static str,
    pub group_none: &'static str,
    pub no_value: &'static str,
    pub edit_value_hint: &'static str,
    pub value_invalid: &'static str,
    pub kind_names: [&'static str; 4],
    pub case_named: &'static str,
    pub document_named: &'static str,
    pub code_named: &'static str,
    pub coding_of: &'static str,
    pub memo_target_missing: &'static str,
    pub name_taken: &'static str,
    pub memo: &'static str,
    pub memo_unsaved: &'static str,
    // Transcript.
    pub choose_document: &'static str,
    pub quick_code: &'static str,
    pub quick_code_hint: &'static str,
    pub selection: &'static str,
    pub no_selection: &'static str,
    pub clear_selection: &'static str,
    pub remove_coding: &'static str,
    pub set_exemplar: &'static str,
    pub unset_exemplar: &'static str,
    pub edit_memo: &'static str,
    pub memo_of: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub exemplar_badge: &'static str,
    pub coded_by: &'static str,
    // Code tree.
    pub codes: &'static str,
    pub new_code: &'static str,
    pub new_code_hint: &'static str,
    pub create: &'static str,
    pub create_under: &'static str,
    pub top_level: &'static str,
    pub rename: &'static str,
    pub delete: &'static str,
    pub delete_title: &'static str,
    pub delete_question: &'static str,
    pub segments: &'static str,
    pub apply_hint: &'static str,
    pub no_codes: &'static str,
    pub deselect: &'static str,
    pub level_names: [&'static str; 3],
    pub details: &'static str,
    pub details_of: &'static str,
    pub definition: &'static str,
    pub color: &'static str,
    pub color_inherit: &'static str,
    pub color_invalid: &'static str,
    pub roles: &'static str,
    pub merge: &'static str,
    pub merge_title: &'static str,
    pub merge_choose: &'static str,
    pub merge_filter: &'static str,
    pub merge_question: &'static str,
    pub merge_button: &'static str,
    pub drop_top: &'static str,
    pub move_into_itself: &'static str,
    pub drag_hint: &'static str,
    pub counts_hint: &'static str,
    pub case_count: &'static str,
    // Settings.
    pub settings_title: &'static str,
    pub coder_name: &'static str,
    pub language: &'static str,
    pub font_file: &'static str,
    pub font_hint: &'static str,
    pub font_in_use: &'static str,
    pub font_none: &'static str,
    pub apply_font: &'static str,
    pub dictionary_folder: &'static str,
    pub dictionary_hint: &'static str,
    pub dictionary_note: &'static str,
    pub theme: &'static str,
    pub theme_system: &'static str,
    pub theme_light: &'static str,
    pub theme_dark: &'static str,
    pub text_size: &'static str,
    pub close: &'static str,
    // Status messages.
    pub opened: &'static str,
    pub imported: &'static str,
    pub import_needs_project: &'static str,
    pub nothing_to_import: &'static str,
    pub select_text_first: &'static str,
    pub error: &'static str,
    /// The centre tabs' labels.
    pub centre: &'static CentreStrings,
    /// The import dialogs' labels.
    pub import: &'static ImportStrings,
    /// The corpus views' labels (speakers, stop words, 共起, 自動コーディング).
    pub corpus: &'static CorpusStrings,
    /// The workbench's coder prompt, status counts, filters and chart.
    pub workbench: &'static WorkbenchStrings,
    /// The team-coding views' labels (一致率, 調整).
    pub team: &'static TeamStrings,
    /// The revision views' labels (孤立コーディング, 要確認).
    pub revise: &'static ReviseStrings,
    /// The team server's labels (サーバーに接続…, notices, the lost-connection banner).
    pub server: &'static ServerStrings,
    /// What the progress bars of background work say (issue 17).
    pub jobs: &'static JobStrings,
}

/// 日本語.
pub static JAPANESE: Strings = Strings {
    app_title: "casecode — 質的データ分析ワークベンチ",
    menu_file: "ファイル",
    menu_edit: "編集",
    menu_settings: "設定",
    open_project: "プロジェクトを開く…",
    new_project: "新しいプロジェクト…",
    import_transcripts: "逐語録を取り込む…",
    close_project: "プロジェクトを閉じる",
    quit: "終了",
    undo: "元に戻す",
    redo: "やり直し",
    undo_with: "元に戻す: {}",
    redo_with: "やり直し: {}",
    nothing_to_undo: "元に戻す操作はありません",
    nothing_to_redo: "やり直す操作はありません",
    start_heading: "casecode",
    start_intro: "逐語録にコードを付け、事例-コード・マトリックスで読み解くためのワークベンチです。",
    recent_projects: "最近のプロジェクト",
    no_recent_projects: "まだありません。",
    open_by_dialog: "ファイルを選んで開く…",
    path_hint: "プロジェクトファイルのパス（例: ~/研究/study.casecode）",
    open_typed_path: "開く",
    create_typed_path: "新規作成",
    open_sample: "サンプル研究を開く",
    drop_hint: ".casecode ファイルをここにドロップすると開きます。.txt・.docx ファイルやフォルダーは取り込み、.qdpx・.qdc・.csv・.xlsx は取り込みの画面を開きます。",
    remove_from_list: "一覧から外す",
    dialog_unavailable: "ダイアログが開かない環境では、下の欄にパスを入力してください。",
    cases: "事例と文書",
    case: "事例",
    documents: "文書",
    no_documents: "文書がありません。.txt・.docx ファイルかフォルダーをドロップして取り込んでください。",
    characters: "字",
    project_memo: "プロジェクトメモ",
    group_by: "グループ",
    group_none: "なし",
    no_value: "（値なし）",
    edit_value_hint: "クリックして編集（Enter で確定、空にすると削除、Esc で取り消し）",
    value_invalid: "「{}」は{}として読めません。何も変更していません。",
    kind_names: ["整数", "数値", "日付（例: 2024-08-05）", "テキスト"],
    case_named: "事例「{}」",
    document_named: "文書「{}」",
    code_named: "コード「{}」",
    coding_of: "コーディング（{}）",
    memo_target_missing: "メモの対象がプロジェクトにありません（削除されたかもしれません）",
    name_taken: "「{}」の下にはすでに「{}」という名前のコードがあります",
    memo: "メモ",
    memo_unsaved: "未保存の変更があります",
    choose_document: "左の一覧から文書を選んでください。",
    quick_code: "クイックコード",
    quick_code_hint: "コード名を入力して絞り込み、Enter で適用",
    selection: "選択",
    no_selection: "テキストをドラッグして選択し、コードの ✓・ダブルクリック・Ctrl+Enter で適用します。",
    clear_selection: "選択解除",
    remove_coding: "コーディングを削除",
    set_exemplar: "代表的語りに設定",
    unset_exemplar: "代表的語りを解除",
    edit_memo: "メモを編集…",
    memo_of: "メモ: {}",
    save: "保存",
    cancel: "キャンセル",
    exemplar_badge: "代表的語り",
    coded_by: "コーダー: {}",
    codes: "コード",
    new_code: "新しいコード",
    new_code_hint: "コード名",
    create: "作成",
    create_under: "作成先: {}",
    top_level: "（最上位）",
    rename: "名前を変更",
    delete: "削除…",
    delete_title: "コードの削除",
    delete_question: "「{}」を削除しますか？ 下位コード {} 件と文書セグメント {} 件も削除されます（元に戻せます）。",
    segments: "セグメント",
    apply_hint: "✓ またはダブルクリックで選択範囲に適用（選んでから Ctrl+Enter でも適用）。クリックは選ぶだけです",
    no_codes: "コードがありません。下の欄で作成してください。",
    deselect: "選択を外す",
    level_names: ["カテゴリー", "サブカテゴリー", "焦点コード"],
    details: "詳細…",
    details_of: "コードの詳細: {}",
    definition: "定義",
    color: "色",
    color_inherit: "親の色を使う",
    color_invalid: "色は #RRGGBB の形で書いてください",
    roles: "役割",
    merge: "統合…",
    merge_title: "コードの統合",
    merge_choose: "統合先のコード",
    merge_filter: "統合先を絞り込む",
    merge_question: "「{}」を「{}」に統合しますか？ 文書セグメント {} 件と下位コード {} 件が移り、「{}」は削除されます（元に戻せます）。",
    merge_button: "統合",
    drop_top: "ここにドロップすると最上位へ移動",
    move_into_itself: "「{}」はそれ自身やその下位コードの中には移動できません",
    drag_hint: "ドラッグして別のコードに重ねると、その下へ移動します",
    counts_hint: "文書セグメント（このコード / 下位を含む）・事例数",
    case_count: "{}事例",
    settings_title: "設定",
    coder_name: "コーダー名",
    language: "言語",
    font_file: "日本語フォント",
    font_hint: "フォントファイルのパス（.ttf / .otf / .ttc）。空なら自動で探します。",
    font_in_use: "使用中: {}",
    font_none: "日本語フォントが見つかりません。fonts-noto-cjk を入れるか、フォントファイルを指定してください。",
    apply_font: "適用",
    dictionary_folder: "形態素解析の辞書",
    dictionary_hint: "IPADIC のソースか作成済み辞書のフォルダー。空なら自動",
    dictionary_note: "空なら CASECODE_DICTIONARY・CASECODE_IPADIC_SOURCE、次に Debian の mecab-ipadic を使います。",
    theme: "テーマ",
    theme_system: "システム",
    theme_light: "ライト",
    theme_dark: "ダーク",
    text_size: "逐語録の文字サイズ",
    close: "閉じる",
    opened: "{} を開きました",
    imported: "{} 件の文書を取り込みました",
    import_needs_project: "取り込むには、先にプロジェクトを開くか作成してください",
    nothing_to_import: "取り込める逐語録（.txt・.docx）がありません",
    select_text_first: "先に逐語録のテキストを選択してください",
    error: "エラー: {}",
    centre: &JAPANESE_CENTRE,
    import: &JAPANESE_IMPORT,
    corpus: &JAPANESE_CORPUS,
    workbench: &JAPANESE_WORKBENCH,
    team: &JAPANESE_TEAM,
    revise: &JAPANESE_REVISE,
    server: &JAPANESE_SERVER,
    jobs: &JAPANESE_JOBS,
};

/// English.
pub static ENGLISH: Strings = Strings {
    app_title: "casecode — qualitative data analysis workbench",
    menu_file: "File",
    menu_edit: "Edit",
    menu_settings: "Settings",
    open_project: "Open project…",
    new_project: "New project…",
    import_transcripts: "Import transcripts…",
    close_project: "Close project",
    quit: "Quit",
    undo: "Undo",
    redo: "Redo",
    undo_with: "Undo: {}",
    redo_with: "Redo: {}",
    nothing_to_undo: "Nothing to undo",
    nothing_to_redo: "Nothing to redo",
    start_heading: "casecode",
    start_intro: "A workbench to code transcripts and read them through a case-code matrix.",
    recent_projects: "Recent projects",
    no_recent_projects: "None yet.",
    open_by_dialog: "Choose a file…",
    path_hint: "Path of a project file (e.g. ~/research/study.casecode)",
    open_typed_path: "Open",
    create_typed_path: "Create",
    open_sample: "Open the sample study",
    drop_hint: "Drop a .casecode file here to open it; .txt and .docx files and folders are imported; .qdpx, .qdc, .csv and .xlsx open the import window.",
    remove_from_list: "Remove from list",
    dialog_unavailable: "Where no file dialog opens, type the path below.",
    cases: "Cases and documents",
    case: "Case",
    documents: "documents",
    no_documents: "No documents yet. Drop .txt or .docx files, or a folder, to import them.",
    characters: "chars",
    project_memo: "Project memo",
    group_by: "Group by",
    group_none: "None",
    no_value: "(no value)",
    edit_value_hint: "Click to edit (Enter saves, empty clears, Esc cancels)",
    value_invalid: "“{}” is not a valid {}. Nothing was changed.",
    kind_names: ["integer", "number", "date (e.g. 2024-08-05)", "text"],
    case_named: "case “{}”",
    document_named: "document “{}”",
    code_named: "code “{}”",
    coding_of: "coding ({})",
    memo_target_missing: "What the memo belongs to is no longer in the project (it may have been deleted)",
    name_taken: "“{}” already has a code named “{}”",
    memo: "Memo",
    memo_unsaved: "Unsaved changes",
    choose_document: "Choose a document on the left.",
    quick_code: "Quick code",
    quick_code_hint: "Type to filter codes, Enter applies",
    selection: "Selection",
    no_selection: "Drag over text to select it, then apply a code with its ✓, a double-click or Ctrl+Enter.",
    clear_selection: "Clear",
    remove_coding: "Remove coding",
    set_exemplar: "Flag as exemplar",
    unset_exemplar: "Unflag exemplar",
    edit_memo: "Edit memo…",
    memo_of: "Memo: {}",
    save: "Save",
    cancel: "Cancel",
    exemplar_badge: "exemplar",
    coded_by: "coder: {}",
    codes: "Codes",
    new_code: "New code",
    new_code_hint: "Code name",
    create: "Create",
    create_under: "Under: {}",
    top_level: "(top level)",
    rename: "Rename",
    delete: "Delete…",
    delete_title: "Delete code",
    delete_question: "Delete “{}”? Its {} subcode(s) and {} segment(s) go with it (undoable).",
    segments: "segments",
    apply_hint: "✓ or a double-click applies it to the selection (or select it, then Ctrl+Enter); a click only selects",
    no_codes: "No codes yet. Create one below.",
    deselect: "Deselect",
    level_names: ["Category", "Subcategory", "Focus code"],
    details: "Details…",
    details_of: "Code details: {}",
    definition: "Definition",
    color: "Colour",
    color_inherit: "Use the parent's colour",
    color_invalid: "Write the colour as #RRGGBB",
    roles: "Roles",
    merge: "Merge…",
    merge_title: "Merge codes",
    merge_choose: "Merge into",
    merge_filter: "Filter the target codes",
    merge_question: "Merge “{}” into “{}”? {} segment(s) and {} subcode(s) move, and “{}” is deleted (undoable).",
    merge_button: "Merge",
    drop_top: "Drop here to move to the top level",
    move_into_itself: "“{}” cannot move into itself or one of its own subcodes",
    drag_hint: "Drag onto another code to move it under that code",
    counts_hint: "Segments (this code / with subcodes) · cases",
    case_count: "{} cases",
    settings_title: "Settings",
    coder_name: "Coder name",
    language: "Language",
    font_file: "Japanese font",
    font_hint: "Path of a font file (.ttf / .otf / .ttc). Empty: found automatically.",
    font_in_use: "In use: {}",
    font_none: "No Japanese font found. Install fonts-noto-cjk or choose a font file.",
    apply_font: "Apply",
    dictionary_folder: "Morphological dictionary",
    dictionary_hint: "an IPADIC source or a built dictionary folder; empty: automatic",
    dictionary_note: "Empty: CASECODE_DICTIONARY, CASECODE_IPADIC_SOURCE, then Debian's mecab-ipadic.",
    theme: "Theme",
    theme_system: "System",
    theme_light: "Light",
    theme_dark: "Dark",
    text_size: "Transcript text size",
    close: "Close",
    opened: "Opened {}",
    imported: "Imported {} document(s)",
    import_needs_project: "Open or create a project first, then import transcripts into it",
    nothing_to_import: "No transcripts (.txt, .docx) to import",
    select_text_first: "Select text in the transcript first",
    error: "Error: {}",
    centre: &ENGLISH_CENTRE,
    import: &ENGLISH_IMPORT,
    corpus: &ENGLISH_CORPUS,
    workbench: &ENGLISH_WORKBENCH,
    team: &ENGLISH_TEAM,
    revise: &ENGLISH_REVISE,
    server: &ENGLISH_SERVER,
    jobs: &ENGLISH_JOBS,
};

impl Strings {
    /// The name of an attribute kind (整数, 数値, 日付, テキスト).
    pub fn kind_name(&self, kind: AttributeKind) -> &'static str {
        let index = match kind {
            AttributeKind::Integer => 0,
            AttributeKind::Number => 1,
            AttributeKind::Date => 2,
            AttributeKind::Text => 3,
        };
        self.kind_names.get(index).copied().unwrap_or_default()
    }
}

/// Fills the `{}` placeholders of a template in order; extra arguments are ignored and missing
/// ones leave the placeholder empty.
pub fn fill(template: &str, arguments: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut arguments = arguments.iter();
    let mut rest = template;
    while let Some(index) = rest.find("{}") {
        out.push_str(&rest[..index]);
        if let Some(argument) = arguments.next() {
            out.push_str(&argument.to_string());
        }
        rest = &rest[index + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_arguments_in_order() {
        assert_eq!(
            fill(JAPANESE.delete_question, &[&"[在宅]", &1, &12]),
            "「[在宅]」を削除しますか？ 下位コード 1 件と文書セグメント 12 件も削除されます（元に戻せます）。"
        );
        assert_eq!(fill("{} and {}", &[&"a"]), "a and ");
    }
}
