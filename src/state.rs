//! What each machine keeps for itself, beside the shared handoff files: where the
//! wizard was in each handoff, so resuming returns there. It lives in the platform
//! state directory (e.g. `~/.local/state/handoff/positions.toml`), keyed by the
//! handoff file's absolute path; losing it only means starting at the first step.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::handoff::Position;

/// The platform state directory (the local data directory where there is none).
pub fn dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "handoff")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

const POSITIONS: &str = "positions.toml";

fn positions_file() -> Option<PathBuf> {
    dir().map(|d| d.join(POSITIONS))
}

/// The key a handoff is remembered by: its absolute path.
fn key(handoff: &Path) -> String {
    std::path::absolute(handoff)
        .map_or_else(|_| handoff.to_path_buf(), |p| p.canonicalize().unwrap_or(p))
        .to_string_lossy()
        .into_owned()
}

fn read(file: &Path) -> BTreeMap<String, Position> {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|text| toml::from_str(&text).ok())
        .unwrap_or_default()
}

/// Where the wizard was in this handoff on this machine, if it remembers.
pub fn position(handoff: &Path) -> Option<Position> {
    position_in(&dir()?, handoff)
}

/// `position`, from the state directory `dir` (tests read another process's).
pub fn position_in(dir: &Path, handoff: &Path) -> Option<Position> {
    read(&dir.join(POSITIONS))
        .remove(&key(handoff))
        .filter(|p| !p.is_unset())
}

/// Remembers where the wizard is in this handoff.
pub fn remember(handoff: &Path, position: &Position) -> io::Result<()> {
    let Some(file) = positions_file() else {
        return Ok(());
    };
    let mut all = read(&file);
    let key = key(handoff);
    if all.get(&key) == Some(position) {
        return Ok(());
    }
    all.insert(key, position.clone());
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = toml::to_string(&all).map_err(io::Error::other)?;
    crate::atomic::write_atomic(&file, |f| io::Write::write_all(f, text.as_bytes()))
}
