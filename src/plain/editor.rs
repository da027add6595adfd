//! `:edit`: a long text written in `$VISUAL` / `$EDITOR` (else `vi`), on a fresh
//! private temporary file (mode 0600, a name nobody can guess), removed after.

use std::io::Write;
use std::process::Command;

/// Hands `text` to the user's editor and returns what it saved, or why not.
pub fn edit(text: &str) -> Result<String, String> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_string());
    let mut file = tempfile::Builder::new()
        .prefix("handoff-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| format!("cannot make a temporary file ({e})"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("cannot write a temporary file ({e})"))?;
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = Command::new(program)
        .args(words)
        .arg(file.path())
        .status()
        .map_err(|e| format!("cannot start {program} ({e})"))?;
    if !status.success() {
        return Err(format!("{program} did not finish well ({status})"));
    }
    std::fs::read_to_string(file.path())
        .map_err(|e| format!("cannot read back what {program} saved ({e})"))
}
