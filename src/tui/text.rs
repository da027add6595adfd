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
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Cuts text to a display width, with an ellipsis when something was cut.
/// Control characters are replaced on the way (see `printable`).
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

/// Breaks `text` into lines of at most `columns` display columns: at spaces where
/// it can, inside a word only when the word alone is wider. Every line of the
/// text (split at newlines) starts a new line; an empty line stays empty.
/// Control characters are replaced on the way.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut out = Vec::new();
    for line in text.split('\n') {
        let line = printable(line.trim_end_matches('\r'));
        let mut current = String::new();
        let mut used = 0;
        for word in split_keeping_spaces(&line) {
            let w = width(word);
            if used + w <= columns {
                current.push_str(word);
                used += w;
                continue;
            }
            if word.trim().is_empty() {
                // A space at the end of a full line is where it breaks.
                out.push(std::mem::take(&mut current));
                used = 0;
                continue;
            }
            if used > 0 {
                out.push(std::mem::take(&mut current).trim_end().to_string());
                used = 0;
            }
            // A word wider than a line is cut where it must be.
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > columns && used > 0 {
                    out.push(std::mem::take(&mut current));
                    used = 0;
                }
                current.push(c);
                used += cw;
            }
        }
        out.push(current);
    }
    out
}

/// Words and the runs of spaces between them, in order.
fn split_keeping_spaces(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c == ' ';
        if in_space.is_some_and(|was| was != space) {
            parts.push(&text[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        parts.push(&text[start..]);
    }
    parts
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
    fn wraps_at_spaces_and_cuts_only_words_wider_than_a_line() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("first\n\nthird", 10), ["first", "", "third"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("株式会社テスト", 6), ["株式会", "社テス", "ト"]);
        assert_eq!(wrap("", 5), [""]);
        for line in wrap("a fairly long sentence with 株式会社 and 😀 emoji", 9) {
            assert!(width(&line) <= 9, "{line:?}");
        }
    }

    #[test]
    fn cut_to_a_display_width_with_an_ellipsis() {
        assert_eq!(truncate("Acme Corp", 20), "Acme Corp");
        assert_eq!(truncate("Acme Corporation", 6), "Acme …");
        assert_eq!(truncate("株式会社テスト", 7), "株式会…");
        assert_eq!(truncate("a\u{1b}[2Jb", 10), "a\u{fffd}[2Jb");
    }
}
