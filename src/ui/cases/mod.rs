//! The left panel: cases with their attributes and documents, grouped by one attribute, values
//! edited in place. Sends `Action::OpenDocument`, `EditMemo` and `SetAttributeValue`.

pub(super) mod panel;
