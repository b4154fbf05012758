//! A small element tree of a REFI-QDA XML file, built with quick-xml. Names are local names
//! (namespace prefixes and the namespace itself are ignored: files in the wild use
//! `urn:QDA-XML:project:1.0`, `…:codebook:0:4` and others). A DTD is refused outright, so no
//! entity can expand; only the five predefined entities and character references are read.
//!
//! A million codings are some ten million elements and attributes, so an element costs few
//! allocations: REFI-QDA's own names are shared (see [`Name`]), an element's attribute values
//! sit in one string, and the whitespace that indents child elements is not kept.

use std::borrow::Cow;
use std::io::BufRead;
use std::ops::Range;

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use crate::{Error, Result};

/// How deep elements may nest (REFI-QDA code trees are a handful of levels deep).
const MAX_DEPTH: usize = 256;

/// The element and attribute names of the REFI-QDA schemas (sorted, for a binary search): a
/// name read from a file is one of these, shared, or else a string of its own.
const KNOWN_NAMES: [&str; 62] = [
    "AudioSource",
    "BooleanValue",
    "Case",
    "Cases",
    "Code",
    "CodeBook",
    "CodeRef",
    "Codes",
    "Coding",
    "DateTimeValue",
    "DateValue",
    "Description",
    "FloatValue",
    "Graph",
    "Graphs",
    "IntegerValue",
    "Link",
    "Links",
    "MemberCode",
    "MemberNote",
    "MemberSource",
    "Note",
    "NoteRef",
    "Notes",
    "PDFSource",
    "PictureSource",
    "PlainTextContent",
    "PlainTextSelection",
    "Project",
    "SelectionRef",
    "Set",
    "Sets",
    "SourceRef",
    "Sources",
    "TextSource",
    "TextValue",
    "User",
    "Users",
    "Variable",
    "VariableRef",
    "VariableValue",
    "Variables",
    "VideoSource",
    "color",
    "creatingUser",
    "creatingUserGUID",
    "creationDateTime",
    "direction",
    "endPosition",
    "guid",
    "id",
    "isCodable",
    "modifiedDateTime",
    "modifyingUser",
    "modifyingUserGUID",
    "name",
    "origin",
    "originGUID",
    "plainTextPath",
    "startPosition",
    "targetGUID",
    "typeOfVariable",
];

/// A local element or attribute name.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(Cow<'static, str>);

impl Name {
    /// The local part of a (possibly prefixed) name.
    pub(super) fn local(name: &str) -> Name {
        let local = name.rsplit_once(':').map_or(name, |(_, local)| local);
        // The names of every selection and coding first.
        let hot = match local {
            "guid" => Some("guid"),
            "name" => Some("name"),
            "PlainTextSelection" => Some("PlainTextSelection"),
            "Coding" => Some("Coding"),
            "CodeRef" => Some("CodeRef"),
            "targetGUID" => Some("targetGUID"),
            "startPosition" => Some("startPosition"),
            "endPosition" => Some("endPosition"),
            "creatingUser" => Some("creatingUser"),
            "creationDateTime" => Some("creationDateTime"),
            _ => None,
        };
        if let Some(hot) = hot {
            return Name(Cow::Borrowed(hot));
        }
        match KNOWN_NAMES.binary_search(&local) {
            Ok(index) => Name(Cow::Borrowed(KNOWN_NAMES.get(index).copied().unwrap_or(""))),
            Err(_) => Name(Cow::Owned(local.to_owned())),
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// An element with its attributes (local names), children and text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    pub name: Name,
    /// Each attribute's name and where its value is in `values`.
    attributes: Vec<(Name, Range<usize>)>,
    /// The attribute values, one after the other.
    values: String,
    pub children: Vec<Element>,
    /// The character data directly inside the element, line ends normalised to LF (without the
    /// whitespace before, between and after its child elements, when it has any).
    pub text: String,
}

impl Element {
    /// The value of an attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| *key == name)
            .and_then(|(_, range)| self.values.get(range.clone()))
    }

    /// Every attribute as (name, value), in the order written.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        (self.attributes.iter())
            .map(|(key, range)| (key.as_str(), self.values.get(range.clone()).unwrap_or("")))
    }

    /// The children with this local name, in document order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    /// The text of the first child with this name.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|child| child.text.as_str())
    }
}

fn element(file: &str, tag: &BytesStart<'_>) -> Result<Element> {
    let mut attributes = Vec::new();
    let mut values = String::new();
    read_attributes(file, tag, &mut attributes, &mut values, true)?;
    Ok(Element {
        name: Name::local(tag.name().as_ref()),
        attributes,
        values,
        children: Vec::new(),
        text: String::new(),
    })
}

