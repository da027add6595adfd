//! This machine's settings for handoff: the platform config directory's
//! `config.toml` (e.g. `~/.config/handoff/config.toml`), read by every command
//! and changed with `handoff config`. Keys it does not know are kept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Who you are, when nothing more specific says (see `identity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vitally::is_unset")]
    pub vitally: Vitally,
    /// Per handoff directory: sync with git when the wizard quits (`true`), never
    /// (`false`); absent, the wizard asks.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sync_on_quit: BTreeMap<String, bool>,
    #[serde(flatten)]
    pub other: toml::Table,
}

/// Where and how `handoff push` reaches Vitally.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vitally {
    /// e.g. `https://acme.rest.vitally.io`; `VITALLY_BASE_URL` wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// A program (and its arguments, run without a shell) that prints the API key,
    /// for password managers; `VITALLY_API_KEY` wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_command: Vec<String>,
    /// Field key (`deployment.total_cpu`) → account trait, over the form's mapping.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub traits: BTreeMap<String, String>,
    #[serde(flatten)]
    pub other: toml::Table,
}

impl Vitally {
    fn is_unset(&self) -> bool {
        *self == Vitally::default()
    }
}

/// The config file: `HANDOFF_CONFIG` when set, else the platform config directory.
pub fn path() -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("HANDOFF_CONFIG").filter(|f| !f.is_empty()) {
        return Some(PathBuf::from(file));
    }
    directories::ProjectDirs::from("", "", "handoff").map(|d| d.config_dir().join("config.toml"))
}

/// The settings; a missing file is no settings. A broken one is one line naming
/// the file and the line.
pub fn load() -> Result<Config, String> {
    match path() {
        Some(file) => load_from(&file),
        None => Ok(Config::default()),
    }
}

pub fn load_from(file: &Path) -> Result<Config, String> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(format!("{}: cannot read ({e})", file.display())),
    };
    toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| 1 + text[..s.start.min(text.len())].matches('\n').count());
        let at = line.map_or_else(String::new, |l| format!(":{l}"));
        let message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
        format!("{}{at}: {message}", file.display())
    })
}

/// Writes the settings (atomically, like a handoff).
pub fn save(config: &Config) -> Result<PathBuf, String> {
    let file = path().ok_or("no home directory to keep settings in; set HANDOFF_CONFIG")?;
    save_to(&file, config)?;
    Ok(file)
}

pub fn save_to(file: &Path, config: &Config) -> Result<(), String> {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: cannot create ({e})", dir.display()))?;
    }
    let text = toml::to_string_pretty(config).map_err(|e| e.to_string())?;
    crate::atomic::write_atomic(file, |f| std::io::Write::write_all(f, text.as_bytes()))
        .map_err(|e| format!("{}: cannot write ({e})", file.display()))
}

/// The settings `handoff config` can show and change, as `KEY = value` lines.
pub fn show(config: &Config) -> String {
    let mut out = String::new();
    let mut line = |key: &str, value: &str| out.push_str(&format!("{key} = {value}\n"));
    line("name", config.name.as_deref().unwrap_or("(not set)"));
    line(
        "vitally.base_url",
        config.vitally.base_url.as_deref().unwrap_or("(not set)"),
    );
    if !config.vitally.key_command.is_empty() {
        line("vitally.key_command", &config.vitally.key_command.join(" "));
    }
    for (field, name) in &config.vitally.traits {
        line(&format!("vitally.traits.{field}"), name);
    }
    for (dir, yes) in &config.sync_on_quit {
        line(
            &format!("sync_on_quit.{dir}"),
            if *yes { "true" } else { "false" },
        );
    }
    out
}

/// How `sync_on_quit` names a handoff directory: its full path, so that `.`,
/// a relative path and the wizard all mean the same one.
pub fn dir_key(dir: &Path) -> String {
    std::fs::canonicalize(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .display()
        .to_string()
}

/// Sets one setting from the command line; an empty value removes it.
pub fn set(config: &mut Config, key: &str, value: &str) -> Result<(), String> {
    let value = value.trim();
    let text = (!value.is_empty()).then(|| value.to_string());
    match key {
        "name" => config.name = text,
        "vitally.base_url" => config.vitally.base_url = text,
        "vitally.key_command" => {
            config.vitally.key_command = value.split_whitespace().map(str::to_string).collect();
        }
        _ => {
            if let Some(field) = key.strip_prefix("vitally.traits.") {
                match text {
                    Some(name) => config.vitally.traits.insert(field.to_string(), name),
                    None => config.vitally.traits.remove(field),
                };
            } else if let Some(dir) = key.strip_prefix("sync_on_quit.") {
                let dir = &dir_key(Path::new(dir));
                match value {
                    "true" | "yes" => config.sync_on_quit.insert(dir.clone(), true),
                    "false" | "no" => config.sync_on_quit.insert(dir.clone(), false),
                    "" => config.sync_on_quit.remove(dir),
                    _ => return Err(format!("{key}: expected true or false")),
                };
            } else {
                return Err(format!(
                    "unknown setting `{key}`; settings: name, vitally.base_url, vitally.key_command, vitally.traits.STEP.FIELD, sync_on_quit.DIR"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_unknown_keys_stay() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "name = \"Jane\"\ncolour = \"teal\"\n").expect("write");
        let mut config = load_from(&file).expect("loads");
        assert_eq!(config.name.as_deref(), Some("Jane"));
        set(
            &mut config,
            "vitally.base_url",
            "https://acme.rest.vitally.io",
        )
        .expect("set");
        set(&mut config, "vitally.traits.deployment.total_cpu", "cpus").expect("set");
        save_to(&file, &config).expect("saved");
        let again = load_from(&file).expect("loads");
        assert_eq!(again, config);
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(text.contains("colour = \"teal\""), "{text}");
        assert!(set(&mut config, "nope", "x").is_err());
    }

    #[test]
    fn a_broken_file_names_its_line() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "name = \"Jane\"\nname = 3\n").expect("write");
        let err = load_from(&file).expect_err("broken");
        assert!(err.contains("config.toml:2:"), "{err}");
        assert_eq!(
            load_from(&dir.path().join("none.toml")),
            Ok(Config::default())
        );
    }
}
