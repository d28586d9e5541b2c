//! Which characters free text from the public may hold.
//!
//! Text is stored in PostgreSQL (which refuses NUL), written into XML for Open311 (which
//! cannot carry most control characters or U+FFFE/U+FFFF) and shown to dispatchers, where
//! invisible control characters can hide what a text says. Such text is refused at the edge,
//! so no later consumer ever meets it. (Lone surrogates cannot occur in a Rust `String`:
//! decoding refuses them before any field is read.)

/// Whether `c` may appear in free text: anything but control characters (tab, line feed and
/// carriage return excepted) and Unicode noncharacters.
pub fn is_text_char(c: char) -> bool {
    if c.is_control() {
        return matches!(c, '\t' | '\n' | '\r');
    }
    !is_noncharacter(c)
}

/// Whether every character of `text` may appear in free text.
pub fn is_clean_text(text: &str) -> bool {
    text.chars().all(is_text_char)
}

/// U+FDD0..=U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE…).
fn is_noncharacter(c: char) -> bool {
    let n = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_of_the_three_languages_and_line_breaks_are_text() {
        assert!(is_clean_text(
            "Groapă adâncă în fața nr. 12\r\nÁrok a ház előtt\tpothole 🚧"
        ));
    }

    #[test]
    fn nul_controls_and_noncharacters_are_not() {
        for bad in [
            "\u{0}",
            "\u{7}",
            "\u{1b}[31m",
            "\u{7f}",
            "\u{85}",
            "\u{fdd0}",
            "\u{fffe}",
            "\u{ffff}",
            "\u{1fffe}",
            "\u{10ffff}",
        ] {
            assert!(!is_clean_text(&format!("a{bad}b")), "{bad:?}");
        }
        // Neighbours of the noncharacters are fine.
        for good in ["\u{fdcf}", "\u{fdf0}", "\u{fffd}", "\u{10000}", "\u{1fffd}"] {
            assert!(is_clean_text(good), "{good:?}");
        }
    }
}
