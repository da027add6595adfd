//! Who "you" are: the name recorded as note author, done-by, completed-by,
//! change-by and lock holder. In order: `--as NAME`, `HANDOFF_USER`, `name` in the
//! config file, `git config user.name`, `$USER`. "unknown" is never recorded:
//! when nothing gives a name, the wizard asks once and keeps the answer in the
//! config file, and the other commands say how to give one.

use std::process::{Command, Stdio};

/// Where a name comes from, most specific first; asking is deferred until a name
/// is needed (asking git costs a process start).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    /// `--as NAME`.
    explicit: Option<String>,
    /// Only the explicit name counts (tests, and callers that already asked).
    only_explicit: bool,
}

/// What to say when no name can be found.
pub const NO_NAME: &str = "who are you? Nothing gives your name: pass --as NAME, set HANDOFF_USER, or run `handoff config name \"Your Name\"`";

impl Who {
    pub fn new(explicit: Option<String>) -> Self {
        Who {
            explicit: explicit.and_then(clean),
            only_explicit: false,
        }
    }

    /// Exactly this name, or nobody: nothing else is asked.
    pub fn only(name: Option<String>) -> Self {
        Who {
            explicit: name.and_then(clean),
            only_explicit: true,
        }
    }

    /// The name, from the first source that gives one.
    pub fn name(&self) -> Option<String> {
        if self.only_explicit {
            return self.explicit.clone();
        }
        self.given().or_else(git_user_name).or_else(login_name)
    }

    /// The name given for handoff itself: `--as`, `HANDOFF_USER`, the config file.
    fn given(&self) -> Option<String> {
        self.explicit
            .clone()
            .or_else(|| std::env::var("HANDOFF_USER").ok().and_then(clean))
            .or_else(|| {
                crate::config::load()
                    .ok()
                    .and_then(|c| c.name)
                    .and_then(clean)
            })
    }

    /// The name without asking git: for the lock, which is taken before the first
    /// frame is drawn and must not wait for a process to start.
    pub fn quick_name(&self) -> String {
        self.given()
            .or_else(login_name)
            .unwrap_or_else(|| "someone".to_string())
    }

    /// The name, or the one line that says how to give one.
    pub fn require(&self) -> Result<String, String> {
        self.name().ok_or_else(|| NO_NAME.to_string())
    }
}

fn clean(name: String) -> Option<String> {
    let name = name.trim();
    (!name.is_empty() && !name.chars().any(char::is_control)).then(|| name.to_string())
}

fn git_user_name() -> Option<String> {
    Command::new("git")
        .args(["config", "user.name"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(clean)
}

/// The login name, as the lock file records it too.
pub fn login_name() -> Option<String> {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().and_then(clean))
}

/// Keeps `name` in the config file, so the wizard asks only once.
pub fn remember(name: &str) -> Result<(), String> {
    let mut config = crate::config::load()?;
    config.name = clean(name.to_string());
    crate::config::save(&config).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_name_wins_and_blank_or_control_names_do_not_count() {
        assert_eq!(
            Who::new(Some("  Sam Rivera ".into())).name().as_deref(),
            Some("Sam Rivera")
        );
        assert_eq!(Who::new(Some("   ".into())), Who::new(None));
        assert_eq!(clean("a\u{1b}[2Jb".into()), None);
    }
}
