//! The errors of an exchange, each one line for a person, and the translation of
//! whatever ureq reports into them. No message carries a credential, a request body
//! or a full URL.

use std::path::PathBuf;
use std::time::Duration;

use super::Options;
use crate::tui::text::printable;

/// Redirect targets and other server text are cut to this many characters in messages.
const SHOWN_CHARS: usize = 120;

/// Errors, each one line for a person. None carries a credential, a request body or
/// a full URL.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{shown} is not a usable URL: {reason}")]
    BadUrl { shown: String, reason: String },
    #[error(
        "refusing plain http:// to {host}: use https:// (plain http is allowed only for localhost)"
    )]
    HttpsRequired { host: String },
    #[error(
        "refusing a URL with a user name or password in it; credentials come from the environment"
    )]
    CredentialsInUrl,
    #[error("the credential contains characters that cannot be sent in an HTTP header")]
    BadCredential,
    #[error("cannot use the CA file {}: {reason}", path.display())]
    CaFile { path: PathBuf, reason: String },
    #[error("cannot connect to {host} ({reason})")]
    Connect { host: String, reason: String },
    #[error("{host} did not answer in time ({what})")]
    Timeout { host: String, what: String },
    #[error("TLS failure with {host}: {reason}")]
    Tls { host: String, reason: String },
    #[error("the answer from {host} is larger than {} MB; not reading it", limit / (1024 * 1024))]
    TooLarge { host: String, limit: u64 },
    #[error(
        "{host} redirected to {} ({location}); check the URL and token",
        redirect_kind(location)
    )]
    Redirected {
        host: String,
        status: u16,
        location: String,
    },
    #[error("{host} answered with {what} instead of JSON (HTTP {status}); check the URL")]
    NotJson {
        host: String,
        status: u16,
        what: &'static str,
    },
    #[error("{host} answered with JSON of an unexpected shape: {reason}")]
    UnexpectedJson { host: String, reason: String },
    #[error("the proxy from the environment failed for {host}: {reason}")]
    Proxy { host: String, reason: String },
    #[error("talking to {host} failed: {reason}")]
    Transport { host: String, reason: String },
}

/// A redirect to a sign-in page is the common case (SSO in front of the API): say so.
fn redirect_kind(location: &str) -> &'static str {
    let lower = location.to_ascii_lowercase();
    let login = [
        "login", "sign-in", "signin", "sign_in", "sso", "saml", "oauth", "auth",
    ];
    if login.iter().any(|w| lower.contains(w)) {
        "a login page"
    } else {
        "another address"
    }
}

/// One line for whatever ureq reports, naming the host and never the request.
pub(super) fn failure(options: &Options, host: &str, https: bool, error: ureq::Error) -> Error {
    let host = host.to_string();
    let seconds = |d: Duration| {
        let s = d.as_secs_f64();
        if s >= 1.0 {
            format!("{} s", s.round())
        } else {
            format!("{} ms", d.as_millis())
        }
    };
    match error {
        ureq::Error::Io(e) => {
            use std::io::ErrorKind as K;
            let reason = match e.kind() {
                K::ConnectionRefused => "connection refused".to_string(),
                K::HostUnreachable => "host unreachable".to_string(),
                K::NetworkUnreachable | K::NetworkDown => "network unreachable".to_string(),
                K::AddrNotAvailable => "address not available".to_string(),
                K::TimedOut | K::WouldBlock => {
                    return Error::Timeout {
                        host,
                        what: format!(
                            "no complete answer within {}",
                            seconds(options.total_timeout)
                        ),
                    };
                }
                // rustls reports a failed handshake as invalid data on the socket.
                K::InvalidData if https => {
                    return Error::Tls {
                        host,
                        reason: one_line(&e.to_string()),
                    };
                }
                K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe => {
                    return Error::Transport {
                        host,
                        reason: "the connection was closed before a complete answer".into(),
                    };
                }
                _ => {
                    return Error::Transport {
                        host,
                        reason: one_line(&e.to_string()),
                    };
                }
            };
            Error::Connect { host, reason }
        }
        ureq::Error::Timeout(t) => {
            let what = if matches!(t, ureq::Timeout::Connect | ureq::Timeout::Resolve) {
                format!(
                    "connecting took longer than {}",
                    seconds(options.connect_timeout)
                )
            } else {
                format!(
                    "no complete answer within {}",
                    seconds(options.total_timeout)
                )
            };
            Error::Timeout { host, what }
        }
        ureq::Error::HostNotFound => Error::Connect {
            host,
            reason: "host not found".into(),
        },
        ureq::Error::ConnectionFailed => Error::Connect {
            host,
            reason: "connection failed".into(),
        },
        ureq::Error::Tls(reason) => Error::Tls {
            host,
            reason: reason.to_string(),
        },
        ureq::Error::Rustls(e) => Error::Tls {
            host,
            reason: one_line(&e.to_string()),
        },
        ureq::Error::BodyExceedsLimit(_) => Error::TooLarge {
            host,
            limit: options.max_body,
        },
        ureq::Error::LargeResponseHeader(..) => Error::Transport {
            host,
            reason: "the response headers are too large".into(),
        },
        ureq::Error::InvalidProxyUrl => Error::Proxy {
            host,
            reason: "the proxy setting is not a valid URL".into(),
        },
        ureq::Error::ConnectProxyFailed(reason) => Error::Proxy {
            host,
            reason: one_line(&reason),
        },
        ureq::Error::BadUri(reason) => Error::BadUrl {
            shown: host,
            reason: one_line(&reason),
        },
        other => Error::Transport {
            host,
            reason: one_line(&other.to_string()),
        },
    }
}

/// Server or user text as one short printable line.
pub(super) fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let line = printable(line);
    let mut shown: String = line.chars().take(SHOWN_CHARS).collect();
    if line.chars().count() > SHOWN_CHARS {
        shown.push('…');
    }
    shown
}

/// A redirect target without its query or fragment (which may carry session
/// state), and without user info.
pub(super) fn shown_location(location: &str) -> String {
    let cut = location.find(['?', '#']).unwrap_or(location.len());
    shown_url(&location[..cut])
}

/// A URL for a message: user info removed, printable, short.
pub(super) fn shown_url(url: &str) -> String {
    let mut text = url.trim().to_string();
    if let Some(scheme_end) = text.find("://") {
        let rest_start = scheme_end + 3;
        let authority_end = text[rest_start..]
            .find('/')
            .map_or(text.len(), |i| rest_start + i);
        if let Some(at) = text[rest_start..authority_end].rfind('@') {
            text.replace_range(rest_start..=(rest_start + at), "");
        }
    }
    one_line(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_messages() {
        let login = Error::Redirected {
            host: "sg.example".into(),
            status: 302,
            location: shown_location("https://sso.example/login?return=/.api/graphql&state=xyz"),
        };
        assert_eq!(
            login.to_string(),
            "sg.example redirected to a login page (https://sso.example/login); check the URL and token"
        );
        let moved = Error::Redirected {
            host: "sg.example".into(),
            status: 301,
            location: shown_location("https://new.example/.api/graphql"),
        };
        assert!(moved.to_string().contains("another address"));
        assert_eq!(
            shown_location("https://u:p@h.example/x?y"),
            "https://h.example/x"
        );
    }

    #[test]
    fn shown_text_is_one_short_printable_line() {
        assert_eq!(one_line("a\u{1b}[31mb\nsecond"), "a\u{fffd}[31mb");
        let long = "x".repeat(500);
        assert_eq!(one_line(&long).chars().count(), SHOWN_CHARS + 1);
    }
}
