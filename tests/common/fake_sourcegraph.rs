//! A fake Sourcegraph instance for tests: the GraphQL answers of a healthy
//! instance (two pages of code host connections, the five largest repositories…)
//! and of every way one fails, served by `fake_http` on 127.0.0.1. Include it after
//! `fake_http`:
//!
//! ```ignore
//! #[path = "common/fake_http.rs"]
//! mod fake_http;
//! #[path = "common/fake_sourcegraph.rs"]
//! mod fake_sourcegraph;
//! ```

// Each test crate uses its own part of it.
#![allow(dead_code)]

use serde_json::json;

use crate::fake_http::{FakeServer, Reply, Request};

/// The only token the fake accepts: distinctive, so a test can look for it anywhere.
pub const TOKEN: &str = "sgp_local_7f3a9c1d2e4b5a6f_do_not_leak";

/// How the fake instance behaves.
#[derive(Clone, Copy, PartialEq)]
pub enum Instance {
    Healthy,
    NotAdmin,
    TooOldForSize,
    CountFails,
    Unauthorized,
    LoginRedirect,
    Html,
    Huge,
    Hostile,
}

/// The GraphQL answers of an instance, chosen by the query's operation.
pub fn graphql(instance: Instance, request: &Request) -> Reply {
    if request.header("authorization") != Some(format!("token {TOKEN}").as_str()) {
        return Reply::text(401, "Invalid access token.\n");
    }
    match instance {
        Instance::Unauthorized => return Reply::text(401, "Invalid access token.\n"),
        Instance::LoginRedirect => {
            return Reply::redirect(302, "/sign-in?returnTo=%2F.api%2Fgraphql");
        }
        Instance::Html => {
            return Reply::html(200, "<!DOCTYPE html><html><body>Sourcegraph</body></html>");
        }
        Instance::Huge => return Reply::huge(50 * 1024 * 1024, true),
        _ => {}
    }
    let body = request.json();
    let query = body["query"].as_str().unwrap_or("");
    let errors = |message: &str, path: &str| {
        Reply::json(
            200,
            &json!({"errors": [{"message": message, "path": [path]}], "data": null}),
        )
    };
    let hostile = instance == Instance::Hostile;
    if query.contains("productVersion") {
        let version = if hostile {
            "6.4.1\u{1b}]0;owned\u{7}"
        } else {
            "6.4.1"
        };
        Reply::json(200, &json!({"data": {"site": {"productVersion": version}}}))
    } else if query.contains("repositoryStats") {
        if instance == Instance::CountFails {
            return errors("repository stats are being computed", "repositoryStats");
        }
        Reply::json(200, &json!({"data": {"repositoryStats": {"total": 4210}}}))
    } else if query.contains("externalServices") {
        if instance == Instance::NotAdmin {
            return errors("must be site admin", "externalServices");
        }
        let page = match body["variables"]["after"].as_str() {
            None => json!({
                "totalCount": 7,
                "pageInfo": {"hasNextPage": true, "endCursor": "RXh0ZXJuYWxTZXJ2aWNlOjQ="},
                "nodes": [
                    {"kind": "GITHUB", "displayName": "GitHub (public)", "url": "https://github.com/"},
                    {"kind": "GITHUB", "displayName": "GHE", "url": "https://ghe.acme.corp/"},
                    {"kind": "GITLAB", "displayName": "GitLab", "url": "https://gitlab.acme.corp/"},
                    {"kind": "NPMPACKAGES", "displayName": "npm", "url": "https://registry.npmjs.org"}
                ]
            }),
            Some("RXh0ZXJuYWxTZXJ2aWNlOjQ=") => json!({
                "totalCount": 7,
                "pageInfo": {"hasNextPage": false, "endCursor": null},
                "nodes": [
                    {"kind": "PERFORCE", "displayName": "P4", "url": "perforce.acme.corp:1666"},
                    {"kind": "GOMODULES", "displayName": "Go", "url": "https://proxy.golang.org"},
                    {"kind": if hostile { "NEW\u{1b}[2JKIND" } else { "GITHUB" },
                     "displayName": "GHE 2", "url": "https://ghe2.acme.corp/"}
                ]
            }),
            Some(other) => return errors(&format!("bad cursor {other}"), "externalServices"),
        };
        Reply::json(200, &json!({"data": {"externalServices": page}}))
    } else if query.contains("repositories(") {
        if instance == Instance::TooOldForSize {
            return Reply::json(
                200,
                &json!({"errors": [{
                    "message": "Argument \"orderBy\" has invalid value SIZE.\nExpected type \"RepositoryOrderBy\", found SIZE.",
                    "locations": [{"line": 1, "column": 60}]
                }]}),
            );
        }
        let first = if hostile {
            "github.com/acme/\u{1b}[31mmono"
        } else {
            "github.com/acme/monorepo"
        };
        Reply::json(
            200,
            &json!({"data": {"repositories": {"nodes": [
                {"name": first, "diskSizeBytes": "48318382080"},
                {"name": "ghe.acme.corp/platform/services", "diskSizeBytes": "12884901888"},
                {"name": "gitlab.acme.corp/data/warehouse", "diskSizeBytes": 5368709120_u64},
                {"name": "perforce.acme.corp/depot/game", "diskSizeBytes": "3221225472"},
                {"name": "github.com/acme/website", "diskSizeBytes": null}
            ]}}}),
        )
    } else {
        errors("unknown query", "")
    }
}

pub fn start(instance: Instance) -> FakeServer {
    FakeServer::start(move |request| graphql(instance, request))
}
