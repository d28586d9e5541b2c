//! Checking the extra attributes of a report against its category's definitions.

use super::{AttributeDef, AttributeType};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What is wrong with one attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeProblem {
    Unknown,
    Required,
    NotANumber,
    NotADatetime,
    NotAnAllowedValue,
    OneValueExpected,
    TooLong,
    /// Control characters (but tab and line breaks), NUL or Unicode noncharacters.
    InvalidCharacters,
}

/// An attribute that was refused, by its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeError {
    pub code: String,
    pub problem: AttributeProblem,
}

const MAX_ATTRIBUTE_CHARS: usize = 2000;

/// Checks `given` (code → submitted values) against `defs` and returns the attributes as a
/// JSON object of typed values: numbers as numbers, multi-value lists as arrays.
pub fn validate_attributes(
    defs: &[AttributeDef],
    given: &BTreeMap<String, Vec<String>>,
) -> Result<Map<String, Value>, AttributeError> {
    let fail = |code: &str, problem| AttributeError {
        code: code.to_owned(),
        problem,
    };
    if let Some(unknown) = given
        .keys()
        .find(|code| !defs.iter().any(|d| &d.code == *code))
    {
        return Err(fail(unknown, AttributeProblem::Unknown));
    }
    let mut out = Map::new();
    for def in defs {
        let values: Vec<&str> = given
            .get(&def.code)
            .into_iter()
            .flatten()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            if def.required {
                return Err(fail(&def.code, AttributeProblem::Required));
            }
            continue;
        }
        let single = || match values.as_slice() {
            [one] => Ok(*one),
            _ => Err(fail(&def.code, AttributeProblem::OneValueExpected)),
        };
        let allowed = |v: &str| def.values.iter().any(|a| a.key == v);
        let value = match def.datatype {
            AttributeType::String | AttributeType::Text => {
                let text = single()?;
                if text.chars().count() > MAX_ATTRIBUTE_CHARS {
                    return Err(fail(&def.code, AttributeProblem::TooLong));
                }
                if !super::is_clean_text(text) {
                    return Err(fail(&def.code, AttributeProblem::InvalidCharacters));
                }
                Value::from(text)
            }
            AttributeType::Number => {
                let number: f64 = single()?
                    .parse()
                    .map_err(|_| fail(&def.code, AttributeProblem::NotANumber))?;
                serde_json::Number::from_f64(number)
                    .map(Value::Number)
                    .ok_or_else(|| fail(&def.code, AttributeProblem::NotANumber))?
            }
            AttributeType::Datetime => {
                let text = single()?;
                chrono::DateTime::parse_from_rfc3339(text)
                    .map_err(|_| fail(&def.code, AttributeProblem::NotADatetime))?;
                Value::from(text)
            }
            AttributeType::Singlevaluelist => {
                let key = single()?;
                if !allowed(key) {
                    return Err(fail(&def.code, AttributeProblem::NotAnAllowedValue));
                }
                Value::from(key)
            }
            AttributeType::Multivaluelist => {
                // Each option once, in the order first given: a list can never be longer
                // than the category's options, however often a value is repeated.
                let mut chosen: Vec<&str> = Vec::with_capacity(def.values.len());
                for v in &values {
                    if !allowed(v) {
                        return Err(fail(&def.code, AttributeProblem::NotAnAllowedValue));
                    }
                    if !chosen.contains(v) {
                        chosen.push(v);
                    }
                }
                Value::from(chosen)
            }
        };
        out.insert(def.code.clone(), value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AttributeValue, Localized};

    fn def(code: &str, datatype: AttributeType, required: bool) -> AttributeDef {
        AttributeDef {
            code: code.into(),
            datatype,
            required,
            order: 0,
            description: Localized::default(),
            values: ["a", "b"]
                .map(|k| AttributeValue {
                    key: k.into(),
                    name: Localized::default(),
                })
                .to_vec(),
        }
    }

    fn given(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn typed_values_come_out_and_each_problem_is_named() {
        let defs = [
            def("depth", AttributeType::Number, true),
            def("kind", AttributeType::Singlevaluelist, false),
            def("what", AttributeType::Multivaluelist, false),
        ];
        let ok = validate_attributes(
            &defs,
            &given(&[("depth", &["12.5"]), ("what", &["a", "b"])]),
        )
        .unwrap();
        assert_eq!(
            Value::Object(ok),
            serde_json::json!({"depth": 12.5, "what": ["a", "b"]})
        );

        let problem = |g| validate_attributes(&defs, &given(g)).unwrap_err();
        assert_eq!(problem(&[]).problem, AttributeProblem::Required);
        assert_eq!(
            problem(&[("depth", &["deep"])]).problem,
            AttributeProblem::NotANumber
        );
        assert_eq!(problem(&[("depth", &["1"]), ("kind", &["c"])]).code, "kind");
        assert_eq!(
            problem(&[("depth", &["1"]), ("colour", &["red"])]).problem,
            AttributeProblem::Unknown
        );
    }

    #[test]
    fn a_repeated_choice_is_kept_once_and_hidden_characters_are_refused() {
        let defs = [
            def("what", AttributeType::Multivaluelist, false),
            def("note", AttributeType::Text, false),
        ];
        let flood: Vec<&str> = ["b", "a"].iter().copied().cycle().take(10_000).collect();
        let ok = validate_attributes(&defs, &given(&[("what", &flood[..])])).unwrap();
        assert_eq!(Value::Object(ok), serde_json::json!({"what": ["b", "a"]}));

        for bad in ["nul\u{0}", "bell\u{7}", "xml\u{ffff}"] {
            let e = validate_attributes(&defs, &given(&[("note", &[bad])])).unwrap_err();
            assert_eq!(
                (e.code.as_str(), e.problem),
                ("note", AttributeProblem::InvalidCharacters)
            );
        }
        assert!(validate_attributes(&defs, &given(&[("note", &["two\r\nlines\tok"])])).is_ok());
    }
}
