//! Which file a command means: a path as given, or a handoff in the data
//! directory named by its file (`acme-corp`), the start of it (`acme`), or its
//! customer (`"Acme Corp"`, any case).

use std::path::{Path, PathBuf};

use crate::outcome::Failure;
use crate::store;

/// Up to this many handoffs are listed when nothing matches and none is close.
const LIST_AT_MOST: usize = 5;

/// The file `file` means. A path with a directory in it, or one that exists, is
/// taken as it is (loading it says what is wrong with it); a bare name is looked
/// up in the data directory. Several matches, or none, is one line that says
/// which there are.
pub fn resolve(file: &Path, dir: Option<&Path>) -> Result<PathBuf, Failure> {
    if file.exists() || file.components().count() != 1 {
        return Ok(file.to_path_buf());
    }
    let Some(data) = store::data_dir(dir) else {
        return Ok(file.to_path_buf());
    };
    let name = file.to_string_lossy();
    let exact = [data.join(file), data.join(format!("{name}.toml"))];
    if let Some(found) = exact.into_iter().find(|p| p.is_file()) {
        return Ok(found);
    }
    let files = store::list(&data).map_err(|e| {
        Failure::new(
            2,
            format!(
                "{name}: no such file, and {} cannot be listed ({e})",
                data.display()
            ),
        )
    })?;
    let handoffs: Vec<Named> = files.into_iter().map(Named::read).collect();
    let bare = name.strip_suffix(".toml").unwrap_or(&name);
    match matches(bare, &handoffs).as_slice() {
        [one] => Ok(one.path.clone()),
        [] => Err(Failure::new(2, not_found(&name, &data, &handoffs))),
        many => {
            let names: Vec<String> = many.iter().map(|h| h.file_name()).collect();
            Err(Failure::new(
                2,
                format!("{name}: which one? {}", names.join(", ")),
            ))
        }
    }
}

/// A saved handoff by its file and its customer (when the file reads).
struct Named {
    path: PathBuf,
    stem: String,
    customer: Option<String>,
}

impl Named {
    fn read(path: PathBuf) -> Self {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // The header is enough: a long notes log stays unparsed.
        let customer = store::load_split(&path)
            .ok()
            .map(|(loaded, _)| loaded.handoff.customer().to_string())
            .filter(|c| !c.trim().is_empty());
        Named {
            path,
            stem,
            customer,
        }
    }

    fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// The customer named exactly (ignoring case) if exactly one is; else every file
/// whose name starts with the name's slug or whose customer starts with the name.
fn matches<'a>(name: &str, handoffs: &'a [Named]) -> Vec<&'a Named> {
    let wanted = name.trim().to_lowercase();
    let customer = |h: &Named| h.customer.as_deref().map(|c| c.trim().to_lowercase());
    let exact: Vec<&Named> = handoffs
        .iter()
        .filter(|h| customer(h).is_some_and(|c| c == wanted))
        .collect();
    if exact.len() == 1 {
        return exact;
    }
    let slug = store::slug(name);
    handoffs
        .iter()
        .filter(|h| {
            h.stem.to_lowercase().starts_with(&slug)
                || customer(h).is_some_and(|c| c.starts_with(&wanted))
        })
        .collect()
}

/// "no handoff named globex in DIR; did you mean acme-corp?"
fn not_found(name: &str, data: &Path, handoffs: &[Named]) -> String {
    let head = format!("no handoff named {name} in {}", data.display());
    if handoffs.is_empty() {
        return format!("{head} (there are none yet; start one with: handoff new --customer NAME)");
    }
    // A typo in a whole name, or in the start of one ("globx" for globex-eu).
    let slug = store::slug(name);
    let typed = slug.chars().count();
    let distance = |stem: &str| {
        let start: String = stem.chars().take(typed).collect();
        strsim::levenshtein(&slug, stem).min(strsim::levenshtein(&slug, &start))
    };
    let best = handoffs
        .iter()
        .map(|h| distance(&h.stem))
        .min()
        .unwrap_or(usize::MAX);
    if best <= (typed / 3).max(2) {
        let close: Vec<&str> = handoffs
            .iter()
            .filter(|h| distance(&h.stem) == best)
            .take(3)
            .map(|h| h.stem.as_str())
            .collect();
        let names = match close.as_slice() {
            [init @ .., last] if !init.is_empty() => format!("{} or {last}", init.join(", ")),
            _ => close.join(""),
        };
        return format!("{head}; did you mean {names}?");
    }
    if handoffs.len() <= LIST_AT_MOST {
        let stems: Vec<&str> = handoffs.iter().map(|h| h.stem.as_str()).collect();
        return format!("{head}; it has {}", stems.join(", "));
    }
    format!("{head}; `handoff list` shows them all")
}
