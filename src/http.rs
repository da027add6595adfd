//! The one HTTP client of the program, shared by `fill --from sourcegraph` and the
//! Vitally push: a thin layer over ureq 3 that makes the same careful choices for
//! every caller.
//!
//! - **TLS** is rustls with the platform verifier, so a customer's private CA that is
//!   installed in the system store just works. [`Options::cacert`] (`--cacert FILE`,
//!   PEM) adds certificates: the client then trusts the system store (as
//!   `rustls-native-certs` reads it, honouring `SSL_CERT_FILE`/`SSL_CERT_DIR`) plus the
//!   file's certificates.
//! - **HTTPS is required** except for loopback hosts (`localhost`, `127.0.0.0/8`,
//!   `::1`), which tests use. Credentials in the URL (`https://user:pass@…`) are
//!   refused: they would end up in messages and shell history.
//! - **Proxies** come from the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
//!   `NO_PROXY`); loopback hosts never go through a proxy, as in Go's tooling, because
//!   a proxy's loopback is not ours.
//! - **Timeouts**: 10 s to connect, 30 s for the whole exchange including the body.
//! - **Redirects are not followed**: a 3xx is reported as [`Error::Redirected`]. Both
//!   APIs answer directly; a redirect almost always means a wrong URL or an SSO login
//!   page in front of the API, and following it would send the body (and possibly
//!   the credential) somewhere unintended.
//! - **Body cap**: [`MAX_BODY`] bytes (10 MiB). A larger answer is one line
//!   ([`Error::TooLarge`]) and is never read into memory in full: a `Content-Length`
//!   over the cap is refused before reading, and a body without one stops at the cap.
//! - **Secrets**: a credential is a [`Secret`], whose `Debug` and `Display` print
//!   `***`. The `Authorization` header is built from it only inside [`Client::send`],
//!   marked sensitive, and dropped with the request. No error message carries a
//!   header, a body that was sent, or a full URL (only the host, and a redirect's
//!   target without its query).
//!
//! Any status other than 3xx comes back as a [`Response`]: callers decide what 401,
//! 404, 429 or 5xx mean (the push reads `RateLimit-Reset` and retries).
//!
//! ```no_run
//! use handoff::http::{Auth, Client, Options, Request, Secret};
//! # fn main() -> Result<(), handoff::http::Error> {
//! let client = Client::new(Options::default())?;
//! let token = Secret::new("sgp_example");
//! let request = Request::post("https://sourcegraph.example.com/.api/graphql")
//!     .auth(Auth::Token(token))
//!     .json(&serde_json::json!({ "query": "query { site { productVersion } }" }));
//! let response = client.send(&request)?;
//! let answer: serde_json::Value = response.json()?;
//! # let _ = answer;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use serde::de::DeserializeOwned;
use ureq::http::{self as h, HeaderValue, Uri};
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig, TlsProvider};

use crate::tui::text::printable;

/// How long connecting (DNS, TCP, proxy, TLS) may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole exchange may take, response body included.
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest response body read: GraphQL and Vitally answers are kilobytes, so
/// anything near this is a wrong URL (a download, a log) rather than an answer.
pub const MAX_BODY: u64 = 10 * 1024 * 1024;
/// A CA file larger than this is not a PEM bundle anyone meant to pass.
const MAX_CA_FILE: u64 = 4 * 1024 * 1024;
/// Redirect targets and other server text are cut to this many characters in messages.
const SHOWN_CHARS: usize = 120;

