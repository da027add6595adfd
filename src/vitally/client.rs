//! Talking to Vitally's REST API over the program's one HTTP module: Basic auth
//! with the key as user name, JSON both ways, and what to do when an answer is not
//! a success.
//!
//! - **429**: waits the seconds `RateLimit-Reset` says (at least one), then tries
//!   again; at most [`Settings::rate_limit_wait`] in all, then one line.
//! - **5xx, timeouts, dropped connections**: tried again after a pause that doubles
//!   (0.5 s, 1 s, 2 s), at most [`RETRIES`] times. Only for requests that are safe
//!   to repeat: a note's creation is not (it could make the note twice), so its
//!   failure comes back as [`CallError::Uncertain`] for the caller to look first.
//! - **401/403**: one line naming `VITALLY_API_KEY`.
//! - Anything else, or a success whose body is not JSON, is one line.

use std::cell::Cell;
use std::time::Duration;

use serde_json::Value;

use super::Observer;
use super::settings::{KEY_VARIABLE, Settings};
use crate::http::{self, Auth, Method, Request, Secret};
use crate::tui::text::printable;

/// How often a failed request that is safe to repeat is tried again.
pub const RETRIES: u32 = 3;
/// How much of Vitally's error text a message carries.
const DETAIL_CHARS: usize = 160;

/// One request to Vitally, as planned and as shown in a dry run.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub method: Method,
    /// From the base URL on, query included: `/resources/accounts/acme-corp`.
    pub path: String,
    pub body: Option<Value>,
}

impl Call {
    pub fn get(path: impl Into<String>) -> Call {
        Call {
            method: Method::Get,
            path: path.into(),
            body: None,
        }
    }

    /// `POST /resources/notes`.
    pub fn line(&self) -> String {
        format!("{} {}", self.method.as_str(), printable(&self.path))
    }
}

/// Why a call did not succeed; each displays as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The answer was 404.
    #[error("{line}: Vitally has no such thing (HTTP 404)")]
    NotFound { line: String },
    /// Vitally refused the request (a 4xx other than 401, 403, 404 and 429).
    #[error("{line}: Vitally refused it (HTTP {status}){detail}")]
    Refused {
        line: String,
        status: u16,
        detail: String,
    },
    #[error(
        "Vitally refused the API key (HTTP {status}); check {KEY_VARIABLE} (or `[vitally] key_command`) and that the key is for {host}"
    )]
    Unauthorized { status: u16, host: String },
    /// A request that must not be repeated blindly failed in a way that leaves
    /// open whether Vitally acted on it.
    #[error("{line}: {reason}")]
    Uncertain { line: String, reason: String },
    /// Retried as often as allowed, or waited as long as allowed.
    #[error("{line}: {reason}")]
    GaveUp { line: String, reason: String },
    /// The base URL is not one the program sends to (plain http, a password in it…).
    #[error("{0}")]
    Address(String),
    /// The caller asked to stop.
    #[error("stopped before {line}")]
    Stopped { line: String },
    #[error("{line}: {reason}")]
    Failed { line: String, reason: String },
}

/// A connection to one Vitally organisation.
#[derive(Debug)]
pub struct Vitally {
    client: http::Client,
    base_url: String,
    key: Secret,
    backoff: Duration,
    /// What is left of the time a push may wait for the rate limit.
    rate_wait_left: Cell<Duration>,
}

