//! Ctrl-E: the text being typed goes to `$VISUAL` / `$EDITOR` (else `vi`) and
//! comes back when the editor exits.
//!
//! The text goes through a fresh private file (mode 0600, a name nobody can
//! guess, so no one else on the machine can plant a link there or read it), ending
//! in `.md` so editors colour it. It is written with a final newline, as editors
//! expect; the newlines the editor leaves at the end are taken off again.

use std::io::{self, Write};
use std::path::Path;
use std::process::Command;

use super::screen::Screen;

/// Hands `text` to the user's editor, with the terminal suspended, and returns
/// what it saved, or one line saying why not. A field of one line gets one line
/// back: the lines the editor left are joined with spaces.
pub fn edit(screen: &mut Screen, text: &str, multiline: bool) -> Result<String, String> {
    let editor = editor_command();
    let file = write_temp(text)?;
    screen.suspend();
    let status = run(&editor, file.path());
    let _ = io::stdout().flush();
    screen.resume();
    status?;
    read_back(file.path(), multiline)
}

/// Everything but the terminal: write, run the editor, read back.
#[cfg(test)]
fn edit_with(editor: &str, text: &str, multiline: bool) -> Result<String, String> {
    let file = write_temp(text)?;
    run(editor, file.path())?;
    read_back(file.path(), multiline)
}

/// `$VISUAL`, else `$EDITOR`, else `vi`.
fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

fn write_temp(text: &str) -> Result<tempfile::NamedTempFile, String> {
    let cannot = |e: io::Error| format!("cannot make a temporary file for the editor: {e}");
    // tempfile creates the file new (never through an existing name or link),
    // readable and writable by its owner only.
    let mut file = tempfile::Builder::new()
        .prefix("handoff-")
        .suffix(".md")
        .tempfile()
        .map_err(cannot)?;
    let mut text = text.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    file.write_all(text.as_bytes()).map_err(cannot)?;
    file.flush().map_err(cannot)?;
    Ok(file)
}

/// Runs the editor on `path`. The command may carry arguments ("code --wait"),
/// split as a shell splits words, quotes included, but no shell runs it.
fn run(editor: &str, path: &Path) -> Result<(), String> {
    let words = shell_words::split(editor)
        .map_err(|e| format!("cannot read the editor command `{editor}`: {e}"))?;
    let Some((program, args)) = words.split_first() else {
        return Err("the editor command is empty; set $VISUAL or $EDITOR".into());
    };
    let status = Command::new(program)
        .args(args)
        .arg(path)
        .status()
        .map_err(|e| {
            let why = match e.kind() {
                io::ErrorKind::NotFound => "no such program".to_string(),
                io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => e.to_string(),
            };
            format!("the editor `{program}` could not be started: {why}; set $VISUAL or $EDITOR")
        })?;
    if status.success() {
        return Ok(());
    }
    Err(match status.code() {
        Some(code) => format!("the editor `{program}` exited with status {code}"),
        None => format!("the editor `{program}` was stopped by a signal"),
    })
}

fn read_back(path: &Path, multiline: bool) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read back what the editor saved: {e}"))?;
    let text = text.trim_end_matches(['\n', '\r']);
    Ok(if multiline {
        text.replace("\r\n", "\n")
    } else {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// An "editor" that records the file it was given (path, mode, content) and
    /// then appends a line to it, as a person would.
    fn fake_editor(dir: &Path, append: &str) -> String {
        let script = dir.join("ed");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$1\" >> {log}\nstat -c %a \"$1\" >> {log}\ncat \"$1\" >> {log}\nprintf '{append}' >> \"$1\"\n",
                log = dir.join("log").display()
            ),
        )
        .expect("write script");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        script.display().to_string()
    }

    #[test]
    fn a_private_fresh_file_with_a_final_newline_and_the_newline_taken_off_again() {
        let dir = tempfile::tempdir().expect("tmp");
        let editor = fake_editor(dir.path(), "appended\\n\\n");
        assert_eq!(
            edit_with(&editor, "line one", true),
            Ok("line one\nappended".into()),
            "the appended line does not join the last one"
        );
        assert_eq!(
            edit_with(&editor, "again", true),
            Ok("again\nappended".into())
        );
        let log = std::fs::read_to_string(dir.path().join("log")).expect("log");
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(lines[1], "600", "only the owner can read it: {log}");
        assert_eq!(lines[2], "line one", "written with its newline: {log}");
        assert!(lines[0].ends_with(".md"), "{log}");
        assert!(
            Path::new(lines[0]).starts_with(std::env::temp_dir()),
            "{log}"
        );
        assert_ne!(lines[0], lines[3], "a new name every time: {log}");
        assert!(!Path::new(lines[0]).exists(), "removed afterwards");
    }

    #[test]
    fn a_single_line_field_gets_one_line_back() {
        let dir = tempfile::tempdir().expect("tmp");
        let editor = fake_editor(dir.path(), "Corp\\n  Europe \\n\\n");
        assert_eq!(
            edit_with(&editor, "Acme", false),
            Ok("Acme Corp Europe".into())
        );
    }

    #[test]
    fn arguments_in_the_editor_variable_are_passed() {
        let dir = tempfile::tempdir().expect("tmp");
        let script = fake_editor(dir.path(), "x");
        // `sh SCRIPT` with a quoted word: split like a shell, run without one.
        let editor = format!("sh '{script}'");
        assert_eq!(edit_with(&editor, "a", true), Ok("a\nx".into()));
    }

    #[test]
    fn a_missing_or_failing_editor_is_named() {
        assert_eq!(
            edit_with("nano-that-is-not-there --wait", "a", true),
            Err("the editor `nano-that-is-not-there` could not be started: no such program; set $VISUAL or $EDITOR".into())
        );
        assert_eq!(
            edit_with("false", "a", true),
            Err("the editor `false` exited with status 1".into())
        );
        assert!(edit_with("  ", "a", true).is_err());
    }
}
