//! User text in markdown: whatever a person typed (a value, a note, a reason, a
//! title, a name) must read as that text when the export is rendered. `## x` is
//! not a heading, `<b>` is not HTML, `*`, `_`, backticks and brackets do not
//! format, and every line break stays a line break.

/// Characters that mean something anywhere on a line; a backslash makes each a
/// plain character (CommonMark lets any ASCII punctuation be escaped so).
const INLINE: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '&', '~', '|'];

/// One line of user text, safe anywhere inline. Line breaks in it become spaces:
/// use `lines` where breaks must stay.
pub fn inline(text: &str) -> String {
    let joined: Vec<&str> = text.lines().map(str::trim).collect();
    escape_line(&joined.join(" "), false)
}

/// User text of any number of lines, each line prefixed with `prefix` (`"> "`
/// inside a quote, `"  "` inside a list item). Each break is a hard line break
/// (a backslash at the end of the line); a blank line stays a paragraph break.
pub fn lines(text: &str, prefix: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            out.push_str(prefix.trim_end());
        } else {
            out.push_str(prefix);
            out.push_str(&escape_line(line, true));
            // A backslash before a blank line or the end would show as itself.
            if lines.get(i + 1).is_some_and(|next| !next.trim().is_empty()) {
                out.push('\\');
            }
        }
        out.push('\n');
    }
    out
}

/// Escapes one line. At the start of a line (`block`) indentation is kept as
/// no-break spaces (four spaces would start a code block) and what would open a
/// block (`#`, `-`, `+`, `=`, `1.`) is escaped too.
fn escape_line(line: &str, block: bool) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let rest = if block {
        let body = line.trim_start_matches([' ', '\t']);
        for c in line[..line.len() - body.len()].chars() {
            let n = if c == '\t' { 4 } else { 1 };
            out.push_str(&"\u{a0}".repeat(n));
        }
        body
    } else {
        line.trim_start()
    };
    // "1. " or "1) " would start an ordered list; "- ", "+ " a list; "---" or
    // "===" a rule or a heading; "#" a heading.
    let ends_or_space = |at: usize| rest[at..].chars().next().is_none_or(char::is_whitespace);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = digits > 0
        && matches!(rest.as_bytes().get(digits), Some(b'.' | b')'))
        && ends_or_space(digits + 1);
    let marker = |c: char| {
        ends_or_space(c.len_utf8()) || rest.chars().all(|r| r == c || r == ' ' || r == '\t')
    };
    for (i, c) in rest.char_indices() {
        let opens_block = i == 0 && (c == '#' || (matches!(c, '-' | '+' | '=') && marker(c)));
        if INLINE.contains(&c) || opens_block || (ordered && i == digits) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markdown_character_is_escaped() {
        assert_eq!(
            inline("a *b* _c_ `d` [e](f) <b> &amp; ~~g~~ | h \\"),
            "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<b\\> \\&amp; \\~\\~g\\~\\~ \\| h \\\\"
        );
        assert_eq!(inline("# not a heading"), "\\# not a heading");
        assert_eq!(inline("two\nlines"), "two lines");
        assert_eq!(
            inline("5400.5 -3 +1 6.4.1"),
            "5400.5 -3 +1 6.4.1",
            "only what means something"
        );
        assert_eq!(inline("- a"), "\\- a");
        assert_eq!(inline("---"), "\\---");
        assert_eq!(inline("2026. was a year"), "2026\\. was a year");
    }

    #[test]
    fn lines_keep_their_breaks_and_indentation() {
        assert_eq!(
            lines("## x\n\n1. one\n    code?\n- item", "> "),
            "> \\## x\n>\n> 1\\. one\\\n> \u{a0}\u{a0}\u{a0}\u{a0}code?\\\n> \\- item\n"
        );
    }
}
