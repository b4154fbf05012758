//! A `TextSource` read into one flat document: its elements, attribute names and values sit in
//! a few arrays that grow as it is read, instead of three or four allocations per element (a
//! source of a large project holds tens of thousands of selections, each with its codings).
//! [`Xml`] is what the readers of sources use, on a [`Node`] of such a document or on an
//! [`Element`] of a tree alike.

use std::ops::Range;

use quick_xml::events::BytesStart;

use super::dom::{self, Builder, Element, Name};
use crate::{Error, Result};

/// What the readers of sources ask of an element.
pub trait Xml<'d>: Copy + 'd {
    /// The local name.
    fn name(self) -> &'d str;

    /// The value of an attribute.
    fn attribute(self, name: &str) -> Option<&'d str>;

    /// The character data directly inside (see [`Element::text`]).
    fn text(self) -> &'d str;

    /// The children, in document order.
    fn children(self) -> impl Iterator<Item = Self> + 'd;

    /// The children with this local name, in document order.
    fn children_named(self, name: &'static str) -> impl Iterator<Item = Self> + 'd {
        self.children().filter(move |child| child.name() == name)
    }

    /// The first child with this local name.
    fn child(self, name: &str) -> Option<Self> {
        self.children().find(|child| child.name() == name)
    }

    /// The text of the first child with this name.
    fn child_text(self, name: &str) -> Option<&'d str> {
        self.child(name).map(Xml::text)
    }
}

impl<'d> Xml<'d> for &'d Element {
    fn name(self) -> &'d str {
        self.name.as_str()
    }

    fn attribute(self, name: &str) -> Option<&'d str> {
        Element::attribute(self, name)
    }

    fn text(self) -> &'d str {
        &self.text
    }

    fn children(self) -> impl Iterator<Item = Self> + 'd {
        self.children.iter()
    }
}

/// One element of a [`Doc`].
#[derive(Debug)]
struct Flat {
    name: Name,
    /// Its attributes in [`Doc::attributes`].
    attributes: Range<usize>,
    text: String,
    first_child: Option<usize>,
    next_sibling: Option<usize>,
}

/// A `TextSource` element read flat (see the module's documentation).
#[derive(Debug, Default)]
pub struct Doc {
    /// In document order: the root first.
    nodes: Vec<Flat>,
    /// Each attribute's name and where its value is in `values`.
    attributes: Vec<(Name, Range<usize>)>,
    values: String,
}

impl Doc {
    /// Parses one `TextSource` from its bytes, which began at byte `offset` of the file (see
    /// [`dom::parse_text_source`]).
    #[cfg(test)]
    pub fn parse_text_source(file: &str, xml: &[u8], offset: u64) -> Result<Doc> {
        let mut doc = Doc::default();
        doc.read_text_source(file, xml, offset)?;
        Ok(doc)
    }

    /// [`Doc::parse_text_source`] into this document, whose arrays are reused: a worker reads
    /// source after source into one, and memory is not handed back and asked for again.
    pub fn read_text_source(&mut self, file: &str, xml: &[u8], offset: u64) -> Result<()> {
        let mut doc = std::mem::take(self);
        doc.nodes.clear();
        doc.attributes.clear();
        doc.values.clear();
        // A selection and its coding take about 400 bytes of XML and 3 elements.
        doc.nodes.reserve(xml.len() / 128);
        doc.attributes.reserve(xml.len() / 48);
        doc.values.reserve(xml.len() / 2);
        let mut builder = Flattener {
            doc,
            ..Flattener::default()
        };
        let read = dom::parse_text_source(file, xml, offset, &mut builder);
        *self = builder.doc;
        read?;
        if self.nodes.is_empty() {
            return Err(Error::bad_input(file, "malformed XML: no root element"));
        }
        Ok(())
    }

    /// The root element.
    pub fn root(&self) -> Node<'_> {
        Node {
            doc: self,
            index: 0,
        }
    }
}

/// An element of a [`Doc`].
#[derive(Clone, Copy, Debug)]
pub struct Node<'d> {
    doc: &'d Doc,
    index: usize,
}

impl<'d> Node<'d> {
    fn flat(self) -> Option<&'d Flat> {
        self.doc.nodes.get(self.index)
    }

    fn at(self, index: Option<usize>) -> Option<Node<'d>> {
        index.map(|index| Node {
            doc: self.doc,
            index,
        })
    }
}

