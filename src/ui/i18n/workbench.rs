//! Strings of the workbench shell added with issue 11: the coder prompt, the status line's
//! counts and coder, the refusal of a duplicate coding, the crosstab chart and the filter
//! widget shared by the matrix, crosstab and export windows.

/// The labels; fields holding `{}` are templates filled with [`crate::ui::i18n::fill`].
#[derive(Debug)]
pub struct WorkbenchStrings {
    /// The same code on the same span by the same coder: path, start, end, coder.
    pub already_coded: &'static str,
    /// The status line's counts of cases, documents and codes, for many and for one (English
    /// needs the singular), and what stands between them.
    pub status_counts: [&'static str; 3],
    pub status_counts_one: [&'static str; 3],
    pub status_separator: &'static str,
    /// The status line's current coder.
    pub status_coder: &'static str,
    pub status_coder_hint: &'static str,
    pub coder_title: &'static str,
    pub coder_intro: &'static str,
    pub coder_name: &'static str,
    pub coder_ok: &'static str,
    pub coder_empty: &'static str,
    pub coder_set: &'static str,
    // The filter widget.
    pub filter: &'static str,
    pub filter_none: &'static str,
    pub filter_hint: &'static str,
    pub filter_attributes: &'static str,
    pub filter_documents: &'static str,
    pub filter_clear: &'static str,
    pub filter_documents_count: &'static str,
    // The crosstab chart.
    pub chart_resize: &'static str,
    pub chart_bar: &'static str,
    // The matrix's group subtotals.
    pub subtotal: &'static str,
    pub subtotals: &'static str,
    /// The transposed matrix's size: codes (rows) × cases.
    pub matrix_size_transposed: &'static str,
}

/// 日本語.
pub static JAPANESE_WORKBENCH: WorkbenchStrings = WorkbenchStrings {
    already_coded: "「{}」はこの範囲 [{}, {}) にすでに付いています（コーダー: {}）。同じコードは一度だけ付けられます",
    status_counts: ["{} 事例", "{} 文書", "{} コード"],
    status_counts_one: ["{} 事例", "{} 文書", "{} コード"],
    status_separator: " ・ ",
    status_coder: "コーダー: {}",
    status_coder_hint: "新しいコーディングに記録される名前（設定で変えられます）",
    coder_title: "誰がコーディングしますか",
    coder_intro: "コーディングには、付けた人の名前が記録されます。チームで分析するときに誰の判断かを区別するためです。あとから設定で変えられます。",
    coder_name: "コーダー名",
    coder_ok: "この名前で始める",
    coder_empty: "名前を入力してください",
    coder_set: "コーダー名を「{}」にしました",
    filter: "絞り込み",
    filter_none: "すべての事例と文書",
    filter_hint: "属性の値（CLI の --where）や文書で、表に入る事例と文書セグメントを絞り込みます。同じ属性の値はどれか、別の属性はすべてを満たすものです",
    filter_attributes: "属性の値",
    filter_documents: "文書",
    filter_clear: "絞り込みを解除",
    filter_documents_count: "文書 {} 件",
    chart_resize: "境界をドラッグしてグラフの高さを変えられます",
    chart_bar: "{}: {}",
    subtotal: "小計",
    subtotals: "グループ小計",
    matrix_size_transposed: "{} 行 × {} 事例",
};

/// English.
pub static ENGLISH_WORKBENCH: WorkbenchStrings = WorkbenchStrings {
    already_coded: "“{}” is already applied to [{}, {}) by coder {}; a code is applied to a span once",
    status_counts: ["{} cases", "{} documents", "{} codes"],
    status_counts_one: ["{} case", "{} document", "{} code"],
    status_separator: " · ",
    status_coder: "Coder: {}",
    status_coder_hint: "The name recorded on new codings (change it in the settings)",
    coder_title: "Who is coding?",
    coder_intro: "Every coding records who made it, so that a team can tell its members' decisions apart. You can change the name later in the settings.",
    coder_name: "Coder name",
    coder_ok: "Start with this name",
    coder_empty: "Enter a name",
    coder_set: "The coder name is now “{}”",
    filter: "Filter",
    filter_none: "All cases and documents",
    filter_hint: "Limit the cases and segments of the table by attribute values (the CLI's --where) and by documents. Values of one attribute are alternatives; different attributes must all hold",
    filter_attributes: "Attribute values",
    filter_documents: "Documents",
    filter_clear: "Clear the filter",
    filter_documents_count: "{} documents",
    chart_resize: "Drag the border to change the chart's height",
    chart_bar: "{}: {}",
    subtotal: "Subtotal",
    subtotals: "Group subtotals",
    matrix_size_transposed: "{} rows × {} cases",
};

impl WorkbenchStrings {
    /// 「10 事例 ・ 10 文書 ・ 63 コード」 / "10 cases · 10 documents · 63 codes" (one: "1 case").
    pub fn counts(&self, cases: usize, documents: usize, codes: usize) -> String {
        [cases, documents, codes]
            .iter()
            .zip(self.status_counts.iter().zip(&self.status_counts_one))
            .map(|(count, (many, one))| {
                let template = if *count == 1 { one } else { many };
                crate::ui::i18n::fill(template, &[count])
            })
            .collect::<Vec<_>>()
            .join(self.status_separator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_status_counts_are_lower_case_and_agree_in_number() {
        assert_eq!(
            ENGLISH_WORKBENCH.counts(10, 11, 63),
            "10 cases · 11 documents · 63 codes"
        );
        assert_eq!(
            ENGLISH_WORKBENCH.counts(1, 1, 0),
            "1 case · 1 document · 0 codes"
        );
        assert_eq!(
            JAPANESE_WORKBENCH.counts(10, 10, 63),
            "10 事例 ・ 10 文書 ・ 63 コード"
        );
    }
}
