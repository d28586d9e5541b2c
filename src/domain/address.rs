//! Street addresses as residents write them, folded into a key that finds the address
//! whatever the case, diacritics, abbreviations and language of the street type.

/// Words that name the kind of street (Romanian, Hungarian, English; with their usual
/// abbreviations) and the number marker: they are left out of the key, since residents
/// write them every way or not at all.
const STREET_WORDS: &[&str] = &[
    "strada",
    "str",
    "bulevardul",
    "bulevard",
    "bd",
    "bdul",
    "b-dul",
    "calea",
    "cal",
    "piata",
    "pta",
    "p-ta",
    "aleea",
    "al",
    "soseaua",
    "sos",
    "splaiul",
    "spl",
    "intrarea",
    "int",
    "drumul",
    "fundatura",
    "utca",
    "u",
    "ut",
    "út",
    "ter",
    "tér",
    "korut",
    "körút",
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "square",
    "sq",
    "nr",
    "numarul",
    "no",
    "szam",
    "szám",
];

/// An address folded for lookup: `street|number`, e.g. `mihai viteazu|5a`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddressKey(String);

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
        let street_of = |tokens: &[String]| -> Vec<String> {
            tokens
                .iter()
                .filter(|t| !STREET_WORDS.contains(&t.as_str()))
                .cloned()
                .collect()
        };
        for (i, tokens) in parts.iter().enumerate() {
            let Some(at) = tokens
                .iter()
                .rposition(|t| t.starts_with(|c: char| c.is_ascii_digit()))
            else {
                continue;
            };
            let mut street = street_of(&tokens[..at]);
            if street.is_empty() && i > 0 {
                street = street_of(&parts[i - 1]);
            }
            if street.is_empty() {
                continue;
            }
            // "12 a" and "12a" are the same house.
            let mut number = tokens[at].clone();
            if let Some(letter) = tokens.get(at + 1).filter(|t| t.chars().count() == 1) {
                number.push_str(letter);
            }
            return Some(Self(format!("{}|{number}", street.join(" "))));
        }
        None
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Lower case, Romanian and Hungarian letters without their marks, punctuation as spaces
/// (except inside a number such as `12-14` or `5/a`, kept together).
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        let plain = match c {
            'ă' | 'â' | 'á' | 'ä' | 'à' => 'a',
            'î' | 'í' => 'i',
            'ș' | 'ş' => 's',
            'ț' | 'ţ' => 't',
            'é' | 'è' => 'e',
            'ó' | 'ö' | 'ő' => 'o',
            'ú' | 'ü' | 'ű' => 'u',
            'å' => 'a',
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

    fn key(text: &str) -> String {
        AddressKey::parse(text).map(|k| k.0).unwrap_or_default()
    }

    #[test]
    fn the_ways_residents_write_an_address_give_one_key() {
        let register = AddressKey::of("Strada Mihai Viteazu", "5A").unwrap();
        assert_eq!(register.as_str(), "mihai viteazu|5a");
        for written in [
            "Str. Mihai Viteazu nr. 5A",
            "strada mihai viteazu 5 a, Alba Iulia",
            "Mihai Viteazu utca 5A",
            "MIHAI VITEAZU, NR 5A, 510010 Alba Iulia",
        ] {
            assert_eq!(key(written), register.as_str(), "{written}");
        }
        assert_eq!(key("Bd. Transilvaniei nr. 12-14"), "transilvaniei|12-14");
        assert_eq!(key("Piața Iuliu Maniu 3"), "iuliu maniu|3");
        assert_eq!(
            key("Mannerheimintie 5, 00100 Helsinki"),
            "mannerheimintie|5"
        );
        assert_eq!(key("Kossuth Lajos utca 10."), "kossuth lajos|10");
        assert_eq!(
            AddressKey::of("Strada 1 Decembrie 1918", "5")
                .unwrap()
                .as_str(),
            key("Str. 1 Decembrie 1918 nr. 5")
        );
    }

    #[test]
    fn without_a_street_or_a_number_there_is_no_key() {
        assert_eq!(AddressKey::parse("lângă piață"), None);
        assert_eq!(AddressKey::parse("nr. 12"), None);
        assert_eq!(AddressKey::parse(""), None);
    }
}
