//! Credentials: a [`Secret`] prints as `***` everywhere, and [`Auth`] turns it into
//! the `Authorization` header only when a request is sent.

use std::fmt;

use base64::Engine as _;
use ureq::http::HeaderValue;

use super::Error;

/// A credential (access token, API key). It prints as `***` everywhere; only
/// [`Client::send`](super::Client::send) reads the real value, to build the header
/// it sends.
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
    pub(super) fn header_value(&self) -> Result<HeaderValue, Error> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Request;

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
}
