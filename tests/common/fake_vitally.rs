//! A fake Vitally REST API on 127.0.0.1, built on `fake_http`: it checks Basic
//! auth (the key as user name, empty password), keeps accounts, their traits and
//! notes the way Vitally does (traits merged, `null` clears one), serves the
//! account traits (`customFields`), gives created notes ids, lists an account's
//! notes page by page, and records every request.
//!
//! It does NOT refuse a second note with the same `externalId`: a client that
//! creates a note twice leaves two here, which is what the tests look for.
//!
//! Faults are scripted by request number (counted from 1, all methods, or only
//! one method): answer 429 with `RateLimit-Reset`, any status, garbage, hang, or
//! do the work and then hang (the client never learns that it happened).
//!
//! Include it after `fake_http`:
//! `#[path = "common/fake_http.rs"] mod fake_http;`
//! `#[path = "common/fake_vitally.rs"] mod fake_vitally;`

#![allow(dead_code)]

use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::fake_http::{FakeServer, Reply, Request};

/// The API key the fake accepts.
pub const KEY: &str = "vk_live_7f3c9a1e5b2d4c6f8a0b_do_not_leak";

/// What to answer instead of the normal reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 with this `RateLimit-Reset` header value.
    TooMany(&'static str),
    /// This status, with a JSON error body.
    Status(u16),
    /// 200 with an HTML page, as a proxy's login page would be.
    Garbage,
    /// Never answer.
    Hang,
    /// Do what was asked, then never answer.
    WorkThenHang,
}

#[derive(Debug, Clone)]
struct Rule {
    /// Counted among requests of this method only, when set.
    method: Option<&'static str>,
    first: usize,
    last: usize,
    fault: Fault,
}

#[derive(Debug, Default)]
struct State {
    traits: Vec<Value>,
    accounts: Vec<Value>,
    notes: Vec<Value>,
    next_note: u64,
    rules: Vec<Rule>,
    /// Requests seen, all and per method.
    seen: usize,
    seen_by_method: Vec<(String, usize)>,
    /// Notes per page of an account's notes list.
    page_size: usize,
}

pub struct FakeVitally {
    pub server: FakeServer,
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl FakeVitally {
    /// One account, `acc-0001` with external id `acme-corp`, and an account trait
    /// for every field the form maps (of a fitting type).
    pub fn start() -> FakeVitally {
        let state = Arc::new(Mutex::new(State {
            traits: default_traits(),
            accounts: vec![json!({
                "id": "acc-0001",
                "externalId": "acme-corp",
                "name": "Acme Corp",
                "traits": {"vitally.custom.plan": "enterprise"},
            })],
            page_size: 2,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        let server = FakeServer::start(move |request| answer(&shared, request));
        FakeVitally { server, state }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.server.requests()
    }

    /// Requests that could change something (anything but GET).
    pub fn writes(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.method != "GET")
            .collect()
    }

    /// Requests `first..=last` (counted among `method`'s, when given) get `fault`.
    pub fn fault(&self, method: Option<&'static str>, first: usize, last: usize, fault: Fault) {
        lock(&self.state).rules.push(Rule {
            method,
            first,
            last,
            fault,
        });
    }

    /// Request `n` and every one after it get `fault`.
    pub fn fault_from(&self, n: usize, fault: Fault) {
        self.fault(None, n, usize::MAX, fault);
    }

    pub fn clear_faults(&self) {
        lock(&self.state).rules.clear();
    }

    pub fn set_traits(&self, traits: Vec<Value>) {
        lock(&self.state).traits = traits;
    }

    pub fn traits(&self) -> Vec<Value> {
        lock(&self.state).traits.clone()
    }

    /// The account's traits as Vitally has them now.
    pub fn account_traits(&self, id: &str) -> Map<String, Value> {
        lock(&self.state)
            .accounts
            .iter()
            .find(|a| a["id"] == id)
            .and_then(|a| a["traits"].as_object().cloned())
            .unwrap_or_default()
    }

    pub fn notes(&self) -> Vec<Value> {
        lock(&self.state).notes.clone()
    }

    /// Deletes a note, as someone would in Vitally's own pages.
    pub fn delete_note(&self, id: &str) {
        lock(&self.state).notes.retain(|n| n["id"] != id);
    }

    /// How many notes carry each external id.
    pub fn note_counts(&self) -> std::collections::BTreeMap<String, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for note in self.notes() {
            let key = note["externalId"].as_str().unwrap_or("").to_string();
            *counts.entry(key).or_insert(0) += 1;
        }
        counts
    }
}

/// Every trait the form maps, typed as Vitally would type it, plus one more.
pub fn default_traits() -> Vec<Value> {
    [
        ("Code hosts", "multiselect", "codeHosts"),
        ("Deployment type", "string", "deploymentType"),
        ("Hosting provider", "string", "hostingProvider"),
        (
            "Implementation completion date",
            "date",
            "implementationCompletionDate",
        ),
        (
            "Implementation start date",
            "datetime",
            "implementationStartDate",
        ),
        ("Instance types", "array", "instanceTypes"),
        ("Instance URL", "string", "instanceUrl"),
        ("Largest repository (MB)", "number", "largestRepositoryMb"),
        ("Monorepos", "number", "monorepos"),
        ("Next step", "textarea", "nextSteps"),
        ("Repositories", "number", "repositories"),
        ("TDD links", "array", "technicalDesignDocuments"),
        ("Total CPU", "number", "totalCpu"),
        ("Total disk (GB)", "number", "totalDiskGb"),
        ("Total memory (GB)", "number", "totalMemoryGb"),
    ]
    .into_iter()
    .map(|(label, kind, name)| {
        json!({
            "label": label,
            "type": kind,
            "path": format!("vitally.custom.{name}"),
            "createdAt": "2026-01-01T00:00:00.000Z",
        })
    })
    .collect()
}

fn answer(state: &Mutex<State>, request: &Request) -> Reply {
    let fault = {
        let mut s = lock(state);
        s.seen += 1;
        let seen = s.seen;
        let by_method = match s
            .seen_by_method
            .iter_mut()
            .find(|(m, _)| *m == request.method)
        {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                s.seen_by_method.push((request.method.clone(), 1));
                1
            }
        };
        s.rules
            .iter()
            .find(|r| {
                let n = match r.method {
                    Some(m) if m == request.method => by_method,
                    Some(_) => return false,
                    None => seen,
                };
                (r.first..=r.last).contains(&n)
            })
            .map(|r| r.fault.clone())
    };
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:"))
    );
    match fault {
        Some(Fault::TooMany(reset)) => {
            return Reply::json(429, &json!({"error": "Too many requests"}))
                .header("RateLimit-Limit", "1000, 1000;window=60")
                .header("RateLimit-Remaining", "0")
                .header("RateLimit-Reset", reset);
        }
        Some(Fault::Status(status)) => {
            return Reply::json(status, &json!({"error": format!("scripted {status}")}));
        }
        Some(Fault::Garbage) => {
            return Reply::html(200, "<!DOCTYPE html><title>Sign in</title>");
        }
        Some(Fault::Hang) => return Reply::hang(),
        Some(Fault::WorkThenHang) | None => {}
    }
    let reply = if request.header("authorization") == Some(expected.as_str()) {
        serve(&mut lock(state), request)
    } else {
        Reply::json(401, &json!({"error": "Unauthorized"}))
    };
    if fault == Some(Fault::WorkThenHang) {
        return Reply::hang();
    }
    reply.header("RateLimit-Remaining", "999")
}