impl<'d> Xml<'d> for Node<'d> {
    fn name(self) -> &'d str {
        self.flat().map_or("", |flat| flat.name.as_str())
    }

    fn attribute(self, name: &str) -> Option<&'d str> {
        let range = self.flat()?.attributes.clone();
        (self.doc.attributes.get(range)?.iter())
            .find(|(key, _)| *key == name)
            .and_then(|(_, value)| self.doc.values.get(value.clone()))
    }

    fn text(self) -> &'d str {
        self.flat().map_or("", |flat| flat.text.as_str())
    }

    fn children(self) -> impl Iterator<Item = Self> + 'd {
        let first = self.flat().and_then(|flat| self.at(flat.first_child));
        std::iter::successors(first, |child| {
            child.flat().and_then(|flat| child.at(flat.next_sibling))
        })
    }
}

/// Builds a [`Doc`].
#[derive(Default)]
struct Flattener {
    doc: Doc,
    /// The open elements, each with its last child so far.
    stack: Vec<(usize, Option<usize>)>,
    /// Whether the root has ended.
    rooted: bool,
}

impl Builder for Flattener {
    fn open(&mut self, file: &str, tag: &BytesStart<'_>) -> Result<()> {
        let doc = &mut self.doc;
        let first = doc.attributes.len();
        dom::read_attributes(file, tag, &mut doc.attributes, &mut doc.values, false)?;
        let index = doc.nodes.len();
        doc.nodes.push(Flat {
            name: Name::local(tag.name().as_ref()),
            attributes: first..doc.attributes.len(),
            text: String::new(),
            first_child: None,
            next_sibling: None,
        });
        if let Some((parent, last)) = self.stack.last_mut() {
            let linked = match *last {
                Some(previous) => doc.nodes.get_mut(previous).map(|p| &mut p.next_sibling),
                None => doc.nodes.get_mut(*parent).map(|p| &mut p.first_child),
            };
            if let Some(link) = linked {
                *link = Some(index);
            }
            *last = Some(index);
        }
        self.stack.push((index, None));
        Ok(())
    }

    fn close(&mut self, file: &str) -> Result<()> {
        let bad = |message: &str| Error::bad_input(file, message);
        if self.stack.pop().is_none() {
            return Err(bad("malformed XML: an end tag without a start"));
        }
        if self.stack.is_empty() {
            if self.rooted {
                return Err(bad("malformed XML: two root elements"));
            }
            self.rooted = true;
        }
        Ok(())
    }

    fn text(&mut self) -> Option<&mut String> {
        let (index, _) = self.stack.last()?;
        self.doc.nodes.get_mut(*index).map(|flat| &mut flat.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same element read as a tree and flat, compared through [`Xml`].
    fn same<'a, 'b>(tree: &'a Element, flat: Node<'b>) {
        assert_eq!(tree.name(), flat.name());
        assert_eq!(
            tree.attributes().collect::<Vec<_>>(),
            (flat
                .doc
                .attributes
                .get(flat.flat().expect("node").attributes.clone()))
            .expect("attributes")
            .iter()
            .map(|(key, value)| (key.as_str(), flat.doc.values.get(value.clone()).expect("v")))
            .collect::<Vec<_>>()
        );
        assert_eq!(Xml::text(tree), flat.text());
        let (a, b): (Vec<_>, Vec<_>) = (Xml::children(tree).collect(), flat.children().collect());
        assert_eq!(a.len(), b.len());
        for (a, b) in a.into_iter().zip(b) {
            same(a, b);
        }
    }

    #[test]
    fn a_source_read_flat_is_the_source_read_as_a_tree() {
        let xml = "<TextSource guid=\"a\" name=\"x &amp; y\">\n  <PlainTextContent>  </PlainTextContent>\n  \
                   <PlainTextSelection guid=\"s\" startPosition=\"0\" endPosition=\"2\">\n    \
                   <Description>説明 &lt;a&gt;<![CDATA[c\r\nd]]></Description>\n    \
                   <Coding guid=\"c\"><CodeRef targetGUID=\"k\"/><NoteRef targetGUID=\"n\"/></Coding>\n  \
                   </PlainTextSelection>\n  <Empty/>text after\n</TextSource>";
        let tree = dom::parse("s.qde", xml).expect("tree");
        let doc = Doc::parse_text_source("s.qde", xml.as_bytes(), 0).expect("flat");
        same(&tree, doc.root());
        let selection = doc.root().child("PlainTextSelection").expect("selection");
        assert_eq!(selection.child_text("Description"), Some("説明 <a>c\nd"));
        let coding = selection.children_named("Coding").next().expect("coding");
        assert_eq!(
            coding
                .child("CodeRef")
                .and_then(|r| r.attribute("targetGUID")),
            Some("k")
        );
        let error = Doc::parse_text_source("s.qde", b"<a></a><b/>", 0).expect_err("two roots");
        assert_eq!(
            error.to_string(),
            dom::parse("s.qde", "<a></a><b/>")
                .expect_err("two roots")
                .to_string()
        );
    }
}
