//! A tiny study built by hand, for the unit tests of the analyses: no project file, no SQL.

use crate::model::{
    Attribute, AttributeId, AttributeKind, AttributeValue, Case, CaseId, CellMark, CellState, Code,
    CodeId, CodeRole, Coding, CodingId, Document, DocumentId, DocumentInfo, Frame, FrameId, Role,
    RoleId, Rows, Span, Summary, SummaryId, SummarySegment, Utterance,
};
use crate::text::SpeakerPatterns;

use super::data::AnalysisData;

/// Rows under construction; ids are handed out in order.
#[derive(Default)]
pub(crate) struct Study {
    pub rows: Rows,
    next: i64,
}

impl Study {
    fn id(&mut self) -> i64 {
        self.next += 1;
        self.next
    }

    /// A case with text attribute values (attributes are created on first use).
    pub fn case(&mut self, name: &str, values: &[(&str, &str)]) -> CaseId {
        let case_id = CaseId(self.id());
        self.rows.cases.push(Case {
            id: case_id,
            guid: String::new(),
            name: name.to_owned(),
            memo: String::new(),
        });
        for (attribute, value) in values {
            let attribute_id = self.attribute(attribute, AttributeKind::Text);
            self.rows.attribute_values.push(AttributeValue {
                case_id,
                attribute_id,
                value: (*value).to_owned(),
            });
        }
        case_id
    }

    /// An attribute by name (created when missing).
    pub fn attribute(&mut self, name: &str, kind: AttributeKind) -> AttributeId {
        if let Some(attribute) = self.rows.attributes.iter().find(|a| a.name == name) {
            return attribute.id;
        }
        let id = AttributeId(self.id());
        let position = self.rows.attributes.len() as i64;
        self.rows.attributes.push(Attribute {
            id,
            guid: String::new(),
            name: name.to_owned(),
            kind,
            position,
        });
        id
    }

    /// A document of a case; speaker turns are found as on import.
    pub fn document(&mut self, name: &str, case_id: CaseId, text: &str) -> DocumentId {
        let document_id = DocumentId(self.id());
        for turn in SpeakerPatterns::default().parse(text) {
            self.rows.utterances.push(Utterance {
                document_id,
                number: turn.number,
                speaker: turn.speaker,
                start: turn.start,
                text_start: turn.text_start,
                end: turn.end,
            });
        }
        self.rows.documents.push(Document {
            info: DocumentInfo {
                id: document_id,
                guid: String::new(),
                name: name.to_owned(),
                case_id,
                chars: text.chars().count(),
                encoding: "utf-8".to_owned(),
                source_path: String::new(),
                memo: String::new(),
                imported_at: String::new(),
                metadata: Default::default(),
            },
            text: text.to_owned(),
        });
        document_id
    }

    /// A code under `parent`.
    pub fn code(&mut self, parent_id: Option<CodeId>, name: &str) -> CodeId {
        let code_id = CodeId(self.id());
        let position = self.rows.codes.len() as i64;
        self.rows.codes.push(Code {
            id: code_id,
            guid: String::new(),
            parent_id,
            name: name.to_owned(),
            definition: String::new(),
            color: None,
            memo: String::new(),
            position,
        });
        code_id
    }

    /// A role frame with roles.
    pub fn frame(&mut self, name: &str, roles: &[&str]) -> Vec<RoleId> {
        let frame_id = FrameId(self.id());
        let position = self.rows.frames.len() as i64;
        self.rows.frames.push(Frame {
            id: frame_id,
            name: name.to_owned(),
            position,
        });
        roles
            .iter()
            .enumerate()
            .map(|(index, role)| {
                let role_id = RoleId(self.id());
                self.rows.roles.push(Role {
                    id: role_id,
                    frame_id,
                    name: (*role).to_owned(),
                    position: index as i64,
                });
                role_id
            })
            .collect()
    }

    /// Puts a code in a role.
    pub fn role_of(&mut self, code_id: CodeId, role_id: RoleId) {
        self.rows.code_roles.push(CodeRole { code_id, role_id });
    }

