//! Street addresses as residents write them, folded into a key that finds the address
//! whatever the case, diacritics, abbreviations and language of the street type.

/// The kinds of street, each with the words (Romanian, Hungarian, English, with their usual
/// abbreviations, all folded) that name it. "Piața Unirii 3" and "Strada Unirii 3" are two
/// places, so the kind is part of the key; "Str." and "utca" are the same kind.
const STREET_KINDS: &[(&str, &[&str])] = &[
    ("street", &["strada", "str", "utca", "u", "street", "st"]),
    ("square", &["piata", "pta", "p-ta", "ter", "square", "sq"]),
    (
        "boulevard",
        &[
            "bulevardul",
            "bulevard",
            "bd",
            "bdul",
            "b-dul",
            "korut",
            "boulevard",
            "blvd",
        ],
    ),
    ("avenue", &["calea", "cal", "ut", "avenue", "ave"]),
    ("alley", &["aleea", "al", "koz", "alley"]),
    ("road", &["soseaua", "sos", "drumul", "road", "rd"]),
    ("embankment", &["splaiul", "spl", "rakpart"]),
    ("passage", &["intrarea", "int", "fundatura", "passage"]),
];

/// Words that mark the house number ("nr. 5"): left out.
const NUMBER_WORDS: &[&str] = &["nr", "numarul", "no", "szam"];

/// An address folded for lookup.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddressKey {
    /// `kind:street|number`, e.g. `street:mihai viteazu|5a`; the kind is empty when the
    /// address names none (`:mannerheimintie|5`).
    typed: String,
    /// `street|number` without the kind, for an address written without one.
    untyped: String,
}

impl AddressKey {
    /// The key of a street and a house number as a register lists them.
    pub fn of(street: &str, housenumber: &str) -> Option<Self> {
        Self::parse(&format!("{street} {housenumber}"))
    }

    /// The key of an address written in one line, such as `Str. Mihai Viteazu, nr. 5,
    /// Alba Iulia`: in the first comma-separated part that has one, the last token starting
    /// with a digit is the number, and the words before it (or, when it stands alone, the
    /// part before) are the street. `None` when there is no street or no number.
    pub fn parse(text: &str) -> Option<Self> {
        let parts: Vec<Vec<String>> = text
            .split([',', ';', '\n'])
            .map(|part| fold(part).split_whitespace().map(str::to_owned).collect())
            .collect();
        for (i, tokens) in parts.iter().enumerate() {
            let Some(at) = tokens
                .iter()
                .rposition(|t| t.starts_with(|c: char| c.is_ascii_digit()))
            else {
                continue;
            };
            let mut street = Street::of(&tokens[..at]);
            if street.words.is_empty() && i > 0 {
                street = Street::of(&parts[i - 1]);
            }
            if street.words.is_empty() {
                continue;
            }
            // "12 a" and "12a" are the same house.
            let mut number = tokens[at].clone();
            if let Some(letter) = tokens.get(at + 1).filter(|t| t.chars().count() == 1) {
                number.push_str(letter);
            }
            let untyped = format!("{}|{number}", street.words.join(" "));
            return Some(Self {
                typed: format!("{}:{untyped}", street.kind.unwrap_or_default()),
                untyped,
            });
        }
        None
    }

    /// The key with the kind of street: unique in a register.
    pub fn typed(&self) -> &str {
        &self.typed
    }

    /// The key without the kind of street.
    pub fn untyped(&self) -> &str {
        &self.untyped
    }

    /// Whether the address named its kind of street.
    pub fn has_kind(&self) -> bool {
        !self.typed.starts_with(':')
    }

    /// The key of the same street and number with no kind named, as a register that names
    /// none lists it.
    pub fn without_kind(&self) -> String {
        format!(":{}", self.untyped)
    }
}

/// A street's name words and the kind its name gives, if any.
struct Street {
    kind: Option<&'static str>,
    words: Vec<String>,
}

