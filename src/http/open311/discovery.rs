//! `discovery`: where the endpoint is, its formats, and how to get a key.

use super::document::{Document, Node};
use crate::domain::Lang;
use crate::http::messages::t;

/// When this interface last changed.
const CHANGESET: &str = "2026-11-30T00:00:00+00:00";

/// `discovery`: where the endpoint is, its formats, and how to get a key.
pub(super) fn discovery(base: &str, l: Lang) -> Document {
    let formats = ["text/xml", "application/json"]
        .into_iter()
        .map(Node::text)
        .collect();
    let endpoint = Node::Object(vec![
        (
            "specification",
            Node::text("http://wiki.open311.org/GeoReport_v2"),
        ),
        ("url", Node::Text(format!("{base}/open311/v2"))),
        ("changeset", Node::text(CHANGESET)),
        ("type", Node::text("production")),
        ("formats", Node::list("format", formats)),
    ]);
    Document {
        root: "discovery",
        body: Node::Object(vec![
            ("changeset", Node::text(CHANGESET)),
            (
                "contact",
                Node::Text(t(
                    l,
                    "Departamentul IT al primăriei.",
                    "A városháza informatikai osztálya.",
                    "The city hall's IT department.",
                )),
            ),
            (
                "key_service",
                Node::Text(t(
                    l,
                    "Cheile API pentru trimiterea sesizărilor sunt emise de administratorul primăriei (semnal api-keys create).",
                    "A bejelentések beküldéséhez szükséges API-kulcsokat a városháza rendszergazdája adja ki (semnal api-keys create).",
                    "API keys for filing requests are issued by the city's administrator (semnal api-keys create).",
                )),
            ),
            ("endpoints", Node::list("endpoint", vec![endpoint])),
        ]),
    }
}