    /// A coding of `[start, end)`.
    pub fn coding(
        &mut self,
        document_id: DocumentId,
        code_id: CodeId,
        start: usize,
        end: usize,
        coder: &str,
    ) -> CodingId {
        let coding_id = CodingId(self.id());
        self.rows.codings.push(Coding {
            id: coding_id,
            guid: String::new(),
            document_id,
            code_id,
            span: Span { start, end },
            coder: coder.to_owned(),
            memo: String::new(),
            created_at: String::new(),
            exemplar: false,
        });
        coding_id
    }

    /// A summary of a cell linked to codings.
    pub fn summary(&mut self, case_id: CaseId, code_id: CodeId, text: &str, links: &[CodingId]) {
        let summary_id = SummaryId(self.id());
        self.rows.summaries.push(Summary {
            id: summary_id,
            guid: String::new(),
            case_id,
            code_id,
            text: text.to_owned(),
            author: "tester".to_owned(),
            updated_at: String::new(),
        });
        for coding_id in links {
            self.rows.summary_segments.push(SummarySegment {
                summary_id,
                coding_id: *coding_id,
            });
        }
    }

    /// Marks a cell explicitly negative.
    pub fn negative(&mut self, case_id: CaseId, code_id: CodeId) {
        self.rows.cell_states.push(CellState {
            case_id,
            code_id,
            mark: CellMark::Negative,
        });
    }

    /// The snapshot.
    pub fn data(&self) -> AnalysisData {
        AnalysisData::from_rows(self.rows.clone())
    }
}

/// The study most unit tests share: three cases in two organisations, a category with two
/// subcategories and three focus codes, a frame of two roles.
///
/// ```text
/// 家族支援 (category)
/// ├─ 負担軽減 (subcategory): [レスパイト], [きょうだい]
/// └─ 情報 (subcategory): [情報提供]
/// 地域 (category, a leaf with codings of its own)
/// ```
pub(crate) struct Sample {
    pub study: Study,
    pub cases: [CaseId; 3],
    pub documents: [DocumentId; 3],
    pub category: CodeId,
    pub burden: CodeId,
    pub respite: CodeId,
    pub siblings: CodeId,
    pub region: CodeId,
    pub roles: Vec<RoleId>,
    /// Codings: A respite+siblings on one span (two codings), A information, B respite,
    /// C region.
    pub codings: Vec<CodingId>,
}

/// Builds [`Sample`].
pub(crate) fn sample() -> Sample {
    let mut study = Study::default();
    let a = study.case("A", &[("所属組織", "市役所")]);
    let b = study.case("B", &[("所属組織", "訪問看護")]);
    let c = study.case("C", &[("所属組織", "市役所")]);
    let text = "Ｉ：どうですか。\nＡ：レスパイトときょうだいの話です。\nＩ：ほかには。\nＡ：情報をもらいました。\n";
    let doc_a = study.document("A", a, text);
    let doc_b = study.document("B", b, text);
    let doc_c = study.document("C", c, text);
    let category = study.code(None, "家族支援");
    let burden = study.code(Some(category), "負担軽減");
    let info = study.code(Some(category), "情報");
    let respite = study.code(Some(burden), "[レスパイト]");
    let siblings = study.code(Some(burden), "[きょうだい]");
    let information = study.code(Some(info), "[情報提供]");
    let region = study.code(None, "地域");
    let roles = study.frame("役割", &["家族支援", "地域支援"]);
    study.role_of(respite, roles[0]);
    study.role_of(siblings, roles[0]);
    study.role_of(siblings, roles[1]);
    study.role_of(region, roles[1]);
    let codings = vec![
        study.coding(doc_a, respite, 11, 26, "山田"),
        study.coding(doc_a, siblings, 11, 26, "山田"),
        study.coding(doc_a, information, 38, 47, "鈴木"),
        study.coding(doc_b, respite, 11, 16, "山田"),
        study.coding(doc_c, region, 38, 47, "山田"),
    ];
    Sample {
        study,
        cases: [a, b, c],
        documents: [doc_a, doc_b, doc_c],
        category,
        burden,
        respite,
        siblings,
        region,
        roles,
        codings,
    }
}
