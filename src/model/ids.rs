//! Typed row identifiers. Each table has its own newtype so a code id can never be passed where
//! a document id is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A case (事例): an interviewee or respondent.
    CaseId
);
id_type!(
    /// A typed case variable (所属組織, 勤務年数 …).
    AttributeId
);
id_type!(
    /// One transcript.
    DocumentId
);
id_type!(
    /// A node of the code tree (category, subcategory or focus code).
    CodeId
);
id_type!(
    /// A coded span: code × segment × coder.
    CodingId
);
id_type!(
    /// A role frame (e.g. 発達支援 / 家族支援 / 地域支援).
    FrameId
);
id_type!(
    /// One role inside a frame.
    RoleId
);
id_type!(
    /// A cell summary (要約).
    SummaryId
);
id_type!(
    /// A coder: a person who codes (or the consensus layer 合意).
    CoderId
);