impl Vitally {
    pub fn new(settings: &Settings) -> Result<Vitally, String> {
        Ok(Vitally {
            client: http::Client::new(settings.http.clone()).map_err(|e| e.to_string())?,
            base_url: settings.base_url.clone(),
            key: settings.key.clone(),
            backoff: settings.backoff,
            rate_wait_left: Cell::new(settings.rate_limit_wait),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends `call` and returns the JSON answer. `repeatable`: whether a 5xx or
    /// a timeout may be retried here (false for creating a note).
    pub fn send(
        &self,
        call: &Call,
        repeatable: bool,
        observer: &mut dyn Observer,
    ) -> Result<Value, CallError> {
        let line = call.line();
        let url = format!("{}{}", self.base_url, call.path);
        let mut request = Request::new(call.method, url).auth(Auth::BasicUser(self.key.clone()));
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        let mut failures = 0;
        loop {
            if observer.should_stop() {
                return Err(CallError::Stopped { line });
            }
            let transient = match self.client.send(&request) {
                Ok(response) if response.is_success() => {
                    return response.json::<Value>().map_err(|e| CallError::Failed {
                        line: line.clone(),
                        reason: e.to_string(),
                    });
                }
                Ok(response) if response.status == 429 => {
                    self.wait_for_rate_limit(&response, &line, observer)?;
                    continue;
                }
                Ok(response) if matches!(response.status, 401 | 403) => {
                    return Err(CallError::Unauthorized {
                        status: response.status,
                        host: response.host().to_string(),
                    });
                }
                Ok(response) if response.status == 404 => {
                    return Err(CallError::NotFound { line });
                }
                Ok(response) if response.status >= 500 => {
                    format!(
                        "Vitally answered HTTP {}{}",
                        response.status,
                        detail(&response)
                    )
                }
                Ok(response) => {
                    return Err(CallError::Refused {
                        line,
                        status: response.status,
                        detail: detail(&response),
                    });
                }
                Err(e @ (http::Error::Timeout { .. } | http::Error::Transport { .. })) => {
                    e.to_string()
                }
                Err(
                    e @ (http::Error::BadUrl { .. }
                    | http::Error::HttpsRequired { .. }
                    | http::Error::CredentialsInUrl),
                ) => return Err(CallError::Address(e.to_string())),
                Err(e) => {
                    return Err(CallError::Failed {
                        line,
                        reason: e.to_string(),
                    });
                }
            };
            if !repeatable {
                return Err(CallError::Uncertain {
                    line,
                    reason: transient,
                });
            }
            if failures == RETRIES {
                return Err(CallError::GaveUp {
                    line,
                    reason: format!("{transient}; tried {} times, try again later", RETRIES + 1),
                });
            }
            failures += 1;
            self.pause_before_retry(failures, &transient, observer);
        }
    }

    /// The pause before retry number `n` (from 1): the backoff, doubled each time.
    pub fn pause_before_retry(&self, n: u32, why: &str, observer: &mut dyn Observer) {
        let pause = self.backoff * 2u32.saturating_pow(n.saturating_sub(1));
        observer.waiting(&format!(
            "{why}; trying again in {} ({n} of {RETRIES})",
            seconds(pause)
        ));
        std::thread::sleep(pause);
    }

    fn wait_for_rate_limit(
        &self,
        response: &http::Response,
        line: &str,
        observer: &mut dyn Observer,
    ) -> Result<(), CallError> {
        // RateLimit-Reset: seconds until the oldest request leaves Vitally's window.
        let reset = response
            .header("ratelimit-reset")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .unwrap_or(1.0)
            .clamp(1.0, 3600.0);
        let wait = Duration::from_secs_f64(reset);
        let left = self.rate_wait_left.get();
        if wait > left {
            return Err(CallError::GaveUp {
                line: line.to_string(),
                reason: format!(
                    "Vitally's rate limit asks to wait {} more, past the {} a push waits in all; try again in a minute",
                    seconds(wait),
                    seconds(super::settings::RATE_LIMIT_WAIT)
                ),
            });
        }
        self.rate_wait_left.set(left - wait);
        observer.waiting(&format!(
            "Vitally's rate limit: waiting {} (RateLimit-Reset)",
            seconds(wait)
        ));
        std::thread::sleep(wait);
        Ok(())
    }
}

/// `: Vitally's own words` from an error answer, short and on one line.
fn detail(response: &http::Response) -> String {
    let parsed: Option<Value> = serde_json::from_str(&response.body).ok();
    let text = parsed
        .as_ref()
        .and_then(|v| {
            ["error", "message", "errors"]
                .iter()
                .find_map(|k| v.get(k))
                .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_string))
        })
        .unwrap_or_default();
    let line = text.lines().next().unwrap_or("").trim();
    if line.is_empty() {
        return String::new();
    }
    let mut shown: String = printable(line).chars().take(DETAIL_CHARS).collect();
    if line.chars().count() > DETAIL_CHARS {
        shown.push('…');
    }
    format!(": {shown}")
}

/// "1 s", "1.5 s", "500 ms".
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{} ms", d.as_millis())
    } else if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s:.1} s")
    }
}

/// A path segment: anything but letters, digits and `-._~` percent-encoded, so
/// an account ID cannot reach another path or add a query.
pub fn segment(text: &str) -> String {
    if text == "." || text == ".." {
        return text.replace('.', "%2E");
    }
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(segment("acme-corp_1.x~"), "acme-corp_1.x~");
        assert_eq!(segment("../a b?c=d#"), "..%2Fa%20b%3Fc%3Dd%23");
        assert_eq!(segment("é"), "%C3%A9");
        assert_eq!(segment(".."), "%2E%2E");
    }

    #[test]
    fn the_connection_shows_no_key_and_can_go_to_another_thread() {
        let settings = Settings {
            base_url: "https://acme.rest.vitally.io".into(),
            key: Secret::new("vk_live_abcdef0123456789"),
            http: http::Options::default(),
            backoff: Duration::from_millis(1),
            rate_limit_wait: Duration::from_secs(1),
        };
        let vitally = Vitally::new(&settings).expect("client");
        for shown in [format!("{vitally:?}"), format!("{settings:?}")] {
            assert!(!shown.contains("abcdef"), "{shown}");
            assert!(shown.contains("***"), "{shown}");
        }
        // The wizard pushes on a thread of its own.
        fn send<T: Send>(_: &T) {}
        send(&vitally);
        let plan: Option<super::super::Plan> = None;
        send(&plan);
    }

    #[test]
    fn seconds_read_naturally() {
        assert_eq!(seconds(Duration::from_secs(60)), "60 s");
        assert_eq!(seconds(Duration::from_millis(500)), "500 ms");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
    }
}