/// Appends a tag's attributes (without namespace declarations) to `attributes`, their values to
/// `values`; `reserve`: room for a selection's is made at the first.
pub(super) fn read_attributes(
    file: &str,
    tag: &BytesStart<'_>,
    attributes: &mut Vec<(Name, Range<usize>)>,
    values: &mut String,
    reserve: bool,
) -> Result<()> {
    let bad = |message: String| Error::bad_input(file, message);
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|error| bad(format!("malformed XML: {error}")))?;
        let qualified: &str = attribute.key.as_ref();
        if qualified == "xmlns" || qualified.starts_with("xmlns:") {
            continue;
        }
        let key = Name::local(qualified);
        // Most values (GUIDs, positions, dates, names) need no normalisation: looking for what
        // would need it a block at a time is several times faster than quick-xml's byte loop.
        let value = match needs_normalizing(&attribute.value) {
            false => attribute.value,
            true => attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|error| bad(format!("malformed XML in attribute '{key}': {error}")))?,
        };
        if reserve && values.capacity() == 0 {
            // The tag's length bounds its values (before entities expand), and a selection has
            // six to eight attributes: one allocation each.
            values.reserve(tag.len());
            attributes.reserve(8);
        }
        let start = values.len();
        values.push_str(&value);
        attributes.push((key, start..values.len()));
    }
    Ok(())
}

/// What the reading loop builds elements with: a tree of [`Element`]s, or a source's flat
/// document ([`super::flat::Doc`]).
pub(super) trait Builder {
    /// An element begins: its tag was read.
    fn open(&mut self, file: &str, tag: &BytesStart<'_>) -> Result<()>;

    /// The element begun last ends.
    fn close(&mut self, file: &str) -> Result<()>;

    /// The text of the element being built, when one is.
    fn text(&mut self) -> Option<&mut String>;
}

/// Builds a tree of [`Element`]s.
#[derive(Default)]
struct Tree {
    /// The open elements.
    stack: Vec<Element>,
    root: Option<Element>,
}

impl Builder for Tree {
    fn open(&mut self, file: &str, tag: &BytesStart<'_>) -> Result<()> {
        self.stack.push(element(file, tag)?);
        Ok(())
    }

    fn close(&mut self, file: &str) -> Result<()> {
        let bad = |message: &str| Error::bad_input(file, message);
        let Some(done) = self.stack.pop() else {
            return Err(bad("malformed XML: an end tag without a start"));
        };
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None if self.root.is_none() => self.root = Some(done),
            None => return Err(bad("malformed XML: two root elements")),
        }
        Ok(())
    }

    fn text(&mut self) -> Option<&mut String> {
        self.stack.last_mut().map(|current| &mut current.text)
    }
}

/// Whether an attribute value holds what XML 1.0 normalises (a tab, a line end or a reference):
/// quick-xml's `normalized_value` returns any other value as it is.
fn needs_normalizing(value: &str) -> bool {
    value.as_bytes().chunks(32).any(|block| {
        (block.iter()).fold(false, |found, byte| {
            found | matches!(byte, b'\t' | b'\r' | b'\n' | b'&')
        })
    })
}

/// Parses `xml`; `file` names the file in errors.
pub fn parse(file: &str, xml: &str) -> Result<Element> {
    let mut tree = Tree::default();
    read(
        file,
        xml.as_bytes(),
        &mut Pass::Whole,
        Base::DOCUMENT,
        &mut tree,
    )?;
    tree.root
        .ok_or_else(|| Error::bad_input(file, "malformed XML: no root element"))
}

/// Parses a project read from `source` (a zip entry, read as it is decompressed) without the
/// `TextSource` elements under `Sources`: the tree of everything else, which stays small
/// however many selections the sources hold. Returns as well where each `TextSource` is in the
/// XML as read (in bytes, after a BOM), in document order: [`parse_text_source`] reads each
/// from those bytes.
pub fn parse_without_text_sources(
    file: &str,
    source: impl BufRead,
) -> Result<(Element, Vec<Range<u64>>)> {
    let mut text_sources = Vec::new();
    let mut tree = Tree::default();
    read(
        file,
        source,
        &mut Pass::WithoutTextSources(&mut text_sources),
        Base::DOCUMENT,
        &mut tree,
    )?;
    let root =
        (tree.root).ok_or_else(|| Error::bad_input(file, "malformed XML: no root element"))?;
    Ok((root, text_sources))
}

