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

mod error;
mod request;
mod secret;
mod target;
mod tls;

use std::fmt;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use ureq::http as h;
use ureq::tls::{RootCerts, TlsConfig, TlsProvider};

pub use error::Error;
pub use request::{Method, Request, Response};
pub use secret::{Auth, Secret};

use error::{failure, shown_location};
use target::Target;
use tls::roots_with;

/// How long connecting (DNS, TCP, proxy, TLS) may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole exchange may take, response body included.
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest response body read: GraphQL and Vitally answers are kilobytes, so
/// anything near this is a wrong URL (a download, a log) rather than an answer.
pub const MAX_BODY: u64 = 10 * 1024 * 1024;

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
        let response = sent.map_err(|e| failure(&self.options, &target.host, target.https, e))?;
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
            .map_err(|e| {
                failure(
                    &self.options,
                    &target.host,
                    target.https,
                    ureq::Error::from(e),
                )
            })?;
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
}
