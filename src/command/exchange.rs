//! The payload of `ImportExchange`: what a REFI-QDA project or codebook holds that casecode
//! keeps, by GUID, as read by [`crate::import::qdpx`]. Applying it: `import_exchange.rs`.

use serde::{Deserialize, Serialize};

use super::NewUtterance;
use crate::model::AttributeKind;

/// What a REFI-QDA file holds that casecode keeps, by GUID (lower case, no braces).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Exchange {
    /// The file it came from, for messages.
    pub file: String,
    /// The project's Description: casecode's project memo (empty: none).
    pub project_memo: String,
    /// Codes, parents before children, siblings in file order.
    pub codes: Vec<ExchangeCode>,
    /// Role frames with their roles.
    pub frames: Vec<ExchangeFrame>,
    pub variables: Vec<ExchangeVariable>,
    pub cases: Vec<ExchangeCase>,
    pub documents: Vec<ExchangeDocument>,
    pub codings: Vec<ExchangeCoding>,
    /// The coders (user names) the codings name, each once: a coding names its coder by index
    /// here, as it names its source and code (a million codings, two coders).
    pub coders: Vec<String>,
    pub summaries: Vec<ExchangeSummary>,
    /// The file's GUIDs of users, selections and memo notes as (kind, key, GUID); see
    /// `store/migrations/0005_refi_guids.sql`.
    pub guids: Vec<(String, String, String)>,
}

/// A code of the file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExchangeCode {
    pub guid: String,
    pub parent_guid: Option<String>,
    pub name: String,
    pub definition: String,
    pub color: Option<String>,
    pub memo: String,
}

/// A role frame of the file (a casecode role frame, or Sets of codes).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExchangeFrame {
    pub name: String,
    pub roles: Vec<ExchangeRole>,
}

/// A role with the GUIDs of its codes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExchangeRole {
    pub name: String,
    pub code_guids: Vec<String>,
}

/// A variable (casecode: attribute).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeVariable {
    pub guid: String,
    pub name: String,
    pub kind: AttributeKind,
}

/// A case with its values (variable GUID, canonical value).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExchangeCase {
    pub guid: String,
    pub name: String,
    pub memo: String,
    pub values: Vec<(String, String)>,
}

/// A text source with its text as casecode stores it (no BOM, LF line ends).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExchangeDocument {
    pub guid: String,
    pub name: String,
    pub case_guid: String,
    pub text: String,
    pub memo: String,
    pub encoding: String,
    pub source_path: String,
    pub imported_at: Option<String>,
    pub utterances: Vec<NewUtterance>,
}

/// A code applied to a span (code points, half-open) of a source.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExchangeCoding {
    pub guid: String,
    /// Its source: an index into [`Exchange::documents`].
    pub document: usize,
    /// Its code: an index into [`Exchange::codes`].
    pub code: usize,
    pub start: usize,
    pub end: usize,
    /// Its coder: an index into [`Exchange::coders`].
    pub coder: usize,
    pub memo: String,
    pub created_at: Option<String>,
    /// 代表的語り.
    pub exemplar: bool,
}

/// A 要約 of a matrix cell with the codings that support it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExchangeSummary {
    pub guid: String,
    pub case_guid: String,
    pub code_guid: String,
    pub text: String,
    pub author: String,
    pub updated_at: Option<String>,
    pub coding_guids: Vec<String>,
}

impl Exchange {
    /// "10 文書, 10 事例, 57 コード, 120 コーディング, 3 要約".
    pub fn counts(&self) -> String {
        format!(
            "{} 文書, {} 事例, {} コード, {} コーディング, {} 要約",
            self.documents.len(),
            self.cases.len(),
            self.codes.len(),
            self.codings.len(),
            self.summaries.len()
        )
    }
}