/// Parses one `TextSource` element with `builder`: the bytes of a range
/// [`parse_without_text_sources`] found, which began at byte `offset` of the file (errors name
/// positions in the file, and its depth under `Project/Sources` counts against the nesting
/// limit as in a whole reading).
pub(super) fn parse_text_source(
    file: &str,
    xml: &[u8],
    offset: u64,
    builder: &mut impl Builder,
) -> Result<()> {
    let base = Base { offset, depth: 2 };
    read(file, xml, &mut Pass::Whole, base, builder)
}

/// Which elements a reading builds.
enum Pass<'r> {
    /// Every element.
    Whole,
    /// Every element except the `TextSource`s under the root's `Sources`, whose places in the
    /// XML are noted instead.
    WithoutTextSources(&'r mut Vec<Range<u64>>),
}

/// Where the XML read begins: its byte in the file and the depth of its first element.
#[derive(Clone, Copy)]
struct Base {
    offset: u64,
    depth: usize,
}

impl Base {
    /// A whole file.
    const DOCUMENT: Base = Base {
        offset: 0,
        depth: 0,
    };
}

/// Whether an element of local name `name` whose ancestors are `path` is a source of text.
fn is_text_source(path: &[Name], name: &str) -> bool {
    name == "TextSource" && path.len() == 2 && path.get(1).is_some_and(|p| *p == "Sources")
}

/// Whitespace held back from the element being built: kept as its text only when the
/// element turns out to hold no child element (the indentation of children is not text).
#[derive(Default)]
struct Pending {
    whitespace: String,
    /// Per open element (built or not): whether a child element has begun in it.
    had_child: Vec<bool>,
}

impl Pending {
    fn had_child(&self) -> bool {
        self.had_child.last().copied().unwrap_or(false)
    }

    /// A child element begins (`empty`: and ends) in the current element.
    fn child(&mut self, empty: bool) {
        self.whitespace.clear();
        if let Some(flag) = self.had_child.last_mut() {
            *flag = true;
        }
        if !empty {
            self.had_child.push(false);
        }
    }

    /// Text of the current element: whitespace alone, before any other text, is held back.
    fn text(&mut self, current: &mut String, content: &str) {
        if current.is_empty() && content.trim().is_empty() {
            if !self.had_child() {
                self.whitespace.push_str(content);
            }
            return;
        }
        self.flush(current);
        current.push_str(content);
    }

    /// What was held back goes to the element's text (more text follows, or it ends).
    fn flush(&mut self, current: &mut String) {
        if !self.whitespace.is_empty() {
            if !self.had_child() {
                current.push_str(&self.whitespace);
            }
            self.whitespace.clear();
        }
    }

    /// The current element ends (after [`Pending::flush`]).
    fn end(&mut self) {
        self.whitespace.clear();
        self.had_child.pop();
    }
}