/// A credential (access token, API key). It prints as `***` everywhere; only
/// [`Client::send`] reads the real value, to build the header it sends.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The variable's value, trimmed, or `None` when unset or blank.
    pub fn from_env(name: &str) -> Option<Secret> {
        let value = std::env::var(name).ok()?;
        let value = value.trim();
        (!value.is_empty()).then(|| Secret(value.to_string()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The real value: only for building the header at the last moment.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How a request proves who sends it.
#[derive(Debug, Clone)]
pub enum Auth {
    /// `Authorization: token SECRET` (Sourcegraph access tokens).
    Token(Secret),
    /// `Authorization: Basic base64(user:)`, the user being the secret and the
    /// password empty (Vitally API keys).
    BasicUser(Secret),
}

impl Auth {
    fn header_value(&self) -> Result<HeaderValue, Error> {
        let text = match self {
            Auth::Token(secret) => format!("token {}", secret.expose()),
            Auth::BasicUser(secret) => {
                let pair = format!("{}:", secret.expose());
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                )
            }
        };
        // The error from `http` would not contain the value, but say it our way.
        let mut value = HeaderValue::from_str(&text).map_err(|_| Error::BadCredential)?;
        value.set_sensitive(true);
        Ok(value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// What to send. The credential stays a [`Secret`] until [`Client::send`].
#[derive(Debug, Clone)]
pub struct Request {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    auth: Option<Auth>,
    json: Option<String>,
}

impl Request {
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Request {
            method,
            url: url.into(),
            headers: Vec::new(),
            auth: None,
            json: None,
        }
    }

    pub fn get(url: impl Into<String>) -> Self {
        Request::new(Method::Get, url)
    }

    pub fn post(url: impl Into<String>) -> Self {
        Request::new(Method::Post, url)
    }

    pub fn put(url: impl Into<String>) -> Self {
        Request::new(Method::Put, url)
    }

    /// Adds a header (not for credentials: use [`Request::auth`]).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Sends this JSON as the body, with `Content-Type: application/json`.
    pub fn json(mut self, body: &serde_json::Value) -> Self {
        self.json = Some(body.to_string());
        self
    }

    pub fn method(&self) -> Method {
        self.method
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The JSON body as it will be sent, e.g. for a `--dry-run` listing.
    pub fn json_body(&self) -> Option<&str> {
        self.json.as_deref()
    }
}

/// What came back (any status but 3xx).
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// Names in lower case, in the order received.
    headers: Vec<(String, String)>,
    pub body: String,
    host: String,
}

impl Response {
    /// The first header of that name, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The host (and port) that answered, for messages.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The body decoded as JSON. An HTML page (a login page, a proxy's error page),
    /// an empty body or other text is one line saying so; JSON of the wrong shape is
    /// another.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let start = self.body.trim_start();
        let content_type = self
            .header("content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let what = if start.is_empty() {
            Some("an empty answer")
        } else if content_type.contains("html") || start.starts_with('<') {
            Some("an HTML page")
        } else {
            None
        };
        if let Some(what) = what {
            return Err(Error::NotJson {
                host: self.host.clone(),
                status: self.status,
                what,
            });
        }
        serde_json::from_str(&self.body).map_err(|e| {
            if e.is_data() {
                Error::UnexpectedJson {
                    host: self.host.clone(),
                    reason: e.to_string(),
                }
            } else {
                Error::NotJson {
                    host: self.host.clone(),
                    status: self.status,
                    what: "text that is not JSON",
                }
            }
        })
    }
}

/// How the client behaves; the defaults are the program's.
#[derive(Debug, Clone)]
pub struct Options {
    /// A PEM file of extra CA certificates (`--cacert FILE`).
    pub cacert: Option<PathBuf>,
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
    pub max_body: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cacert: None,
            connect_timeout: CONNECT_TIMEOUT,
            total_timeout: TOTAL_TIMEOUT,
            max_body: MAX_BODY,
        }
    }
}

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

/// Sends requests. Cheap to share by reference; connections are reused.
pub struct Client {
    /// For everything but loopback: proxies from the environment apply.
    proxied: ureq::Agent,
    /// For loopback hosts, which never go through a proxy.
    direct: ureq::Agent,
    options: Options,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Fails only when the CA file cannot be used.
    pub fn new(options: Options) -> Result<Client, Error> {
        let roots = match &options.cacert {
            Some(path) => roots_with(path)?,
            None => RootCerts::PlatformVerifier,
        };
        let agent = |proxy: Option<ureq::Proxy>| {
            let tls = TlsConfig::builder()
                .provider(TlsProvider::Rustls)
                .root_certs(roots.clone())
                .build();
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .timeout_connect(Some(options.connect_timeout))
                .timeout_global(Some(options.total_timeout))
                .user_agent(concat!("handoff/", env!("CARGO_PKG_VERSION")))
                .proxy(proxy)
                .tls_config(tls)
                .build()
                .new_agent()
        };
        Ok(Client {
            proxied: agent(ureq::Proxy::try_from_env()),
            direct: agent(None),
            options,
        })
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Sends one request and reads the whole answer (up to the body cap).
    pub fn send(&self, request: &Request) -> Result<Response, Error> {
        let target = Target::parse(&request.url)?;
        let mut builder = h::Request::builder()
            .method(request.method.as_str())
            .uri(target.uri.clone());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if request.json.is_some() {
            builder = builder.header("content-type", "application/json");
        }
        if !request
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("accept"))
        {
            builder = builder.header("accept", "application/json");
        }
        if let Some(auth) = &request.auth {
            builder = builder.header("authorization", auth.header_value()?);
        }
        let agent = if target.loopback {
            &self.direct
        } else {
            &self.proxied
        };
        let sent = match &request.json {
            Some(body) => builder
                .body(body.as_bytes())
                .map(|r| agent.run(r))
                .map_err(|e| self.bad_header(&target, e))?,
            None => builder
                .body(())
                .map(|r| agent.run(r))
                .map_err(|e| self.bad_header(&target, e))?,
        };
        let response = sent.map_err(|e| self.failure(&target, e))?;
        self.read(&target, response)
    }

    /// A header the caller passed could not be sent; `http`'s message names no value.
    fn bad_header(&self, target: &Target, e: h::Error) -> Error {
        Error::Transport {
            host: target.host.clone(),
            reason: format!("invalid request header ({e})"),
        }
    }

    fn read(&self, target: &Target, response: h::Response<ureq::Body>) -> Result<Response, Error> {
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        if (300..400).contains(&status) && status != 304 {
            let location = headers.iter().find(|(n, _)| n == "location").map_or_else(
                || "no Location given".to_string(),
                |(_, v)| shown_location(v),
            );
            return Err(Error::Redirected {
                host: target.host.clone(),
                status,
                location,
            });
        }
        let limit = self.options.max_body;
        let too_large = || Error::TooLarge {
            host: target.host.clone(),
            limit,
        };
        if response.body().content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        response
            .into_body()
            .into_reader()
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| self.failure(target, ureq::Error::from(e)))?;
        if bytes.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            host: target.host.clone(),
        })
    }

    /// One line for whatever ureq reports, naming the host and never the request.
    fn failure(&self, target: &Target, error: ureq::Error) -> Error {
        let host = target.host.clone();
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
                                seconds(self.options.total_timeout)
                            ),
                        };
                    }
                    // rustls reports a failed handshake as invalid data on the socket.
                    K::InvalidData if target.https => {
                        return Error::Tls {
                            host,
                            reason: one_line(&e.to_string()),
                        };
                    }
                    K::ConnectionReset
                    | K::ConnectionAborted
                    | K::UnexpectedEof
                    | K::BrokenPipe => {
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
                        seconds(self.options.connect_timeout)
                    )
                } else {
                    format!(
                        "no complete answer within {}",
                        seconds(self.options.total_timeout)
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
                limit: self.options.max_body,
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
}

/// A URL checked for what this program allows.
struct Target {
    uri: Uri,
    /// `host[:port]`, no user info: what messages name.
    host: String,
    https: bool,
    loopback: bool,
}

impl Target {
    fn parse(url: &str) -> Result<Target, Error> {
        let bad = |reason: &str| Error::BadUrl {
            shown: shown_url(url),
            reason: reason.to_string(),
        };
        let uri: Uri = url
            .trim()
            .parse()
            .map_err(|e: h::uri::InvalidUri| bad(&e.to_string()))?;
        let authority = uri
            .authority()
            .ok_or_else(|| bad("it needs https:// and a host"))?;
        if authority.as_str().contains('@') {
            return Err(Error::CredentialsInUrl);
        }
        let https = match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(bad("it must start with https://")),
        };
        let host_name = authority.host();
        if host_name.is_empty() {
            return Err(bad("it has no host"));
        }
        let host = printable(authority.as_str()).into_owned();
        let loopback = is_loopback(host_name);
        if !https && !loopback {
            return Err(Error::HttpsRequired { host });
        }
        Ok(Target {
            uri,
            host,
            https,
            loopback,
        })
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The system store plus the file's certificates.
fn roots_with(path: &Path) -> Result<RootCerts, Error> {
    let fail = |reason: String| Error::CaFile {
        path: path.to_path_buf(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut pem = Vec::new();
    file.take(MAX_CA_FILE + 1)
        .read_to_end(&mut pem)
        .map_err(|e| fail(e.to_string()))?;
    if pem.len() as u64 > MAX_CA_FILE {
        return Err(fail(
            "it is larger than 4 MB; expected a PEM certificate".into(),
        ));
    }
    let mut certs: Vec<Certificate<'static>> = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(_) => return Err(fail("it is not a valid PEM file".into())),
        }
    }
    if certs.is_empty() {
        return Err(fail(
            "no certificate in it (expected PEM, -----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    // Errors reading parts of the system store leave the rest (and the file) usable.
    let system = rustls_native_certs::load_native_certs();
    certs.extend(
        system
            .certs
            .iter()
            .map(|der| Certificate::from_der(der.as_ref()).to_owned()),
    );
    Ok(RootCerts::new_with_certs(&certs))
}

/// Server or user text as one short printable line.
fn one_line(text: &str) -> String {
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
fn shown_location(location: &str) -> String {
    let cut = location.find(['?', '#']).unwrap_or(location.len());
    shown_url(&location[..cut])
}

/// A URL for a message: user info removed, printable, short.
fn shown_url(url: &str) -> String {
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
    fn secrets_never_print() {
        let secret = Secret::new("sgp_abcdef123456");
        assert_eq!(format!("{secret}"), "***");
        assert_eq!(format!("{secret:?}"), "***");
        let request = Request::post("https://x.example/.api/graphql")
            .auth(Auth::Token(secret.clone()))
            .json(&serde_json::json!({"query": "q"}));
        let debug = format!("{request:?}");
        assert!(!debug.contains("sgp_abcdef123456"), "{debug}");
        assert!(debug.contains("***"));
        let basic = format!("{:?}", Auth::BasicUser(secret));
        assert!(!basic.contains("abcdef"), "{basic}");
    }

    #[test]
    fn auth_headers() {
        let token = Auth::Token(Secret::new("abc"))
            .header_value()
            .expect("should succeed");
        assert_eq!(token.to_str().expect("should succeed"), "token abc");
        assert!(token.is_sensitive());
        // "key:" in base64, the password being empty.
        let basic = Auth::BasicUser(Secret::new("key"))
            .header_value()
            .expect("should succeed");
        assert_eq!(basic.to_str().expect("should succeed"), "Basic a2V5Og==");
        let broken = Auth::Token(Secret::new("a\nb"))
            .header_value()
            .expect_err("should fail");
        assert!(!broken.to_string().contains("a\nb"));
    }

    #[test]
    fn https_is_required_except_loopback() {
        for ok in [
            "https://sourcegraph.example.com",
            "http://127.0.0.1:8080/x",
            "http://127.1.2.3/",
            "http://localhost:3000",
            "http://LOCALHOST",
            "http://[::1]:9000/",
        ] {
            assert!(Target::parse(ok).is_ok(), "{ok}");
        }
        let err = Target::parse("http://sourcegraph.example.com/.api")
            .err()
            .expect("should succeed");
        assert_eq!(
            err.to_string(),
            "refusing plain http:// to sourcegraph.example.com: use https:// (plain http is allowed only for localhost)"
        );
        assert!(matches!(
            Target::parse("http://localhost.evil.com").err(),
            Some(Error::HttpsRequired { .. })
        ));
        assert!(matches!(
            Target::parse("ftp://x.example").err(),
            Some(Error::BadUrl { .. })
        ));
        assert!(matches!(
            Target::parse("sourcegraph.example.com").err(),
            Some(Error::BadUrl { .. })
        ));
    }

    #[test]
    fn credentials_in_urls_are_refused_and_never_shown() {
        let err = Target::parse("https://me:hunter2@x.example/")
            .err()
            .expect("should succeed");
        assert!(matches!(err, Error::CredentialsInUrl));
        assert!(!err.to_string().contains("hunter2"));
        let err = Target::parse("https://me:hunter2@exa mple/")
            .err()
            .expect("should succeed");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn header_lookup_ignores_case() {
        let response = Response {
            status: 429,
            headers: vec![("ratelimit-reset".into(), "12".into())],
            body: String::new(),
            host: "x".into(),
        };
        assert_eq!(response.header("RateLimit-Reset"), Some("12"));
        assert_eq!(response.header("RATELIMIT-RESET"), Some("12"));
        assert_eq!(response.header("RateLimit-Remaining"), None);
    }

    fn answer(content_type: &str, body: &str) -> Response {
        Response {
            status: 200,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
            host: "sg.example".into(),
        }
    }

    #[test]
    fn json_decoding_says_what_came_instead() {
        let html = answer("text/html", "<!DOCTYPE html><title>Sign in</title>");
        let err = html.json::<serde_json::Value>().expect_err("should fail");
        assert_eq!(
            err.to_string(),
            "sg.example answered with an HTML page instead of JSON (HTTP 200); check the URL"
        );
        let sneaky = answer("application/json", "  <html>");
        assert!(matches!(
            sneaky.json::<serde_json::Value>(),
            Err(Error::NotJson {
                what: "an HTML page",
                ..
            })
        ));
        let empty = answer("application/json", "");
        assert!(matches!(
            empty.json::<serde_json::Value>(),
            Err(Error::NotJson {
                what: "an empty answer",
                ..
            })
        ));
        let text = answer("text/plain", "upstream connect error");
        assert!(matches!(
            text.json::<serde_json::Value>(),
            Err(Error::NotJson {
                what: "text that is not JSON",
                ..
            })
        ));
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Shape {
            data: u32,
        }
        let wrong = answer("application/json", r#"{"other": 1}"#);
        let err = wrong.json::<Shape>().expect_err("should fail");
        assert!(matches!(err, Error::UnexpectedJson { .. }), "{err}");
        assert_eq!(
            answer("application/json", r#"{"data": 7}"#)
                .json::<Shape>()
                .expect("should succeed")
                .data,
            7
        );
    }

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

    #[test]
    fn ca_file_problems_are_one_line() {
        let dir = tempfile::tempdir().expect("should succeed");
        let missing = dir.path().join("missing.pem");
        let err = Client::new(Options {
            cacert: Some(missing),
            ..Options::default()
        })
        .expect_err("should fail");
        assert!(
            err.to_string().starts_with("cannot use the CA file"),
            "{err}"
        );
        let junk = dir.path().join("junk.pem");
        std::fs::write(&junk, "not a certificate").expect("should succeed");
        let err = Client::new(Options {
            cacert: Some(junk),
            ..Options::default()
        })
        .expect_err("should fail");
        assert!(err.to_string().contains("no certificate"), "{err}");
    }
}
