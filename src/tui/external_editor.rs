//! Ctrl-E: the text being typed goes to `$VISUAL` / `$EDITOR` (else `vi`) and
//! comes back when the editor exits.

use std::io::{self, Write};

use super::screen::Screen;

/// Hands `text` to the user's editor, with the terminal suspended, and returns
/// what it saved (`None` when it failed or could not start).
pub fn edit(screen: &mut Screen, text: &str) -> Option<String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .ok()
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let file = std::env::temp_dir().join(format!("handoff-edit-{}.md", std::process::id()));
    std::fs::write(&file, text).ok()?;
    screen.suspend();
    let mut parts = editor.split_whitespace();
    let status = parts.next().map(|program| {
        std::process::Command::new(program)
            .args(parts)
            .arg(&file)
            .status()
    });
    let _ = io::stdout().flush();
    screen.resume();
    let result = match status {
        Some(Ok(s)) if s.success() => std::fs::read_to_string(&file).ok(),
        _ => None,
    };
    let _ = std::fs::remove_file(&file);
    result
}