fn serve(s: &mut State, request: &Request) -> Reply {
    let (path, query) = request
        .path
        .split_once('?')
        .unwrap_or((request.path.as_str(), ""));
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let body = request.json();
    let not_found = || Reply::json(404, &json!({"error": "Not found"}));
    match (request.method.as_str(), parts.as_slice()) {
        ("GET", ["resources", "customFields"]) if query == "model=accounts" => {
            Reply::json(200, &Value::Array(s.traits.clone()))
        }
        ("GET", ["resources", "accounts", id]) => match find_account(s, id) {
            Some(i) => Reply::json(200, &s.accounts[i]),
            None => not_found(),
        },
        ("PUT", ["resources", "accounts", id]) => {
            let Some(i) = find_account(s, id) else {
                return not_found();
            };
            let Some(sent) = body.get("traits").and_then(Value::as_object) else {
                return Reply::json(400, &json!({"error": "traits expected"}));
            };
            let traits = s.accounts[i]["traits"]
                .as_object_mut()
                .expect("traits object");
            for (key, value) in sent {
                if value.is_null() {
                    traits.remove(key);
                } else {
                    traits.insert(key.clone(), value.clone());
                }
            }
            Reply::json(200, &s.accounts[i])
        }
        ("GET", ["resources", "accounts", id, "notes"]) => {
            let Some(i) = find_account(s, id) else {
                return not_found();
            };
            let account = s.accounts[i]["id"].clone();
            let mine: Vec<Value> = s
                .notes
                .iter()
                .filter(|n| n["accountId"] == account)
                .cloned()
                .collect();
            let from: usize = query
                .split('&')
                .find_map(|p| p.strip_prefix("from="))
                .and_then(|c| c.strip_prefix("cursor"))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let page: Vec<Value> = mine.iter().skip(from).take(s.page_size).cloned().collect();
            let next =
                (from + s.page_size < mine.len()).then(|| format!("cursor{}", from + s.page_size));
            Reply::json(200, &json!({"results": page, "next": next}))
        }
        ("POST", ["resources", "notes"]) => {
            let account = body["accountId"].as_str().unwrap_or("");
            // Notes take Vitally's account id, not the external id.
            if !s.accounts.iter().any(|a| a["id"] == account) {
                return Reply::json(400, &json!({"error": "Unknown accountId"}));
            }
            if body["note"].as_str().is_none() || body["noteDate"].as_str().is_none() {
                return Reply::json(400, &json!({"error": "note and noteDate are required"}));
            }
            s.next_note += 1;
            let mut note = body.clone();
            note["id"] = json!(format!("note-{:04}", s.next_note));
            s.notes.push(note.clone());
            Reply::json(200, &note)
        }
        ("PUT", ["resources", "notes", id]) => {
            let Some(note) = s.notes.iter_mut().find(|n| n["id"] == *id) else {
                return not_found();
            };
            if let Some(fields) = body.as_object() {
                for (key, value) in fields {
                    note[key] = value.clone();
                }
            }
            Reply::json(200, note)
        }
        _ => Reply::json(404, &json!({"error": "No such endpoint"})),
    }
}

fn find_account(s: &State, id: &str) -> Option<usize> {
    s.accounts
        .iter()
        .position(|a| a["id"] == id || a["externalId"] == id)
}