impl Street {
    fn of(tokens: &[String]) -> Self {
        let mut kind = None;
        let mut words = Vec::new();
        for token in tokens {
            let named_kind = STREET_KINDS
                .iter()
                .find(|(_, names)| names.contains(&token.as_str()))
                .map(|(k, _)| *k);
            match named_kind {
                Some(k) => {
                    kind.get_or_insert(k);
                }
                None if NUMBER_WORDS.contains(&token.as_str()) => {}
                None => words.push(token.clone()),
            }
        }
        Self { kind, words }
    }
}

/// Lower case, Romanian and Hungarian letters without their marks, punctuation as spaces
/// (except inside a number such as `12-14` or `5/a`, kept together).
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        let plain = match c {
            'ă' | 'â' | 'á' | 'ä' | 'à' | 'å' => 'a',
            'î' | 'í' => 'i',
            'ș' | 'ş' => 's',
            'ț' | 'ţ' => 't',
            'é' | 'è' => 'e',
            'ó' | 'ö' | 'ő' => 'o',
            'ú' | 'ü' | 'ű' => 'u',
            c if c.is_alphanumeric() => c,
            '-' | '/' => c,
            _ => ' ',
        };
        out.push(plain);
    }
    // A dash or slash between words ("b-dul") stays; alone it is a separator.
    out.split_whitespace()
        .map(|t| t.trim_matches(|c| c == '-' || c == '/'))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> String {
        AddressKey::parse(text)
            .map(|k| k.typed().to_owned())
            .unwrap_or_default()
    }

    #[test]
    fn the_ways_residents_write_an_address_give_one_key() {
        let register = AddressKey::of("Strada Mihai Viteazu", "5A").unwrap();
        assert_eq!(register.typed(), "street:mihai viteazu|5a");
        assert_eq!(register.untyped(), "mihai viteazu|5a");
        for written in [
            "Str. Mihai Viteazu nr. 5A",
            "strada mihai viteazu 5 a, Alba Iulia",
            "Mihai Viteazu utca 5A",
            "MIHAI VITEAZU STR., NR 5A, 510010 Alba Iulia",
        ] {
            assert_eq!(typed(written), register.typed(), "{written}");
        }
        assert_eq!(
            typed("Bd. Transilvaniei nr. 12-14"),
            "boulevard:transilvaniei|12-14"
        );
        assert_eq!(typed("Piața Iuliu Maniu 3"), "square:iuliu maniu|3");
        assert_eq!(
            typed("Mannerheimintie 5, 00100 Helsinki"),
            ":mannerheimintie|5"
        );
        assert_eq!(typed("Kossuth Lajos utca 10."), "street:kossuth lajos|10");
        assert_eq!(
            AddressKey::of("Strada 1 Decembrie 1918", "5").unwrap(),
            AddressKey::parse("Str. 1 Decembrie 1918 nr. 5").unwrap()
        );
    }

    #[test]
    fn the_kind_of_street_tells_apart_places_of_the_same_name() {
        let square = AddressKey::parse("Piața Unirii 3").unwrap();
        let street = AddressKey::parse("Strada Unirii 3").unwrap();
        assert_ne!(square.typed(), street.typed());
        assert_eq!(square.untyped(), street.untyped());
        assert_ne!(
            typed("Kossuth Lajos tér 10"),
            typed("Kossuth Lajos utca 10")
        );
        assert!(!AddressKey::parse("Unirii 3").unwrap().has_kind());
        assert_eq!(
            street.without_kind(),
            AddressKey::parse("Unirii 3").unwrap().typed()
        );
    }

    #[test]
    fn without_a_street_or_a_number_there_is_no_key() {
        assert_eq!(AddressKey::parse("lângă piață"), None);
        assert_eq!(AddressKey::parse("nr. 12"), None);
        assert_eq!(AddressKey::parse(""), None);
    }
}
