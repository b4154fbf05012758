//! A small XML writer over quick-xml that escapes every attribute value and text itself
//! (line breaks in attributes included, which a parser would otherwise turn into spaces).

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use crate::{Error, Result};

/// An XML document being written; attribute values and text are escaped here (including line
/// breaks in attributes, which a parser would otherwise turn into spaces).
pub(super) struct Xml {
    writer: Writer<Vec<u8>>,
}

pub(super) type Attrs<'a> = &'a [(&'a str, &'a str)];

impl Xml {
    pub(super) fn new() -> Result<Xml> {
        let mut xml = Xml {
            writer: Writer::new_with_indent(Vec::new(), b' ', 2),
        };
        xml.event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        Ok(xml)
    }

    fn event(&mut self, event: Event<'_>) -> Result<()> {
        self.writer
            .write_event(event)
            .map_err(|error| Error::Conflict(format!("cannot write XML: {error}")))
    }

    fn tag<'a>(name: &'a str, attributes: Attrs<'_>) -> BytesStart<'a> {
        let mut tag = BytesStart::new(name);
        for (key, value) in attributes {
            tag.push_attribute(Attribute {
                key: QName(key),
                value: escape(value, true).into(),
            });
        }
        tag
    }

    pub(super) fn start(&mut self, name: &str, attributes: Attrs<'_>) -> Result<()> {
        self.event(Event::Start(Xml::tag(name, attributes)))
    }

    pub(super) fn end(&mut self, name: &str) -> Result<()> {
        self.event(Event::End(BytesEnd::new(name)))
    }

    pub(super) fn empty(&mut self, name: &str, attributes: Attrs<'_>) -> Result<()> {
        self.event(Event::Empty(Xml::tag(name, attributes)))
    }

    pub(super) fn text_element(&mut self, name: &str, text: &str) -> Result<()> {
        self.start(name, &[])?;
        self.event(Event::Text(BytesText::from_escaped(escape(text, false))))?;
        self.end(name)
    }

    pub(super) fn finish(self) -> Result<String> {
        String::from_utf8(self.writer.into_inner())
            .map_err(|error| Error::Conflict(format!("cannot write XML: {error}")))
    }
}

/// Escapes markup characters; in attributes also line breaks and tabs. Characters XML 1.0
/// cannot carry at all (C0 controls other than tab and line breaks) become U+FFFD.
fn escape(raw: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_keep_line_breaks_and_markup_as_references() {
        assert_eq!(
            escape("a<&>\"\n\tb\r", true),
            "a&lt;&amp;&gt;&quot;&#10;&#9;b&#13;"
        );
        assert_eq!(
            escape("a<b>\n\"c\"\u{1}", false),
            "a&lt;b&gt;\n\"c\"\u{FFFD}"
        );
    }
}
