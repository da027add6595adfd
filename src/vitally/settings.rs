//! Where and as whom a push talks to Vitally: the base URL (`VITALLY_BASE_URL`,
//! else `[vitally] base_url` in the config file) and the API key
//! (`VITALLY_API_KEY`, else the output of `[vitally] key_command`, a program run
//! without a shell, e.g. a password manager). The key only ever lives in a
//! [`Secret`]: it is never written to the file, a log, a message or an argument.

use std::time::Duration;

use crate::config;
use crate::http::{self, Secret};
use crate::tui::text::printable;

/// The variables a push reads.
pub const KEY_VARIABLE: &str = "VITALLY_API_KEY";
pub const URL_VARIABLE: &str = "VITALLY_BASE_URL";
/// For tests only: the whole-exchange timeout and the first retry pause, in
/// milliseconds, so failure paths run in well under a second.
const TIMEOUT_VARIABLE: &str = "HANDOFF_VITALLY_TIMEOUT_MS";
const BACKOFF_VARIABLE: &str = "HANDOFF_VITALLY_BACKOFF_MS";

/// How long the key command may take (a password manager may wait for a touch).
const KEY_COMMAND_TIMEOUT: Duration = Duration::from_mins(1);
/// The first pause before retrying a failed request; it doubles each time.
pub const BACKOFF: Duration = Duration::from_millis(500);
/// At most this long in all is spent waiting for Vitally's rate limit.
pub const RATE_LIMIT_WAIT: Duration = Duration::from_mins(1);

/// Everything needed to reach Vitally.
#[derive(Debug, Clone)]
pub struct Settings {
    /// e.g. `https://acme.rest.vitally.io`, without a trailing slash.
    pub base_url: String,
    pub key: Secret,
    pub http: http::Options,
    pub backoff: Duration,
    pub rate_limit_wait: Duration,
}

impl Settings {
    /// From the environment and this machine's `[vitally]` settings. Each
    /// missing piece is one line saying how to give it.
    pub fn from_env(vitally: &config::Vitally) -> Result<Settings, String> {
        let base_url = std::env::var(URL_VARIABLE)
            .ok()
            .filter(|u| !u.trim().is_empty())
            .or_else(|| vitally.base_url.clone())
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty())
            .ok_or_else(|| {
                format!(
                    "no Vitally address: set {URL_VARIABLE}, or run `handoff config vitally.base_url https://SUBDOMAIN.rest.vitally.io` (EU: https://rest.vitally-eu.io)"
                )
            })?;
        let key = match Secret::from_env(KEY_VARIABLE) {
            Some(key) => key,
            None if !vitally.key_command.is_empty() => key_from_command(&vitally.key_command)?,
            None => {
                return Err(format!(
                    "no Vitally API key: set {KEY_VARIABLE}, or `[vitally] key_command` in the config file (a program that prints it)"
                ));
            }
        };
        let mut http = http::Options::default();
        if let Some(ms) = millis(TIMEOUT_VARIABLE) {
            http.total_timeout = ms;
            http.connect_timeout = ms;
        }
        Ok(Settings {
            base_url,
            key,
            http,
            backoff: millis(BACKOFF_VARIABLE).unwrap_or(BACKOFF),
            rate_limit_wait: RATE_LIMIT_WAIT,
        })
    }
}

fn millis(variable: &str) -> Option<Duration> {
    let ms: u64 = std::env::var(variable).ok()?.trim().parse().ok()?;
    Some(Duration::from_millis(ms))
}

/// Runs the key command (no shell, no input) and takes its output, trimmed, as
/// the key. A failure names the command, never what it printed.
fn key_from_command(command: &[String]) -> Result<Secret, String> {
    let (program, args) = command
        .split_first()
        .ok_or("`[vitally] key_command` is empty")?;
    let shown = format!("the key command `{}`", printable(program));
    let output = crate::fill::command::run(program, args, &shown, KEY_COMMAND_TIMEOUT, None)
        .map_err(|e| {
            // `run` adds the first line of the program's stderr after ": ";
            // a key command's output stays out of messages, so that part goes.
            let reason = if e.starts_with(&format!("{program} is not installed")) {
                "is not installed or not on PATH".to_string()
            } else if let Some(at) = e.find(" failed (") {
                let rest = &e[at + 1..];
                rest.find(')')
                    .map_or("failed", |end| &rest[..=end])
                    .to_string()
            } else if e.contains("did not finish") {
                format!("did not finish within {} s", KEY_COMMAND_TIMEOUT.as_secs())
            } else {
                "could not be run".to_string()
            };
            format!("{shown} {reason}; run it yourself to see why")
        })?;
    let key = output.trim();
    if key.is_empty() {
        return Err(format!("{shown} printed no key"));
    }
    Ok(Secret::new(key))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["sh".into(), "-c".into(), script.into()]
    }

    #[test]
    fn the_key_command_output_is_the_key_and_never_in_a_message() {
        let key = key_from_command(&sh("printf '  vk_secret_1234\\n'")).expect("key");
        assert_eq!(key.expose(), "vk_secret_1234");
        let err = key_from_command(&sh("echo vk_secret_1234; echo vk_leak >&2; exit 3"))
            .expect_err("fails");
        assert_eq!(
            err,
            "the key command `sh` failed (exit status 3); run it yourself to see why"
        );
        let err = key_from_command(&["handoff-no-such-manager".into()]).expect_err("missing");
        assert_eq!(
            err,
            "the key command `handoff-no-such-manager` is not installed or not on PATH; run it yourself to see why"
        );
        let err = key_from_command(&sh("true")).expect_err("nothing printed");
        assert_eq!(err, "the key command `sh` printed no key");
    }
}