/// The reading loop of every pass.
fn read(
    file: &str,
    source: impl BufRead,
    pass: &mut Pass<'_>,
    base: Base,
    builder: &mut impl Builder,
) -> Result<()> {
    let bad = |message: String| Error::bad_input(file, message);
    let malformed = |position: u64, error: quick_xml::Error| match error {
        // The archive's reader says what went wrong (a limit, a damaged entry) in its words.
        quick_xml::Error::Io(io) => bad(io.to_string()),
        other => bad(format!(
            "malformed XML near byte {}: {other}",
            base.offset + position
        )),
    };
    let mut reader = Reader::from_reader(source);
    reader.config_mut().check_end_names = true;
    let mut buffer = Vec::new();
    let mut skipped = Vec::new();
    // Local names of the open elements, built or not.
    let mut path: Vec<Name> = Vec::new();
    let mut pending = Pending::default();
    loop {
        buffer.clear();
        let position = reader.buffer_position();
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|error| malformed(position, error))?;
        match event {
            Event::DocType(_) => {
                return Err(bad(
                    "the XML has a DTD (<!DOCTYPE …>); REFI-QDA files have none, and casecode \
                     refuses one because its entities can expand without bound"
                        .to_owned(),
                ));
            }
            Event::Start(tag) => {
                if base.depth + path.len() >= MAX_DEPTH {
                    return Err(bad(format!(
                        "elements nest deeper than {MAX_DEPTH} levels; refusing the file"
                    )));
                }
                let name = Name::local(tag.name().as_ref());
                pending.child(false);
                if let Pass::WithoutTextSources(text_sources) = pass
                    && is_text_source(&path, &name)
                {
                    let end = tag.to_end().into_owned();
                    let inside = reader.buffer_position();
                    reader
                        .read_to_end_into(end.name(), &mut skipped)
                        .map_err(|error| malformed(inside, error))?;
                    skipped.clear();
                    pending.end();
                    text_sources.push(position..reader.buffer_position());
                    continue;
                }
                builder.open(file, &tag)?;
                path.push(name);
            }
            Event::Empty(tag) => {
                pending.child(true);
                let name = Name::local(tag.name().as_ref());
                if let Pass::WithoutTextSources(text_sources) = pass
                    && is_text_source(&path, &name)
                {
                    text_sources.push(position..reader.buffer_position());
                    continue;
                }
                builder.open(file, &tag)?;
                builder.close(file)?;
            }
            Event::End(_) => {
                if path.pop().is_none() {
                    return Err(bad("malformed XML: an end tag without a start".to_owned()));
                }
                if let Some(current) = builder.text() {
                    pending.flush(current);
                }
                pending.end();
                builder.close(file)?;
            }
            Event::Text(text) => {
                if let Some(current) = builder.text() {
                    pending.text(current, &text.xml10_content());
                } else if path.is_empty() && !text.xml10_content().trim().is_empty() {
                    return Err(bad(
                        "malformed XML: text outside the root element".to_owned()
                    ));
                }
            }
            Event::CData(data) => {
                if let Some(current) = builder.text() {
                    let content = data.into_inner();
                    pending.flush(current);
                    current.push_str(&content.replace("\r\n", "\n"));
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference
                    .resolve_char_ref()
                    .map_err(|error| bad(format!("malformed XML: {error}")))?
                {
                    Some(c) => c,
                    None => match reference.xml10_content().as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => {
                            return Err(bad(format!(
                                "the XML uses the entity '&{other};', which REFI-QDA does not \
                                 define; refusing the file"
                            )));
                        }
                    },
                };
                if let Some(current) = builder.text() {
                    pending.flush(current);
                    current.push(resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !path.is_empty() {
        return Err(bad(
            "malformed XML: the file ends inside an element (truncated?)".to_owned(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source read from its bytes as a tree.
    fn source_tree(file: &str, xml: &[u8], offset: u64) -> Result<Element> {
        let mut tree = Tree::default();
        parse_text_source(file, xml, offset, &mut tree)?;
        tree.root
            .ok_or_else(|| Error::bad_input(file, "malformed XML: no root element"))
    }

    #[test]
    fn reads_names_attributes_text_and_entities() {
        let root = parse(
            "t.qde",
            "<?xml version=\"1.0\"?><q:Project xmlns:q=\"urn:x\" name=\"a&amp;b&#10;c\">\
             <q:Description>x &lt; y &#x1F600;</q:Description><Empty/></q:Project>",
        )
        .expect("parse");
        assert_eq!(root.name, "Project");
        assert_eq!(root.attribute("name"), Some("a&b\nc"));
        assert_eq!(root.child_text("Description"), Some("x < y 😀"));
        assert!(root.child("Empty").is_some());
    }

    #[test]
    fn schema_names_are_shared_and_other_names_kept_as_written() {
        assert!(
            KNOWN_NAMES.windows(2).all(|pair| pair[0] < pair[1]),
            "sorted"
        );
        assert!(matches!(
            Name::local("q:PlainTextSelection").0,
            Cow::Borrowed(_)
        ));
        assert_eq!(Name::local("x:Unknown"), "Unknown");
        let root = parse(
            "t.qde",
            "<Project>\n  <Note>\n    <PlainTextContent>  </PlainTextContent>\n  </Note>\n</Project>",
        )
        .expect("parse");
        let note = root.child("Note").expect("note");
        assert_eq!((root.text.as_str(), note.text.as_str()), ("", ""));
        assert_eq!(
            note.child_text("PlainTextContent"),
            Some("  "),
            "a text of spaces is text"
        );
    }

    #[test]
    fn a_dtd_or_an_unknown_entity_is_refused() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]><a>&lol;</a>";
        let error = parse("bomb.qde", bomb).expect_err("a DTD");
        assert!(
            error.to_string().starts_with("bomb.qde: the XML has a DTD"),
            "{error}"
        );
        let error = parse("e.qde", "<a>&lol;</a>").expect_err("an entity");
        assert_eq!(
            error.to_string(),
            "e.qde: the XML uses the entity '&lol;', which REFI-QDA does not define; refusing the file"
        );
    }

    #[test]
    fn a_project_read_in_two_passes_is_the_project_read_whole() {
        let xml = "<?xml version=\"1.0\"?>\
            <Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\"><Users><User guid=\"u\"/></Users>\
            <Sources><TextSource guid=\"a\"><PlainTextSelection guid=\"s1\" startPosition=\"0\">\
            <Coding guid=\"c1\"><CodeRef targetGUID=\"k\"/></Coding></PlainTextSelection></TextSource>\
            <PDFSource guid=\"pdf\"/><TextSource guid=\"b\"/>\
            <TextSource guid=\"c\"><Description>x &amp; y</Description></TextSource></Sources>\
            <Notes><Note guid=\"n\"><PlainTextContent>memo</PlainTextContent></Note></Notes></Project>";
        let whole = parse("p.qde", xml).expect("whole");
        let (skeleton, places) =
            parse_without_text_sources("p.qde", xml.as_bytes()).expect("skeleton");
        let streamed: Vec<Element> = (places.iter())
            .map(|place| {
                let bytes = xml.as_bytes().get(place.start as usize..place.end as usize);
                source_tree("p.qde", bytes.expect("in the file"), place.start).expect("a source")
            })
            .collect();
        let sources = whole.child("Sources").expect("sources");
        let text_sources: Vec<Element> = sources.children_named("TextSource").cloned().collect();
        assert_eq!(
            streamed, text_sources,
            "every TextSource, whole and in order"
        );
        assert_eq!(streamed.len(), 3);
        let others: Vec<&str> = (skeleton.child("Sources").expect("kept").children.iter())
            .map(|child| child.name.as_str())
            .collect();
        assert_eq!(
            others,
            ["PDFSource"],
            "the skeleton keeps every other source"
        );
        let mut without = whole.clone();
        without
            .children
            .iter_mut()
            .filter(|child| child.name == "Sources")
            .for_each(|sources| sources.children.retain(|child| child.name != "TextSource"));
        assert_eq!(
            skeleton, without,
            "and everything else as the whole reading has it"
        );
    }

    #[test]
    fn a_dtd_is_refused_in_the_first_pass() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x \"x\">]><Project/>";
        let error = parse_without_text_sources("b.qde", bomb.as_bytes()).expect_err("a DTD");
        assert!(
            error.to_string().starts_with("b.qde: the XML has a DTD"),
            "{error}"
        );
    }

    #[test]
    fn a_source_read_from_its_bytes_fails_as_the_whole_reading_does() {
        let xml = "<Project><Sources><TextSource guid=\"a\"/>\n<TextSource guid=\"b\">\
                   <Description>x &lol; y</Description></TextSource></Sources></Project>";
        let whole = parse("p.qde", xml).expect_err("an unknown entity");
        let (_, places) = parse_without_text_sources("p.qde", xml.as_bytes()).expect("skeleton");
        let place = places.get(1).expect("two sources");
        let bytes = xml.as_bytes().get(place.start as usize..place.end as usize);
        assert!(bytes.is_some_and(|bytes| bytes.starts_with(b"<TextSource guid=\"b\">")));
        let alone = source_tree("p.qde", bytes.expect("in the file"), place.start)
            .expect_err("the same entity");
        assert_eq!(alone.to_string(), whole.to_string());
        let attribute =
            "<Project><Sources>\n<TextSource guid=\"a\" name='x\"/></Sources></Project>";
        let whole = parse("q.qde", attribute).expect_err("an unclosed attribute");
        let from_places = parse_without_text_sources("q.qde", attribute.as_bytes())
            .map(drop)
            .expect_err("the same error in the first pass");
        assert_eq!(from_places.to_string(), whole.to_string());
    }

    #[test]
    fn attribute_values_read_alike_with_or_without_the_short_cut() {
        let long = "あ".repeat(40);
        for value in [
            "plain",
            "",
            "tab\there",
            "a&amp;b",
            "line\r\nend",
            "&#x1F600;",
            long.as_str(),
            &format!("{long}&lt;"),
        ] {
            let xml = format!("<a v=\"{value}\"/>");
            let root = parse("v.qde", &xml).expect("parse");
            let mut reader = Reader::from_str(&xml);
            let Ok(Event::Empty(tag)) = reader.read_event() else {
                panic!("an empty element");
            };
            let attribute = tag.attributes().next().expect("one").expect("valid");
            let normalized = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .expect("normalized");
            assert_eq!(root.attribute("v"), Some(normalized.as_ref()), "{value:?}");
            assert_eq!(
                needs_normalizing(value),
                value.contains(['\t', '\r', '\n', '&'])
            );
        }
    }

    #[test]
    fn truncated_or_mismatched_xml_is_refused() {
        assert!(parse("t.qde", "<a><b></a>").is_err());
        let error = parse("t.qde", "<a><b/>").expect_err("truncated");
        assert_eq!(
            error.to_string(),
            "t.qde: malformed XML: the file ends inside an element (truncated?)"
        );
    }
}
