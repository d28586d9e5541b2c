//! Turning what a client sent into a validated report, field by field.

use super::{IntakeError, Invalid};
use crate::domain::{is_clean_text, CategoryCode, Email, Lang, LonLat, Reporter};
use crate::limits::Client;
use crate::store::ApiClientId;
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
    /// The place in words (Open311 `address_string`).
    pub address: Option<String>,
    /// A picture hosted by the client (Open311 `media_url`).
    pub media_url: Option<String>,
    /// The reporter's device and account at the client (Open311), kept private.
    pub device_id: Option<String>,
    pub account_id: Option<String>,
    /// The Open311 client that sent it.
    pub api_client: Option<ApiClientId>,
    /// Who the per-client limits count it for (its address, or its API key).
    pub limited_as: Option<Client>,
}

/// The validated fields of a report (photos are processed separately).
pub(super) struct ParsedForm {
    pub category: CategoryCode,
    pub location: Option<LonLat>,
    pub description: String,
    pub reporter: Reporter,
    pub locale: Lang,
    pub address: Option<String>,
    pub media_url: Option<String>,
}

const MAX_DESCRIPTION_CHARS: usize = 5000;
const MAX_NAME_CHARS: usize = 200;
const MAX_ADDRESS_CHARS: usize = 500;
const MAX_URL_CHARS: usize = 2000;
const MAX_CLIENT_ID_CHARS: usize = 200;

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
    check_text("description", &description, MAX_DESCRIPTION_CHARS)?;
    let name = optional_text("reporter_name", &input.reporter_name, MAX_NAME_CHARS)?;
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
    let address = optional_text("address", &input.address, MAX_ADDRESS_CHARS)?;
    let device_id = optional_text("device_id", &input.device_id, MAX_CLIENT_ID_CHARS)?;
    let account_id = optional_text("account_id", &input.account_id, MAX_CLIENT_ID_CHARS)?;
    let media_url = present(&input.media_url)
        .map(|url| {
            web_url(url).ok_or_else(|| IntakeError::Invalid {
                field: "media_url".into(),
                reason: Invalid::Url,
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
        reporter: Reporter {
            name,
            email,
            phone,
            device_id,
            account_id,
        },
        locale,
        address,
        media_url,
    })
}

/// A field's trimmed text, or `None` when absent or blank.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A field's trimmed text, refused when longer than `max` characters.
fn optional_text(
    field: &str,
    value: &Option<String>,
    max: usize,
) -> Result<Option<String>, IntakeError> {
    let text = present(value).map(str::to_owned);
    if let Some(text) = &text {
        check_text(field, text, max)?;
    }
    Ok(text)
}

/// An absolute `http` or `https` URL without spaces, kept as given.
fn web_url(raw: &str) -> Option<String> {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let ok = !host.is_empty()
        && raw.chars().count() <= MAX_URL_CHARS
        && is_clean_text(raw)
        && !raw.chars().any(char::is_whitespace);
    ok.then(|| raw.to_owned())
}

fn number(field: &str, text: &str) -> Result<f64, IntakeError> {
    text.parse::<f64>().map_err(|_| IntakeError::Invalid {
        field: field.into(),
        reason: Invalid::NotANumber,
    })
}

/// Refuses text longer than `max` characters or holding characters no consumer can carry.
pub(super) fn check_text(field: &str, text: &str, max: usize) -> Result<(), IntakeError> {
    let invalid = |reason| {
        Err(IntakeError::Invalid {
            field: field.into(),
            reason,
        })
    };
    if text.chars().count() > max {
        return invalid(Invalid::TooLong { max });
    }
    if !is_clean_text(text) {
        return invalid(Invalid::Character);
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
                "media_url" => r.media_url = v,
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
        assert_eq!(
            bad(&[("category", "pothole"), ("media_url", "file:///etc/passwd")]),
            "media_url"
        );
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
