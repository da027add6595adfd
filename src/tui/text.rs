//! Text on its way to a terminal: control characters made harmless, and cut to a
//! display width. Everything from a file, a user or a server passes through here
//! before it is drawn or printed.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Text as it may be shown on a terminal: a tab becomes a space and any other
/// control character (which a terminal would obey rather than show) becomes `�`.
/// Callers split multi-line text into lines first.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// How many columns `text` takes on a terminal.
#[must_use]
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Cuts text to a display width, with an ellipsis when something was cut.
/// Control characters are replaced on the way (see `printable`).
#[must_use]
pub fn truncate(text: &str, columns: usize) -> String {
    let text = printable(text);
    let text = text.as_ref();
    if width(text) <= columns {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        used += w;
        out.push(c);
    }
    if columns > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_never_shown_raw() {
        assert_eq!(printable("plain 株"), "plain 株");
        assert_eq!(printable("a\tb"), "a b");
        assert_eq!(
            printable("\u{1b}]0;x\u{7}\r\n\u{9b}"),
            "\u{fffd}]0;x\u{fffd}\u{fffd}\u{fffd}\u{fffd}"
        );
    }

    #[test]
    fn cut_to_a_display_width_with_an_ellipsis() {
        assert_eq!(truncate("Acme Corp", 20), "Acme Corp");
        assert_eq!(truncate("Acme Corporation", 6), "Acme …");
        assert_eq!(truncate("株式会社テスト", 7), "株式会…");
        assert_eq!(truncate("a\u{1b}[2Jb", 10), "a\u{fffd}[2Jb");
    }
}
