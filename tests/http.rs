//! The shared HTTP client against a local fake server: what it sends, and one clear
//! line for every way an exchange can go wrong. Nothing here reaches any address
//! but 127.0.0.1.

#[path = "common/fake_http.rs"]
mod fake_http;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use fake_http::{FakeServer, Reply};
use handoff::http::{Auth, Client, Error, Options, Request, Secret};
use serde_json::json;

const TOKEN: &str = "sgp_0123456789abcdef_secret";

fn client() -> Client {
    Client::new(Options::default()).expect("client")
}

fn quick_client() -> Client {
    Client::new(Options {
        connect_timeout: Duration::from_millis(500),
        total_timeout: Duration::from_millis(400),
        ..Options::default()
    })
    .expect("client")
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/http")
        .join(name)
}

/// Everything a person or a log could see of an error.
fn shown(error: &Error) -> String {
    format!("{error} {error:?}")
}

#[test]
fn a_json_post_carries_the_token_header_and_body() {
    let server = FakeServer::start(|request| {
        Reply::json(200, &json!({"echo": request.json()})).header("RateLimit-Remaining", "99")
    });
    let request = Request::post(format!("{}/.api/graphql", server.url()))
        .auth(Auth::Token(Secret::new(TOKEN)))
        .header("X-Requested-With", "handoff")
        .json(&json!({"query": "query { site { productVersion } }"}));
    let response = client().send(&request).expect("answer");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("ratelimit-remaining"), Some("99"));
    assert_eq!(response.header("RATELIMIT-REMAINING"), Some("99"));
    let body: serde_json::Value = response.json().expect("json");
    assert_eq!(
        body,
        json!({"echo": {"query": "query { site { productVersion } }"}})
    );

    let received = server.requests();
    assert_eq!(received.len(), 1);
    let got = &received[0];
    assert_eq!(got.method, "POST");
    assert_eq!(got.path, "/.api/graphql");
    assert_eq!(
        got.header("authorization"),
        Some(format!("token {TOKEN}").as_str())
    );
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(got.header("x-requested-with"), Some("handoff"));
    assert!(
        got.header("user-agent")
            .is_some_and(|ua| ua.starts_with("handoff/"))
    );
    // The request's own Debug never shows the token.
    assert!(!format!("{request:?}").contains(TOKEN));
}

#[test]
fn basic_auth_sends_the_key_as_user_with_an_empty_password() {
    let server = FakeServer::start(|_| Reply::json(200, &json!({"id": "a1"})));
    let request = Request::put(format!("{}/resources/accounts/a1", server.url()))
        .auth(Auth::BasicUser(Secret::new("vitally-key")))
        .json(&json!({"traits": {"cpu": 48}}));
    client().send(&request).expect("answer");
    let got = &server.requests()[0];
    assert_eq!(got.method, "PUT");
    // base64("vitally-key:")
    assert_eq!(got.header("Authorization"), Some("Basic dml0YWxseS1rZXk6"));
    assert_eq!(got.json(), json!({"traits": {"cpu": 48}}));
}

#[test]
fn statuses_other_than_redirects_come_back_to_the_caller() {
    let server = FakeServer::start(|request| match request.path.as_str() {
        "/limited" => {
            Reply::json(429, &json!({"error": "slow down"})).header("RateLimit-Reset", "7")
        }
        "/broken" => Reply::text(500, "upstream failed"),
        _ => Reply::text(401, "Invalid access token."),
    });
    let client = client();
    let limited = client
        .send(&Request::get(format!("{}/limited", server.url())))
        .expect("429 is an answer");
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("ratelimit-reset"), Some("7"));
    assert!(!limited.is_success());
    let broken = client
        .send(&Request::get(format!("{}/broken", server.url())))
        .expect("500 is an answer");
    assert_eq!(
        (broken.status, broken.body.as_str()),
        (500, "upstream failed")
    );
    let refused = client
        .send(&Request::get(format!("{}/x", server.url())))
        .expect("401 is an answer");
    assert_eq!(refused.status, 401);
    assert_eq!(server.requests()[0].method, "GET");
}

#[test]
fn connection_refused_is_one_line() {
    // A port that was just free: nothing listens on it any more.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let request = Request::post(format!("http://127.0.0.1:{port}/.api/graphql"))
        .auth(Auth::Token(Secret::new(TOKEN)));
    let error = client().send(&request).expect_err("nothing listens");
    assert_eq!(
        error.to_string(),
        format!("cannot connect to 127.0.0.1:{port} (connection refused)")
    );
    assert!(!shown(&error).contains(TOKEN));
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = FakeServer::start(|_| Reply::hang());
    let request = Request::post(format!("{}/.api/graphql", server.url()))
        .auth(Auth::Token(Secret::new(TOKEN)))
        .json(&json!({"query": "q"}));
    let error = quick_client().send(&request).expect_err("hangs");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!(
            "{} did not answer in time (no complete answer within 400 ms)",
            server.addr()
        )
    );
    assert!(!shown(&error).contains(TOKEN));
}

#[test]
fn a_slow_answer_within_the_time_is_fine() {
    let server = FakeServer::start(|_| {
        Reply::json(200, &json!({"ok": true})).after(Duration::from_millis(50))
    });
    let response = client()
        .send(&Request::get(server.url()))
        .expect("slow but in time");
    assert_eq!(response.status, 200);
}

