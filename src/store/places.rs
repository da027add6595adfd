//! Where handoffs live: the data directory, file names from customer names, and
//! the list of saved handoffs.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// `--dir` / `HANDOFF_DIR` when given, else the platform data directory.
pub fn data_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = explicit {
        return Some(dir.to_path_buf());
    }
    directories::ProjectDirs::from("", "", "handoff").map(|d| d.data_dir().to_path_buf())
}

/// `Acme Corp` → `acme-corp`: letters and digits kept (any script), the rest dashes.
pub fn slug(customer: &str) -> String {
    let mut slug = String::new();
    for c in customer.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug: String = slug.chars().take(80).collect();
    if slug.is_empty() {
        "handoff".to_string()
    } else {
        slug
    }
}

/// The saved handoffs of a directory, by file name.
pub fn list(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "toml")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    && p.is_file()
            })
            .collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    files.sort();
    Ok(files)
}
