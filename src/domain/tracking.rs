//! Tracking numbers: short, random, and easy to read out over the phone.
//!
//! Eight characters from an alphabet without the look-alikes O/0 and I/1, shown as
//! `ABCD-EFGH`. Seven are random (32^7 ≈ 3.4·10^10, so not guessable in sequence); the
//! eighth is a Luhn mod 32 check character. It catches every single mistyped character and
//! every swap of two neighbouring characters except `2` ↔ `Z` (the first and last of the
//! alphabet, Luhn's blind spot, like `0` ↔ `9` in decimal Luhn). The scheme stays as it is
//! because numbers already handed out are parsed, check included, when people look them up.

use rand::Rng;
use serde::{Serialize, Serializer};
use std::fmt;

const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const LEN: usize = 8;

/// A validated tracking number, stored without its dash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TrackingNumber(String);

/// Why a tracking number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TrackingNumberError {
    #[error("a tracking number has 8 characters")]
    Length,
    #[error("a tracking number uses only digits 2-9 and letters other than O and I")]
    Character,
    #[error("the tracking number's check character does not match")]
    Check,
}

fn value_of(c: u8) -> Option<usize> {
    ALPHABET.iter().position(|&a| a == c)
}

/// Luhn mod N over the payload: the character that makes the whole string check out.
///
/// Doubling is a permutation of the values, so any one changed character changes the sum;
/// a neighbouring swap of `a` and `b` goes unseen only when `double(a) - a == double(b) - b`,
/// which holds for `0` and `N-1` alone.
fn check_char(payload: &[u8]) -> u8 {
    let n = ALPHABET.len();
    let mut sum = 0;
    for (i, &c) in payload.iter().rev().enumerate() {
        let mut v = value_of(c).expect("payload uses the alphabet");
        if i % 2 == 0 {
            v *= 2;
            v = v / n + v % n;
        }
        sum += v;
    }
    ALPHABET[(n - sum % n) % n]
}

impl TrackingNumber {
    /// A fresh random tracking number.
    pub fn generate(rng: &mut impl Rng) -> Self {
        let mut s: Vec<u8> = (0..LEN - 1)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())])
            .collect();
        s.push(check_char(&s));
        Self(String::from_utf8(s).expect("ascii"))
    }

    /// Parses what a person typed: case, spaces and dashes do not matter.
    pub fn parse(raw: &str) -> Result<Self, TrackingNumberError> {
        let s: Vec<u8> = raw
            .bytes()
            .filter(|b| !matches!(b, b'-' | b' '))
            .map(|b| b.to_ascii_uppercase())
            .collect();
        if s.len() != LEN {
            return Err(TrackingNumberError::Length);
        }
        if s.iter().any(|&c| value_of(c).is_none()) {
            return Err(TrackingNumberError::Character);
        }
        if check_char(&s[..LEN - 1]) != s[LEN - 1] {
            return Err(TrackingNumberError::Check);
        }
        Ok(Self(String::from_utf8(s).expect("ascii")))
    }

    /// The stored form, without the dash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Rebuilds a tracking number read back from the database.
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }
}

impl fmt::Display for TrackingNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", &self.0[..4], &self.0[4..])
    }
}

impl Serialize for TrackingNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_numbers_parse_back_and_avoid_look_alikes() {
        let mut rng = rand::rng();
        for _ in 0..1000 {
            let t = TrackingNumber::generate(&mut rng);
            let shown = t.to_string();
            assert_eq!(shown.len(), 9);
            assert!(!shown.contains(['O', '0', 'I', '1']));
            assert_eq!(TrackingNumber::parse(&shown.to_lowercase()), Ok(t));
        }
    }

    #[test]
    fn a_single_typo_is_caught_by_the_check_character() {
        let t = TrackingNumber::generate(&mut rand::rng());
        let mut bytes = t.as_str().as_bytes().to_vec();
        bytes[2] = if bytes[2] == b'A' { b'B' } else { b'A' };
        let typo = String::from_utf8(bytes).unwrap();
        assert_eq!(
            TrackingNumber::parse(&typo),
            Err(TrackingNumberError::Check)
        );
        assert_eq!(
            TrackingNumber::parse("ABC"),
            Err(TrackingNumberError::Length)
        );
        assert_eq!(
            TrackingNumber::parse("ABCD-EFG0"),
            Err(TrackingNumberError::Character)
        );
    }

    /// Every number's variants: each position changed to every other character.
    fn substitutions(t: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
        (0..LEN).flat_map(move |i| {
            ALPHABET.iter().filter(move |&&c| c != t[i]).map(move |&c| {
                let mut typo = t.to_vec();
                typo[i] = c;
                typo
            })
        })
    }

    #[test]
    fn every_single_mistyped_character_is_caught() {
        let mut rng = rand::rng();
        for _ in 0..2000 {
            let t = TrackingNumber::generate(&mut rng);
            for typo in substitutions(t.as_str().as_bytes()) {
                let typo = String::from_utf8(typo).unwrap();
                assert_eq!(
                    TrackingNumber::parse(&typo),
                    Err(TrackingNumberError::Check),
                    "{t} mistyped as {typo}"
                );
            }
        }
    }

    #[test]
    fn every_swap_of_neighbours_is_caught_except_2_and_z() {
        let mut rng = rand::rng();
        // Random numbers, plus ones that hold each pair of characters side by side at every
        // position, so that no pair is left to chance.
        let mut numbers: Vec<Vec<u8>> = (0..2000)
            .map(|_| {
                TrackingNumber::generate(&mut rng)
                    .as_str()
                    .as_bytes()
                    .to_vec()
            })
            .collect();
        for &a in ALPHABET {
            for &b in ALPHABET {
                for i in 0..LEN - 2 {
                    let mut s: Vec<u8> = (0..LEN - 1)
                        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())])
                        .collect();
                    (s[i], s[i + 1]) = (a, b);
                    s.push(check_char(&s));
                    numbers.push(s);
                }
                // The last payload character beside the check character: the first one
                // changes the check through every value, so one choice of it makes it `b`.
                let mut s: Vec<u8> = (0..LEN - 1)
                    .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())])
                    .collect();
                s[LEN - 2] = a;
                for &first in ALPHABET {
                    s[0] = first;
                    if check_char(&s) == b {
                        break;
                    }
                }
                s.push(check_char(&s));
                assert_eq!(s[LEN - 1], b, "some first character gives every check");
                numbers.push(s);
            }
        }
        let mut missed = 0;
        for t in &numbers {
            for i in 0..LEN - 1 {
                if t[i] == t[i + 1] {
                    continue;
                }
                let mut swapped = t.clone();
                swapped.swap(i, i + 1);
                let blind_spot = matches!((t[i], t[i + 1]), (b'2', b'Z') | (b'Z', b'2'));
                let (t, swapped) = (
                    String::from_utf8_lossy(t),
                    String::from_utf8(swapped).unwrap(),
                );
                if blind_spot {
                    // The promise's one exception, shown to be real.
                    assert!(TrackingNumber::parse(&swapped).is_ok(), "{t} / {swapped}");
                    missed += 1;
                } else {
                    assert_eq!(
                        TrackingNumber::parse(&swapped),
                        Err(TrackingNumberError::Check),
                        "{t} swapped to {swapped}"
                    );
                }
            }
        }
        assert!(missed > 0, "no 2/Z pair was tried");
    }
}