#[test]
fn a_huge_answer_is_refused_without_reading_it() {
    const FIFTY_MB: u64 = 50 * 1024 * 1024;
    for with_length in [true, false] {
        let server = FakeServer::start(move |_| Reply::huge(FIFTY_MB, with_length));
        let error = client()
            .send(&Request::post(format!("{}/.api/graphql", server.url())))
            .expect_err("too large");
        assert_eq!(
            error.to_string(),
            format!(
                "the answer from {} is larger than 10 MB; not reading it",
                server.addr()
            ),
            "with Content-Length: {with_length}"
        );
    }
}

#[test]
fn redirects_are_reported_not_followed() {
    let server = FakeServer::start(|request| match request.path.as_str() {
        "/.api/graphql" => Reply::redirect(
            302,
            "https://sso.acme.example/login?return_to=%2F.api%2Fgraphql&state=abc",
        ),
        _ => Reply::redirect(301, "https://new.acme.example/.api/graphql"),
    });
    let request = Request::post(format!("{}/.api/graphql", server.url()))
        .auth(Auth::Token(Secret::new(TOKEN)))
        .json(&json!({"query": "q"}));
    let error = client().send(&request).expect_err("redirect");
    assert_eq!(
        error.to_string(),
        format!(
            "{} redirected to a login page (https://sso.acme.example/login); check the URL and token",
            server.addr()
        )
    );
    let moved = client()
        .send(&Request::get(format!("{}/old", server.url())))
        .expect_err("redirect");
    assert!(
        moved
            .to_string()
            .contains("redirected to another address (https://new.acme.example/.api/graphql)")
    );
    // Only the first request of each: nothing was followed.
    assert_eq!(server.requests().len(), 2);
    assert!(!shown(&error).contains(TOKEN));
}

#[test]
fn html_instead_of_json_is_one_line() {
    let server = FakeServer::start(|_| {
        Reply::html(
            200,
            "<!DOCTYPE html><html><head><title>Sign in</title></head></html>",
        )
    });
    let response = client()
        .send(&Request::post(format!("{}/.api/graphql", server.url())))
        .expect("an answer");
    let error = response.json::<serde_json::Value>().expect_err("html");
    assert_eq!(
        error.to_string(),
        format!(
            "{} answered with an HTML page instead of JSON (HTTP 200); check the URL",
            server.addr()
        )
    );
}

#[test]
fn a_tls_failure_names_the_host() {
    // Something on the port that does not speak TLS: answers plain HTTP at once.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut hello = [0u8; 512];
            let _ = stream.read(&mut hello);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let request =
        Request::post(format!("https://{addr}/.api/graphql")).auth(Auth::Token(Secret::new(TOKEN)));
    let error = client().send(&request).expect_err("not TLS");
    assert!(matches!(error, Error::Tls { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("TLS failure with {addr}: ")),
        "{error}"
    );
    assert!(!error.to_string().contains('\n'));
    assert!(!shown(&error).contains(TOKEN));
    server.join().expect("server thread");
}

#[test]
fn plain_http_is_refused_for_other_hosts_before_connecting() {
    let error = client()
        .send(&Request::get(
            "http://sourcegraph.acme.example/.api/graphql",
        ))
        .expect_err("plain http");
    assert_eq!(
        error.to_string(),
        "refusing plain http:// to sourcegraph.acme.example: use https:// (plain http is allowed only for localhost)"
    );
}

/// The file is a public root (ISRG Root X1), only to show a PEM bundle is taken.
#[test]
fn an_extra_ca_file_is_accepted_and_still_reaches_loopback() {
    let client = Client::new(Options {
        cacert: Some(fixture("public-root-ca.pem")),
        ..Options::default()
    })
    .expect("a PEM CA file is usable");
    let server = FakeServer::start(|_| Reply::json(200, &json!({})));
    assert_eq!(
        client
            .send(&Request::get(server.url()))
            .expect("answer")
            .status,
        200
    );
}

#[test]
fn the_token_appears_in_no_error_of_any_kind() {
    let hang = FakeServer::start(|_| Reply::hang());
    let html = FakeServer::start(|_| Reply::html(200, "<html>"));
    let redirect = FakeServer::start(|_| Reply::redirect(302, "/sign-in"));
    let huge = FakeServer::start(|_| Reply::huge(20 * 1024 * 1024, true));
    let client = quick_client();
    let mut errors = Vec::new();
    for server in [&hang, &html, &redirect, &huge] {
        let request = Request::post(format!("{}/.api/graphql", server.url()))
            .auth(Auth::Token(Secret::new(TOKEN)))
            .json(&json!({"query": "q"}));
        match client.send(&request) {
            Ok(response) => errors.extend(response.json::<serde_json::Value>().err()),
            Err(error) => errors.push(error),
        }
    }
    errors.extend(
        client
            .send(&Request::get(format!("https://u:{TOKEN}@127.0.0.1:1/")))
            .err(),
    );
    assert_eq!(errors.len(), 5);
    for error in &errors {
        assert!(!shown(error).contains(TOKEN), "{error:?}");
        assert!(!shown(error).contains("0123456789abcdef"), "{error:?}");
    }
}
