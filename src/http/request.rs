//! What is sent ([`Request`], [`Method`]) and what came back ([`Response`]).

use serde::de::DeserializeOwned;

use super::{Auth, Error};

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

/// What to send. The credential stays a [`Secret`](super::Secret) until
/// [`Client::send`](super::Client::send).
#[derive(Debug, Clone)]
pub struct Request {
    pub(super) method: Method,
    pub(super) url: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) auth: Option<Auth>,
    pub(super) json: Option<String>,
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
    pub(super) headers: Vec<(String, String)>,
    pub body: String,
    pub(super) host: String,
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
