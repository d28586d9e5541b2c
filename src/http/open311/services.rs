//! `services` and `services/{code}`: the categories as Open311 services, and their extra
//! attributes as service definitions.

use super::document::{Document, Node};
use crate::domain::{AttributeDef, Category, Lang};

/// Every active category as a service, in `lang`.
pub(super) fn service_list(categories: &[Category], lang: Lang) -> Document {
    let services = categories.iter().map(|c| service(c, lang)).collect();
    Document {
        root: "services",
        body: Node::list("service", services),
    }
}

fn service(c: &Category, lang: Lang) -> Node {
    // The names in all three languages, so a client can search in any of them.
    let keywords: Vec<&str> = Lang::ALL.iter().map(|&l| c.name.get(l)).collect();
    Node::Object(vec![
        ("service_code", Node::text(c.code.as_str())),
        ("service_name", Node::text(c.name.get(lang))),
        ("description", Node::text(c.description.get(lang))),
        ("metadata", Node::Bool(!c.attributes.is_empty())),
        // Requests are filed at once and answered with their id: no token round trip.
        ("type", Node::text("realtime")),
        ("keywords", Node::text(keywords.join(", "))),
        ("group", Node::text(c.group_name.get(lang))),
    ])
}

/// The service definition of `c`: its attributes in their order, in `lang`.
pub(super) fn service_definition(c: &Category, lang: Lang) -> Document {
    let mut attributes: Vec<&AttributeDef> = c.attributes.iter().collect();
    attributes.sort_by_key(|a| a.order);
    let attributes = attributes
        .into_iter()
        .enumerate()
        .map(|(position, a)| attribute(a, position, lang))
        .collect();
    Document {
        root: "service_definition",
        body: Node::Object(vec![
            ("service_code", Node::text(c.code.as_str())),
            ("attributes", Node::list("attribute", attributes)),
        ]),
    }
}

fn attribute(a: &AttributeDef, position: usize, lang: Lang) -> Node {
    let values = a
        .values
        .iter()
        .map(|v| {
            Node::Object(vec![
                ("key", Node::text(v.key.as_str())),
                ("name", Node::text(v.name.get(lang))),
            ])
        })
        .collect();
    Node::Object(vec![
        // Every attribute asks the reporter for a value (none is informational only).
        ("variable", Node::Bool(true)),
        ("code", Node::text(a.code.as_str())),
        ("datatype", Node::text(a.datatype.as_str())),
        ("required", Node::Bool(a.required)),
        ("datatype_description", Node::Null),
        // Open311 orders from 1; ties in our definitions keep their listed order.
        ("order", Node::Integer(position as i64 + 1)),
        ("description", Node::text(a.description.get(lang))),
        ("values", Node::list("value", values)),
    ])
}
