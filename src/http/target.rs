//! The URLs this program talks to: HTTPS, or plain HTTP to a loopback host; never
//! credentials in the URL.

use std::net::IpAddr;

use ureq::http::{self as h, Uri};

use super::Error;
use super::error::shown_url;
use crate::tui::text::printable;

/// A URL checked for what this program allows.
pub(super) struct Target {
    pub(super) uri: Uri,
    /// `host[:port]`, no user info: what messages name.
    pub(super) host: String,
    pub(super) https: bool,
    pub(super) loopback: bool,
}

impl Target {
    pub(super) fn parse(url: &str) -> Result<Target, Error> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
