//! The three languages every interface speaks.

use serde::{Deserialize, Serialize};

/// An interface language: Romanian (the default), Hungarian or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ro,
    Hu,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ro, Lang::Hu, Lang::En];

    /// Parses a language tag such as `hu`, `en-GB` or `ro_RO`.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ro" => Some(Lang::Ro),
            "hu" => Some(Lang::Hu),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the best supported language from an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else {
                continue;
            };
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ro => "ro",
            Lang::Hu => "hu",
            Lang::En => "en",
        }
    }
}

/// A text given in each of the three languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Localized {
    pub ro: String,
    pub hu: String,
    pub en: String,
}

impl Localized {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ro => &self.ro,
            Lang::Hu => &self.hu,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_highest_supported_quality() {
        assert_eq!(
            Lang::from_accept_language("de-DE, hu;q=0.8, en;q=0.5"),
            Some(Lang::Hu)
        );
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,ro;q=0.95"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("fr, de"), None);
    }
}
