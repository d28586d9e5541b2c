//! The shape of the specification's example documents, and checking a response against it:
//! the same root element, the same item element names, every field of the example present,
//! nothing beside them but the extensions a test allows.

use roxmltree::{Document, Node};
use serde_json::{Map, Value};

/// The format of a response, chosen by the path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    pub const BOTH: [Format; 2] = [Format::Xml, Format::Json];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Json => "json",
        }
    }
}

/// What a document holds, as the specification's example shows it.
#[derive(Debug, Clone)]
pub enum Shape {
    /// Text in XML; a string, number, boolean or null in JSON.
    Leaf,
    /// Named fields, each required.
    Object(Vec<(String, Shape)>),
    /// Items: elements named `item` inside the list's element in XML, an array in JSON.
    List { item: String, of: Box<Shape> },
}

/// One of the specification's example documents.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The XML root element's name.
    pub root: String,
    pub body: Shape,
}

fn fixture(file: &str) -> String {
    std::fs::read_to_string(format!("fixtures/open311/spec/{file}"))
        .unwrap_or_else(|e| panic!("fixtures/open311/spec/{file}: {e}"))
}

fn elements<'a, 'i>(node: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    node.children().filter(Node::is_element).collect()
}

fn name<'a>(node: &Node<'a, '_>) -> &'a str {
    node.tag_name().name()
}

impl Spec {
    /// From the example's XML (`{name}.xml`, for the element names) and JSON (`{name}.json`,
    /// for which elements are lists: the specification maps one onto the other by the Spark
    /// convention). The two examples must agree field for field.
    pub fn load(name: &str) -> Spec {
        let xml = fixture(&format!("{name}.xml"));
        let xml = Document::parse(&xml).unwrap();
        let json: Value = serde_json::from_str(&fixture(&format!("{name}.json"))).unwrap();
        let root = xml.root_element();
        Spec {
            root: self::name(&root).to_owned(),
            body: shape_of(root, &json, name),
        }
    }

    /// From an example given only in XML; `lists` names its list elements.
    pub fn load_xml(name: &str, lists: &[&str]) -> Spec {
        let xml = fixture(&format!("{name}.xml"));
        let xml = Document::parse(&xml).unwrap();
        let root = xml.root_element();
        Spec {
            root: self::name(&root).to_owned(),
            body: shape_of_xml(root, lists),
        }
    }

    /// The same document with one more required field in each item of its top list (a field
    /// the specification's table lists that its example leaves out).
    pub fn with_item_field(mut self, field: &str) -> Spec {
        let Shape::List { of, .. } = &mut self.body else {
            panic!("the document is not a list");
        };
        let Shape::Object(fields) = of.as_mut() else {
            panic!("the items are not objects");
        };
        fields.push((field.to_owned(), Shape::Leaf));
        self
    }
}

fn shape_of(element: Node, json: &Value, path: &str) -> Shape {
    let children = elements(element);
    let path = format!("{path}/{}", name(&element));
    match json {
        Value::Array(items) => {
            let item = name(children.first().expect("an example list has items"));
            assert!(children.iter().all(|c| name(c) == item), "{path}");
            assert_eq!(children.len(), items.len(), "{path}: XML and JSON items");
            Shape::List {
                item: item.to_owned(),
                of: Box::new(shape_of(children[0], &items[0], &path)),
            }
        }
        Value::Object(fields) => {
            let mut xml_names: Vec<&str> = children.iter().map(name).collect();
            let mut json_names: Vec<&str> = fields.keys().map(String::as_str).collect();
            xml_names.sort_unstable();
            json_names.sort_unstable();
            assert_eq!(xml_names, json_names, "{path}: XML and JSON fields");
            Shape::Object(
                children
                    .iter()
                    .map(|c| (name(c).to_owned(), shape_of(*c, &fields[name(c)], &path)))
                    .collect(),
            )
        }
        _ => {
            assert!(
                children.is_empty(),
                "{path}: JSON has a value, XML elements"
            );
            Shape::Leaf
        }
    }
}

fn shape_of_xml(element: Node, lists: &[&str]) -> Shape {
    let children = elements(element);
    if lists.contains(&name(&element)) {
        Shape::List {
            item: name(&children[0]).to_owned(),
            of: Box::new(shape_of_xml(children[0], lists)),
        }
    } else if children.is_empty() {
        Shape::Leaf
    } else {
        Shape::Object(
            children
                .iter()
                .map(|c| (name(c).to_owned(), shape_of_xml(*c, lists)))
                .collect(),
        )
    }
}

