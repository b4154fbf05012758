//! A small XML writer over quick-xml that escapes every attribute value and text itself
//! (line breaks in attributes included, which a parser would otherwise turn into spaces).

use std::borrow::Cow;
use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use crate::{Error, Result};

/// An XML document being written; attribute values and text are escaped here (including line
/// breaks in attributes, which a parser would otherwise turn into spaces).
pub(super) struct Xml<'s> {
    writer: Writer<Vec<u8>>,
    /// Where the bytes go as they are written, when they are not kept (a million codings
    /// are most of a gigabyte of XML).
    sink: Option<&'s mut dyn Write>,
}

/// How many bytes are kept before they go to the sink.
const SINK_CHUNK: usize = 1 << 20;

pub(super) type Attrs<'a> = &'a [(&'a str, &'a str)];

impl<'s> Xml<'s> {
    pub(super) fn new() -> Result<Xml<'s>> {
        Xml::with_sink(None)
    }

    /// A document whose bytes go to `sink` as they are written; end it with
    /// [`Xml::finish_into_sink`].
    pub(super) fn streaming(sink: &'s mut dyn Write) -> Result<Xml<'s>> {
        Xml::with_sink(Some(sink))
    }

    fn with_sink(sink: Option<&'s mut dyn Write>) -> Result<Xml<'s>> {
        let mut xml = Xml {
            writer: Writer::new_with_indent(Vec::new(), b' ', 2),
            sink,
        };
        xml.event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        Ok(xml)
    }

    fn event(&mut self, event: Event<'_>) -> Result<()> {
        self.writer
            .write_event(event)
            .map_err(|error| Error::Conflict(format!("cannot write XML: {error}")))?;
        if self.writer.get_ref().len() >= SINK_CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    /// Hands the bytes written so far to the sink (none without one).
    fn flush(&mut self) -> Result<()> {
        if let Some(sink) = self.sink.as_mut() {
            let buffer = self.writer.get_mut();
            sink.write_all(buffer)
                .map_err(|error| Error::Conflict(format!("cannot write XML: {error}")))?;
            buffer.clear();
        }
        Ok(())
    }

    fn tag<'a>(name: &'a str, attributes: Attrs<'_>) -> BytesStart<'a> {
        let mut tag = BytesStart::new(name);
        for (key, value) in attributes {
            tag.push_attribute(Attribute {
                key: QName(key),
                value: escape(value, true),
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

    /// Ends a [`Xml::streaming`] document: the last bytes go to the sink.
    pub(super) fn finish_into_sink(mut self) -> Result<()> {
        self.flush()
    }

    pub(super) fn finish(self) -> Result<String> {
        String::from_utf8(self.writer.into_inner())
            .map_err(|error| Error::Conflict(format!("cannot write XML: {error}")))
    }
}

/// True when `raw` has nothing to escape (see [`escape`]). Every character escaped is ASCII
/// but U+FFFE and U+FFFF, so bytes are checked, not characters (the selected text of a million
/// selections goes through here).
fn is_plain(raw: &str, attribute: bool) -> bool {
    let bytes = raw.as_bytes();
    bytes.iter().enumerate().all(|(index, byte)| match byte {
        b'&' | b'<' | b'>' | b'\r' => false,
        b'"' | b'\n' | b'\t' => !attribute,
        0..=0x1F => false,
        // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
        0xEF => {
            !(bytes.get(index + 1) == Some(&0xBF)
                && matches!(bytes.get(index + 2), Some(0xBE | 0xBF)))
        }
        _ => true,
    })
}

/// Escapes markup characters; in attributes also line breaks and tabs. Characters XML 1.0
/// cannot carry at all (C0 controls other than tab and line breaks) become U+FFFD. Text with
/// nothing to escape (nearly all of it) is borrowed, not copied.
fn escape(raw: &str, attribute: bool) -> Cow<'_, str> {
    if is_plain(raw, attribute) {
        return Cow::Borrowed(raw);
    }
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
    Cow::Owned(out)
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
        assert!(matches!(
            escape("ふつうの語り（笑）", true),
            Cow::Borrowed(_)
        ));
        for (raw, attribute) in [("a\u{FFFE}", true), ("\u{FFFF}b", false), ("x\u{1}", false)] {
            assert!(
                escape(raw, attribute).contains('\u{FFFD}'),
                "{raw:?} is not XML"
            );
        }
        assert_eq!(escape("a\tb\n", false), "a\tb\n");
    }
}
