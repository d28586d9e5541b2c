//! One description of an Open311 response, written as XML or as JSON.
//!
//! GeoReport v2 gives every response in both formats with the same field names: a list is
//! a JSON array and, in XML, a wrapper element holding one element per item (`<services>`
//! holding `<service>`s). Handlers build a [`Node`] tree once and [`Format`] writes it.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde_json::Value;

/// The format of a response, chosen by the path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// Splits `services.xml` into `services` and its format.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        let (stem, extension) = file.rsplit_once('.')?;
        let format = match extension {
            "xml" => Format::Xml,
            "json" => Format::Json,
            _ => return None,
        };
        Some((stem, format))
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "text/xml; charset=utf-8",
            Format::Json => "application/json",
        }
    }

    /// `document` written in this format.
    pub fn write(self, document: &Document) -> Vec<u8> {
        match self {
            Format::Xml => to_xml(document),
            Format::Json => serde_json::to_vec(&to_json(&document.body)).expect("JSON values"),
        }
    }
}

/// A value in a response.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Text(String),
    Number(f64),
    Integer(i64),
    Bool(bool),
    /// An absent value: `null` in JSON, an empty element in XML.
    Null,
    /// Named fields, in order.
    Object(Vec<(&'static str, Node)>),
    /// Items, each named `item` in XML.
    List {
        item: &'static str,
        items: Vec<Node>,
    },
}

impl Node {
    pub fn text(value: impl Into<String>) -> Self {
        Node::Text(value.into())
    }

    /// Text, or [`Node::Null`] when there is none.
    pub fn optional_text(value: Option<impl Into<String>>) -> Self {
        value.map_or(Node::Null, |v| Node::Text(v.into()))
    }

    pub fn list(item: &'static str, items: Vec<Node>) -> Self {
        Node::List { item, items }
    }
}

/// A whole response: the root element's name (XML only) and its content.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: &'static str,
    pub body: Node,
}

fn to_json(node: &Node) -> Value {
    match node {
        Node::Text(s) => Value::from(s.as_str()),
        // A whole number stays whole (`12`, not `12.0`), as in the XML.
        Node::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => Value::from(*n as i64),
        Node::Number(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
        Node::Integer(i) => Value::from(*i),
        Node::Bool(b) => Value::from(*b),
        Node::Null => Value::Null,
        Node::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, value)| ((*name).to_owned(), to_json(value)))
                .collect(),
        ),
        Node::List { items, .. } => Value::Array(items.iter().map(to_json).collect()),
    }
}

fn to_xml(document: &Document) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let declaration = Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None));
    write(&mut writer, declaration);
    element(&mut writer, document.root, &document.body);
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    bytes
}

fn write(writer: &mut Writer<Vec<u8>>, event: Event<'_>) {
    writer
        .write_event(event)
        .expect("writing to memory cannot fail");
}

fn element(writer: &mut Writer<Vec<u8>>, name: &str, node: &Node) {
    let text = match node {
        Node::Null => {
            write(writer, Event::Empty(BytesStart::new(name)));
            return;
        }
        Node::Text(s) => xml_chars(s),
        Node::Number(n) => n.to_string(),
        Node::Integer(i) => i.to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Object(fields) => {
            write(writer, Event::Start(BytesStart::new(name)));
            for (field, value) in fields {
                element(writer, field, value);
            }
            write(writer, Event::End(BytesEnd::new(name)));
            return;
        }
        Node::List { items, .. } if items.is_empty() => {
            write(writer, Event::Empty(BytesStart::new(name)));
            return;
        }
        Node::List { item, items } => {
            write(writer, Event::Start(BytesStart::new(name)));
            for value in items {
                element(writer, item, value);
            }
            write(writer, Event::End(BytesEnd::new(name)));
            return;
        }
    };
    write(writer, Event::Start(BytesStart::new(name)));
    // Quotes need no escaping in text; `<`, `>` and `&` do.
    let escaped = quick_xml::escape::partial_escape(&text);
    write(writer, Event::Text(BytesText::from_escaped(escaped)));
    write(writer, Event::End(BytesEnd::new(name)));
}

/// `text` without the characters XML 1.0 cannot carry (its `Char` production: no control
/// characters but tab and line breaks, no U+FFFE/U+FFFF). Intake refuses them already; this
/// keeps one bad row from breaking the document for every client.
fn xml_chars(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
                || c >= '\u{10000}'
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        Document {
            root: "services",
            body: Node::list(
                "service",
                vec![Node::Object(vec![
                    ("service_code", Node::text("pothole")),
                    ("metadata", Node::Bool(true)),
                    ("description", Node::text("Gropi <adânci> & \u{1}\"rupte\"")),
                    ("group", Node::Null),
                    ("depth", Node::Number(12.0)),
                    ("values", Node::list("value", vec![])),
                ])],
            ),
        }
    }

    #[test]
    fn one_tree_gives_both_formats() {
        let xml = String::from_utf8(Format::Xml.write(&sample())).unwrap();
        assert_eq!(
            xml,
            r#"<?xml version="1.0" encoding="utf-8"?>
<services>
  <service>
    <service_code>pothole</service_code>
    <metadata>true</metadata>
    <description>Gropi &lt;adânci&gt; &amp; "rupte"</description>
    <group/>
    <depth>12</depth>
    <values/>
  </service>
</services>
"#
        );
        let json: Value = serde_json::from_slice(&Format::Json.write(&sample())).unwrap();
        assert_eq!(
            json,
            serde_json::json!([{
                "service_code": "pothole", "metadata": true,
                "description": "Gropi <adânci> & \u{1}\"rupte\"", "group": null,
                "depth": 12, "values": []
            }])
        );
    }

    #[test]
    fn the_extension_picks_the_format() {
        assert_eq!(
            Format::split("services.xml"),
            Some(("services", Format::Xml))
        );
        assert_eq!(
            Format::split("ABCD-EF23.json"),
            Some(("ABCD-EF23", Format::Json))
        );
        assert_eq!(Format::split("services.html"), None);
        assert_eq!(Format::split("services"), None);
    }
}