/// Checks `body` (a response in `format`) against `spec` and returns its content as JSON
/// values, XML text as strings. Fields named in `extras` may appear beside the
/// specification's (they are not checked further).
pub fn conform(spec: &Spec, format: Format, body: &str, extras: &[&str]) -> Value {
    match format {
        Format::Xml => {
            let document = Document::parse(body).unwrap_or_else(|e| panic!("{e}: {body}"));
            let root = document.root_element();
            let value = from_xml(root, &spec.body, name(&root), extras);
            // The body first: a wrong root name should not hide what else differs.
            assert_eq!(
                name(&root),
                spec.root,
                "the root element is named as in the specification's example"
            );
            assert_eq!(root.tag_name().namespace(), None, "no namespace: {body}");
            value
        }
        Format::Json => {
            let value: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
            check_json(&value, &spec.body, "$", extras);
            value
        }
    }
}

fn from_xml(element: Node, shape: &Shape, path: &str, extras: &[&str]) -> Value {
    let children = elements(element);
    match shape {
        Shape::Leaf => {
            assert!(
                children.is_empty(),
                "{path} holds elements, the example text"
            );
            Value::String(element.text().unwrap_or_default().to_owned())
        }
        Shape::List { item, of } => Value::Array(
            children
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    assert_eq!(
                        name(c),
                        item,
                        "{path}: the items are named as in the example"
                    );
                    from_xml(*c, of, &format!("{path}/{item}[{i}]"), extras)
                })
                .collect(),
        ),
        Shape::Object(fields) => {
            let mut out = Map::new();
            for (field, field_shape) in fields {
                let found: Vec<&Node> = children.iter().filter(|c| name(c) == field).collect();
                assert_eq!(found.len(), 1, "{path}/{field}: the example's field, once");
                let value = from_xml(*found[0], field_shape, &format!("{path}/{field}"), extras);
                out.insert(field.clone(), value);
            }
            for child in &children {
                let field = name(child);
                if fields.iter().any(|(f, _)| f == field) {
                    continue;
                }
                assert!(
                    extras.contains(&field),
                    "{path}/{field} is not in the example"
                );
                out.insert(field.to_owned(), loose_xml(*child));
            }
            Value::Object(out)
        }
    }
}

/// An extension's element as JSON: text, or its children by name (repeated names as arrays).
fn loose_xml(element: Node) -> Value {
    let children = elements(element);
    if children.is_empty() {
        return Value::String(element.text().unwrap_or_default().to_owned());
    }
    let mut out = Map::new();
    for child in children {
        let value = loose_xml(child);
        match out.get_mut(name(&child)) {
            Some(Value::Array(items)) => items.push(value),
            Some(first) => *first = Value::Array(vec![first.take(), value]),
            None => {
                out.insert(name(&child).to_owned(), value);
            }
        }
    }
    Value::Object(out)
}

fn check_json(value: &Value, shape: &Shape, path: &str, extras: &[&str]) {
    match shape {
        Shape::Leaf => assert!(
            !value.is_array() && !value.is_object(),
            "{path} is {value}, the example has a single value"
        ),
        Shape::List { of, .. } => {
            let items = value
                .as_array()
                .unwrap_or_else(|| panic!("{path} is {value}, the example an array"));
            for (i, item) in items.iter().enumerate() {
                check_json(item, of, &format!("{path}[{i}]"), extras);
            }
        }
        Shape::Object(fields) => {
            let object = value
                .as_object()
                .unwrap_or_else(|| panic!("{path} is {value}, the example an object"));
            for (field, field_shape) in fields {
                let found = object
                    .get(field)
                    .unwrap_or_else(|| panic!("{path}.{field}, in the example, is missing"));
                check_json(found, field_shape, &format!("{path}.{field}"), extras);
            }
            for field in object.keys() {
                assert!(
                    fields.iter().any(|(f, _)| f == field) || extras.contains(&field.as_str()),
                    "{path}.{field} is not in the example"
                );
            }
        }
    }
}

#[test]
fn the_transcribed_examples_agree_between_xml_and_json() {
    for name in [
        "discovery",
        "services",
        "service_definition",
        "post_response",
        "token",
        "requests",
        "request",
        "errors",
    ] {
        // `load` checks that both examples have the same fields and lists.
        let spec = Spec::load(name);
        assert!(matches!(spec.body, Shape::List { .. } | Shape::Object(_)));
    }
    let updates = Spec::load_xml("servicerequestupdates", &["service_request_updates"]);
    assert_eq!(updates.root, "service_request_updates");
}
