//! Turning what a client sent into a validated report, field by field.

use super::{IntakeError, Invalid};
use crate::domain::{CategoryCode, Email, Lang, LonLat, Reporter};
use std::collections::BTreeMap;

/// A report as submitted, before validation; every value as text.
#[derive(Debug, Default, Clone)]
pub struct ReportInput {
    pub category: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    pub description: Option<String>,
    pub reporter_name: Option<String>,
    pub reporter_email: Option<String>,
    pub reporter_phone: Option<String>,
    pub locale: Option<String>,
    pub attributes: BTreeMap<String, Vec<String>>,
    /// Uploaded photos, in order.
    pub photos: Vec<Vec<u8>>,
}

/// The validated fields of a report (photos are processed separately).
pub(super) struct ParsedForm {
    pub category: CategoryCode,
    pub location: Option<LonLat>,
    pub description: String,
    pub reporter: Reporter,
    pub locale: Lang,
}

const MAX_DESCRIPTION_CHARS: usize = 5000;
const MAX_NAME_CHARS: usize = 200;

/// Validates every field but the photos and attributes; the first problem found is returned.
pub(super) fn parse_form(input: &ReportInput) -> Result<ParsedForm, IntakeError> {
    let category_text =
        present(&input.category).ok_or(IntakeError::Missing { field: "category" })?;
    let category =
        CategoryCode::parse(category_text).ok_or_else(|| IntakeError::UnknownCategory {
            code: category_text.into(),
        })?;
    let location = match (present(&input.lon), present(&input.lat)) {
        (None, None) => None,
        (Some(_), None) => return Err(IntakeError::Missing { field: "lat" }),
        (None, Some(_)) => return Err(IntakeError::Missing { field: "lon" }),
        (Some(lon), Some(lat)) => {
            let lon = number("lon", lon)?;
            let lat = number("lat", lat)?;
            Some(LonLat::new(lon, lat).map_err(|e| {
                let field = match e {
                    crate::domain::CoordError::Longitude => "lon",
                    crate::domain::CoordError::Latitude => "lat",
                };
                IntakeError::Invalid {
                    field: field.into(),
                    reason: Invalid::Coordinate,
                }
            })?)
        }
    };
    let description = present(&input.description).unwrap_or_default().to_owned();
    check_length("description", &description, MAX_DESCRIPTION_CHARS)?;
    let name = present(&input.reporter_name).map(str::to_owned);
    if let Some(name) = &name {
        check_length("reporter_name", name, MAX_NAME_CHARS)?;
    }
    let email = present(&input.reporter_email)
        .map(|e| {
            Email::parse(e).ok_or(IntakeError::Invalid {
                field: "reporter_email".into(),
                reason: Invalid::Email,
            })
        })
        .transpose()?;
    let phone = present(&input.reporter_phone)
        .map(|p| {
            phone_number(p).ok_or(IntakeError::Invalid {
                field: "reporter_phone".into(),
                reason: Invalid::Phone,
            })
        })
        .transpose()?;
    let locale = match present(&input.locale) {
        None => Lang::default(),
        Some(l) => Lang::parse(l).ok_or(IntakeError::Invalid {
            field: "locale".into(),
            reason: Invalid::Locale,
        })?,
    };
    Ok(ParsedForm {
        category,
        location,
        description,
        reporter: Reporter { name, email, phone },
        locale,
    })
}

/// A field's trimmed text, or `None` when absent or blank.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn number(field: &str, text: &str) -> Result<f64, IntakeError> {
    text.parse::<f64>().map_err(|_| IntakeError::Invalid {
        field: field.into(),
        reason: Invalid::NotANumber,
    })
}

fn check_length(field: &str, text: &str, max: usize) -> Result<(), IntakeError> {
    if text.chars().count() > max {
        return Err(IntakeError::Invalid {
            field: field.into(),
            reason: Invalid::TooLong { max },
        });
    }
    Ok(())
}

/// A phone number: digits with optional `+`, spaces, dots, dashes and parentheses; 6 to 15
/// digits (E.164's maximum). Kept as typed.
fn phone_number(raw: &str) -> Option<String> {
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    let allowed = raw
        .chars()
        .all(|c| c.is_ascii_digit() || " +-.()".contains(c));
    (allowed && (6..=15).contains(&digits)).then(|| raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(pairs: &[(&str, &str)]) -> ReportInput {
        let mut r = ReportInput::default();
        for (k, v) in pairs {
            let v = Some(v.to_string());
            match *k {
                "category" => r.category = v,
                "lat" => r.lat = v,
                "lon" => r.lon = v,
                "reporter_email" => r.reporter_email = v,
                "reporter_phone" => r.reporter_phone = v,
                "locale" => r.locale = v,
                _ => unreachable!(),
            }
        }
        r
    }

    fn field_of(e: IntakeError) -> String {
        match e {
            IntakeError::Missing { field } => field.into(),
            IntakeError::Invalid { field, .. } => field,
            IntakeError::UnknownCategory { .. } => "category".into(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        let bad = |pairs: &[(&str, &str)]| field_of(parse_form(&input(pairs)).err().unwrap());
        assert_eq!(bad(&[]), "category");
        assert_eq!(bad(&[("category", "pothole"), ("lat", "46.07")]), "lon");
        assert_eq!(
            bad(&[("category", "pothole"), ("lat", "north"), ("lon", "23.5")]),
            "lat"
        );
        assert_eq!(
            bad(&[("category", "pothole"), ("lat", "95"), ("lon", "23.5")]),
            "lat"
        );
        assert_eq!(
            bad(&[("category", "pothole"), ("reporter_email", "ana@")]),
            "reporter_email"
        );
        assert_eq!(
            bad(&[("category", "pothole"), ("reporter_phone", "call me")]),
            "reporter_phone"
        );
        assert_eq!(bad(&[("category", "pothole"), ("locale", "de")]), "locale");
        assert_eq!(bad(&[("category", "Pot Hole")]), "category");
    }

    #[test]
    fn a_valid_form_parses() {
        let form = parse_form(&input(&[
            ("category", "pothole"),
            ("lat", " 46.07 "),
            ("lon", "23.58"),
            ("reporter_phone", "+40 744 123 456"),
            ("locale", "hu-HU"),
        ]))
        .unwrap();
        assert_eq!(form.location, Some(LonLat::new(23.58, 46.07).unwrap()));
        assert_eq!(form.locale, Lang::Hu);
        assert_eq!(form.reporter.phone.as_deref(), Some("+40 744 123 456"));
    }
}
