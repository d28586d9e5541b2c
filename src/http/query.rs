//! Reading query parameters one by one, so that each bad one is named in the error; and
//! writing them back into links.

use super::error::{ApiError, Expected};
use std::collections::HashMap;

/// The query string of a request, as name → value.
pub struct QueryParams(HashMap<String, String>);

impl QueryParams {
    pub fn new(map: HashMap<String, String>) -> Self {
        Self(map)
    }

    /// Every parameter as given.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The trimmed value of `name`, `None` when absent or blank.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// A number, or an error naming the parameter.
    pub fn number(&self, name: &'static str) -> Result<Option<f64>, ApiError> {
        self.text(name)
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .ok_or(ApiError::InvalidParameter {
                        field: name,
                        expected: Expected::Number,
                    })
            })
            .transpose()
    }

    /// A whole number in `min..=max`, or `default` when absent.
    pub fn integer_in(
        &self,
        name: &'static str,
        min: u32,
        max: u32,
        default: u32,
    ) -> Result<u32, ApiError> {
        let Some(v) = self.text(name) else {
            return Ok(default);
        };
        v.parse::<u32>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or(ApiError::InvalidParameter {
                field: name,
                expected: Expected::Range { min, max },
            })
    }

    /// A comma-separated list, each item parsed by `parse`.
    pub fn list<T>(
        &self,
        name: &'static str,
        expected: Expected,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Vec<T>, ApiError> {
        self.text(name)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        parse(s).ok_or(ApiError::InvalidParameter {
                            field: name,
                            expected,
                        })
                    })
                    .collect()
            })
            .unwrap_or(Ok(Vec::new()))
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
