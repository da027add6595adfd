//! Facts from the Sourcegraph instance itself, through its GraphQL API:
//! `POST {endpoint}/.api/graphql` with `Authorization: token $SRC_ACCESS_TOKEN`.
//!
//! - `code_hosts.repositories`: `repositoryStats { total }` (not
//!   `repositories.totalCount`, which counts only what the token's user may see).
//! - `code_hosts.hosts`: every page of `externalServices`, each connection's `kind`
//!   mapped to the form's choices ([`code_host_choice`]); needs a site-admin token.
//! - `code_hosts.largest_repo_mb`: the biggest `diskSizeBytes` of
//!   `repositories(first: 5, orderBy: SIZE, descending: true)`, in MB of 2^20 bytes,
//!   one decimal. The five are listed in [`Findings::info`] to help count monorepos,
//!   which no API knows.
//! - `upgrade.current_version`: `site { productVersion }`.
//!
//! Each part is its own query, so one that fails (a non-admin token for code hosts,
//! an instance too old to order by size) is one problem line while the others still
//! propose: GraphQL reports such failures as `errors[]` with HTTP 200, and a
//! validation error (an unknown enum value on an older release) would otherwise sink
//! every field of a combined query. A failure of the exchange itself (401, a redirect
//! to a login page, HTML instead of JSON, an oversized answer, no connection) stops
//! there with one line, since every later query would fail the same way.
//!
//! The token is read from the environment by the caller ([`token_from_env`]) and
//! kept as a [`Secret`]: it is sent only in the header, never in an argument, a
//! message or a file. Text from the server passes through `printable` before it is
//! put in a proposal, an info line or a problem.

use serde_json::{Value, json};

use super::{Findings, MB, Proposal, Source, count, round1, short};
use crate::handoff::{FieldValue, Handoff};
use crate::http::{self, Auth, Client, Request, Secret};
use crate::tui::text::printable;

/// The variable the token is read from.
pub const TOKEN_VARIABLE: &str = "SRC_ACCESS_TOKEN";
/// The variable the endpoint is read from when `--endpoint` is not given.
pub const ENDPOINT_VARIABLE: &str = "SRC_ENDPOINT";
/// Code host connections asked for per page.
const PAGE_SIZE: u64 = 50;
/// More pages than this is not a real instance (10,000 connections): stop.
const MAX_PAGES: usize = 200;
/// The "Other" text for package host kinds (npm, Go modules, JVM, Python, Rust, Ruby).
pub const PACKAGE_HOSTS: &str = "package hosts";

const VERSION_QUERY: &str = "query HandoffVersion { site { productVersion } }";
const COUNT_QUERY: &str = "query HandoffRepositoryCount { repositoryStats { total } }";
const CODE_HOSTS_QUERY: &str = "query HandoffCodeHosts($first: Int!, $after: String) { \
     externalServices(first: $first, after: $after) { \
     totalCount pageInfo { hasNextPage endCursor } nodes { kind displayName url } } }";
const LARGEST_QUERY: &str = "query HandoffLargestRepositories { \
     repositories(first: 5, orderBy: SIZE, descending: true) { nodes { name diskSizeBytes } } }";

/// What `handoff fill --from sourcegraph` was given.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The instance, e.g. `https://sourcegraph.example.com` (see [`resolve_endpoint`]).
    pub endpoint: String,
    /// From `SRC_ACCESS_TOKEN` ([`token_from_env`]); `None` is reported as a problem.
    pub token: Option<Secret>,
    /// TLS (`--cacert`), timeouts and the body cap.
    pub http: http::Options,
}

/// The token from `SRC_ACCESS_TOKEN`, if set.
pub fn token_from_env() -> Option<Secret> {
    Secret::from_env(TOKEN_VARIABLE)
}

/// The endpoint: `--endpoint`, else `SRC_ENDPOINT`, else the handoff's instance URL.
pub fn resolve_endpoint(flag: Option<&str>, handoff: &Handoff) -> Option<String> {
    let non_empty = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_string())
    };
    flag.and_then(non_empty)
        .or_else(|| {
            std::env::var(ENDPOINT_VARIABLE)
                .ok()
                .as_deref()
                .and_then(non_empty)
        })
        .or_else(|| match handoff.value("deployment", "instance_url") {
            Some(FieldValue::Text(url)) => non_empty(url),
            _ => None,
        })
}

/// `{endpoint}/.api/graphql`, whether or not the endpoint already ends in it;
/// a bare host name gets `https://`.
pub fn graphql_url(endpoint: &str) -> String {
    let mut base = endpoint.trim().to_string();
    if !base.contains("://") {
        base = format!("https://{base}");
    }
    let base = base.trim_end_matches('/');
    let base = base.strip_suffix("/.api/graphql").unwrap_or(base);
    format!("{}/.api/graphql", base.trim_end_matches('/'))
}

/// Asks the instance and proposes values.
pub fn fill(options: &Options) -> Findings {
    let mut findings = Findings::new(Source::Sourcegraph);
    if options.endpoint.trim().is_empty() {
        findings.problems.push(format!(
            "no Sourcegraph URL: pass --endpoint URL, set {ENDPOINT_VARIABLE} or fill the \
             instance URL"
        ));
        return findings;
    }
    let Some(token) = &options.token else {
        findings.problems.push(format!(
            "{TOKEN_VARIABLE} is not set: create an access token on the instance (a site admin's, \
             for code hosts) and export it"
        ));
        return findings;
    };
    match Client::new(options.http.clone()) {
        Ok(client) => ask_all(&client, &options.endpoint, token, &mut findings),
        Err(e) => findings.problems.push(e.to_string()),
    }
    findings
}

/// The same with a client the caller keeps (the wizard reuses one).
pub fn fill_with(client: &Client, endpoint: &str, token: &Secret) -> Findings {
    let mut findings = Findings::new(Source::Sourcegraph);
    ask_all(client, endpoint, token, &mut findings);
    findings
}

fn ask_all(client: &Client, endpoint: &str, token: &Secret, findings: &mut Findings) {
    let api = Api {
        client,
        url: graphql_url(endpoint),
        token,
    };
    // Each part returns Err only for a failure of the exchange, which ends the run.
    let parts: [Part; 4] = [version, repository_count, code_hosts, largest_repositories];
    for part in parts {
        if let Err(line) = part(&api, findings) {
            findings.problems.push(line);
            break;
        }
    }
    findings.sort_in_form_order();
}

/// One part of the facts; `Err` only for a failure of the exchange.
type Part = fn(&Api, &mut Findings) -> Result<(), String>;

struct Api<'a> {
    client: &'a Client,
    url: String,
    token: &'a Secret,
}

/// A GraphQL answer that arrived: its data, or the messages of its `errors[]`.
enum Answer {
    Data(Value),
    Errors(Vec<String>),
}

impl Api<'_> {
    fn ask(&self, query: &str, variables: Value) -> Result<Answer, String> {
        let request = Request::post(&self.url)
            .auth(Auth::Token(self.token.clone()))
            .json(&json!({ "query": query, "variables": variables }));
        let response = self.client.send(&request).map_err(exchange_failure)?;
        match response.status {
            401 => {
                return Err(format!(
                    "{TOKEN_VARIABLE} was refused (401); check that it is a valid token for {}",
                    response.host()
                ));
            }
            403 => {
                return Err(format!(
                    "{TOKEN_VARIABLE} was refused (403); the token may lack the user:all scope"
                ));
            }
            200..=299 => {}
            status => {
                let said = response
                    .json::<Value>()
                    .ok()
                    .map(|v| error_messages(&v))
                    .and_then(|messages| messages.into_iter().next())
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default();
                return Err(format!("{} answered HTTP {status}{said}", response.host()));
            }
        }
        let body: Value = response.json().map_err(exchange_failure)?;
        let errors = error_messages(&body);
        if !errors.is_empty() {
            return Ok(Answer::Errors(errors));
        }
        match body.get("data") {
            Some(data) if !data.is_null() => Ok(Answer::Data(data.clone())),
            _ => Ok(Answer::Errors(vec!["the answer has no data".into()])),
        }
    }
}

/// One line for a failed exchange, with the fix when there is an obvious one.
fn exchange_failure(error: http::Error) -> String {
    match error {
        http::Error::Tls { .. } => {
            format!("{error}; if the instance uses a private CA, pass --cacert FILE")
        }
        other => other.to_string(),
    }
}

fn error_messages(body: &Value) -> Vec<String> {
    body.get("errors")
        .and_then(Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .map(|e| match e.get("message").and_then(Value::as_str) {
                    Some(message) => short(message),
                    None => short(&e.to_string()),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The line for a part whose query came back with errors.
fn part_failed(part: &str, errors: &[String]) -> String {
    let admin = errors.iter().any(|e| {
        let e = e.to_ascii_lowercase();
        e.contains("site admin") || e.contains("site-admin")
    });
    if admin {
        return format!("a site-admin token is needed for {part}");
    }
    let first = errors.first().map_or("unknown error", String::as_str);
    let more = match errors.len() {
        0 | 1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    format!("{part} not filled: {first}{more}")
}

fn version(api: &Api, findings: &mut Findings) -> Result<(), String> {
    match api.ask(VERSION_QUERY, json!({}))? {
        Answer::Errors(errors) => findings
            .problems
            .push(part_failed("the current version", &errors)),
        Answer::Data(data) => match data.pointer("/site/productVersion").and_then(Value::as_str) {
            Some(v) if !v.trim().is_empty() => findings.propose(
                Proposal::new(
                    "upgrade",
                    "current_version",
                    FieldValue::Text(printable(v.trim()).into_owned()),
                )
                .with_detail("site.productVersion"),
            ),
            _ => findings
                .problems
                .push("the instance did not say its version; current version not filled".into()),
        },
    }
    Ok(())
}

fn repository_count(api: &Api, findings: &mut Findings) -> Result<(), String> {
    match api.ask(COUNT_QUERY, json!({}))? {
        Answer::Errors(errors) => findings
            .problems
            .push(part_failed("the number of repositories", &errors)),
        Answer::Data(data) => match data.pointer("/repositoryStats/total").and_then(big_int) {
            Some(total) => match i64::try_from(total) {
                Ok(total) => findings.propose(
                    Proposal::new("code_hosts", "repositories", FieldValue::Integer(total))
                        .with_detail("repositoryStats.total"),
                ),
                Err(_) => findings
                    .problems
                    .push("the repository count is out of range; not filled".into()),
            },
            None => findings.problems.push(
                "the instance did not give repositoryStats.total; number of repositories not filled"
                    .into(),
            ),
        },
    }
    Ok(())
}

fn code_hosts(api: &Api, findings: &mut Findings) -> Result<(), String> {
    let mut connections: Vec<(String, String)> = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        pages += 1;
        if pages > MAX_PAGES {
            findings.problems.push(format!(
                "code hosts not filled: stopped after {MAX_PAGES} pages of connections"
            ));
            return Ok(());
        }
        let variables = json!({ "first": PAGE_SIZE, "after": after });
        let data = match api.ask(CODE_HOSTS_QUERY, variables)? {
            Answer::Data(data) => data,
            Answer::Errors(errors) => {
                findings.problems.push(part_failed("code hosts", &errors));
                return Ok(());
            }
        };
        let Some(page) = data.get("externalServices").filter(|p| p.is_object()) else {
            findings
                .problems
                .push("code hosts not filled: the answer has no externalServices".into());
            return Ok(());
        };
        for node in page
            .get("nodes")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let text = |key: &str| {
                node.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            connections.push((text("kind"), text("url")));
        }
        let has_next = page
            .pointer("/pageInfo/hasNextPage")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !has_next {
            break;
        }
        let cursor = page
            .pointer("/pageInfo/endCursor")
            .and_then(Value::as_str)
            .map(str::to_string);
        if cursor.is_none() || cursor == after {
            findings.problems.push(
                "code hosts not filled: the instance said there are more pages but gave no new cursor"
                    .into(),
            );
            return Ok(());
        }
        after = cursor;
    }
    if connections.is_empty() {
        findings
            .info
            .push("the instance has no code host connections yet".into());
        return Ok(());
    }
    let choices = &crate::form::form()
        .step("code_hosts")
        .and_then(|s| s.field("hosts"))
        .map(|f| f.choices.clone())
        .unwrap_or_default();
    let mut counted: Vec<(String, usize)> = Vec::new();
    for (kind, url) in &connections {
        let choice = code_host_choice(kind, url);
        match counted.iter_mut().find(|(c, _)| *c == choice) {
            Some((_, n)) => *n += 1,
            None => counted.push((choice, 1)),
        }
    }
    // The form's order for listed choices, then "Other" texts alphabetically.
    let rank = |c: &str| choices.iter().position(|x| x == c).unwrap_or(choices.len());
    counted.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then(a.0.cmp(&b.0)));
    let detail = format!(
        "{}: {}",
        count(connections.len(), "connection", "connections"),
        counted
            .iter()
            .map(|(c, n)| format!("{c} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let hosts = counted.into_iter().map(|(c, _)| c).collect();
    findings
        .propose(Proposal::new("code_hosts", "hosts", FieldValue::List(hosts)).with_detail(detail));
    Ok(())
}

fn largest_repositories(api: &Api, findings: &mut Findings) -> Result<(), String> {
    let data = match api.ask(LARGEST_QUERY, json!({}))? {
        Answer::Data(data) => data,
        Answer::Errors(errors) => {
            let too_old = errors.iter().any(|e| {
                [
                    "SIZE",
                    "orderBy",
                    "RepositoryOrderBy",
                    "diskSizeBytes",
                    "descending",
                ]
                .iter()
                .any(|w| e.contains(w))
            });
            findings.problems.push(if too_old {
                "this Sourcegraph version cannot order repositories by size; largest repository \
                 not filled (fill it by hand)"
                    .to_string()
            } else {
                part_failed("the largest repository", &errors)
            });
            return Ok(());
        }
    };
    let nodes = data
        .pointer("/repositories/nodes")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if nodes.is_empty() {
        findings
            .info
            .push("the instance has no repositories yet".into());
        return Ok(());
    }
    let repositories: Vec<(String, Option<u128>)> = nodes
        .iter()
        .map(|node| {
            let name = node
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("(unnamed)");
            (short(name), node.get("diskSizeBytes").and_then(big_int))
        })
        .collect();
    findings
        .info
        .push("Largest repositories (to help count monorepos):".into());
    for (i, (name, size)) in repositories.iter().enumerate() {
        let size = match size {
            Some(bytes) => format!("{} MB", megabytes(*bytes)),
            None => "size not known yet".into(),
        };
        findings.info.push(format!("  {}. {name} — {size}", i + 1));
    }
    match repositories
        .iter()
        .filter_map(|(name, size)| size.map(|s| (name, s)))
        .max_by_key(|(_, size)| *size)
    {
        Some((name, bytes)) => findings.propose(
            Proposal::new(
                "code_hosts",
                "largest_repo_mb",
                FieldValue::Number(round1(bytes as f64 / MB)),
            )
            .with_detail(format!("{name}, MB = 2^20 bytes")),
        ),
        None => findings.problems.push(
            "the instance does not know its repositories' sizes yet (not cloned?); largest \
             repository not filled"
                .into(),
        ),
    }
    Ok(())
}

fn megabytes(bytes: u128) -> String {
    crate::value::format_number(round1(bytes as f64 / MB))
}

/// A GraphQL `BigInt`: Sourcegraph sends a decimal string; a number is accepted too.
fn big_int(value: &Value) -> Option<u128> {
    match value {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_u64().map(u128::from).or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0 && f.fract() == 0.0)
                .map(|f| f as u128)
        }),
        _ => None,
    }
}

/// The form's choice for a code host connection: its kind, and for GitHub and GitLab
/// whether its URL is the public service. Kinds the form does not list become their
/// "Other" text: package hosts, or the kind's own name.
pub fn code_host_choice(kind: &str, url: &str) -> String {
    let host = url_host(url);
    let is = |names: &[&str]| host.as_deref().is_some_and(|h| names.contains(&h));
    let choice = match kind.trim().to_ascii_uppercase().as_str() {
        "GITHUB" if is(&["github.com", "www.github.com", "api.github.com"]) => "GitHub.com",
        "GITHUB" => "GitHub Enterprise",
        "GITLAB" if is(&["gitlab.com", "www.gitlab.com"]) => "GitLab.com",
        "GITLAB" => "GitLab self-managed",
        "BITBUCKETCLOUD" => "Bitbucket Cloud",
        "BITBUCKETSERVER" => "Bitbucket Server / Data Center",
        "GERRIT" => "Gerrit",
        "AZUREDEVOPS" => "Azure DevOps",
        "AWSCODECOMMIT" => "AWS CodeCommit",
        "PERFORCE" => "Perforce",
        "GITOLITE" => "Gitolite",
        "PHABRICATOR" => "Phabricator",
        "NPMPACKAGES" | "GOMODULES" | "JVMPACKAGES" | "PYTHONPACKAGES" | "RUSTPACKAGES"
        | "RUBYPACKAGES" => PACKAGE_HOSTS,
        "OTHER" | "LOCALGIT" => "Other Git host",
        "" => "unknown code host",
        _ => return short(kind),
    };
    choice.to_string()
}

/// The lower-case host of a URL (no user info, no port), if it has one.
fn url_host(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| format!("{h}]"))?
    } else {
        host.split(':').next()?.to_string()
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_the_forms_choices() {
        let cases = [
            ("GITHUB", "https://github.com/", "GitHub.com"),
            ("GITHUB", "https://api.github.com", "GitHub.com"),
            ("GITHUB", "https://GitHub.com", "GitHub.com"),
            ("GITHUB", "https://ghe.acme.corp/", "GitHub Enterprise"),
            (
                "GITHUB",
                "https://github.com.evil.example/",
                "GitHub Enterprise",
            ),
            ("GITHUB", "https://acme.ghe.com", "GitHub Enterprise"),
            ("GITLAB", "https://gitlab.com", "GitLab.com"),
            (
                "GITLAB",
                "https://gitlab.acme.corp:8443",
                "GitLab self-managed",
            ),
            ("BITBUCKETCLOUD", "https://bitbucket.org", "Bitbucket Cloud"),
            (
                "BITBUCKETSERVER",
                "https://bb.acme.corp",
                "Bitbucket Server / Data Center",
            ),
            ("GERRIT", "https://gerrit.acme.corp", "Gerrit"),
            ("AZUREDEVOPS", "https://dev.azure.com/acme", "Azure DevOps"),
            ("AWSCODECOMMIT", "", "AWS CodeCommit"),
            ("PERFORCE", "perforce.acme.corp:1666", "Perforce"),
            ("GITOLITE", "ssh://git@gitolite.acme.corp", "Gitolite"),
            ("PHABRICATOR", "https://phab.acme.corp", "Phabricator"),
            ("NPMPACKAGES", "https://registry.npmjs.org", "package hosts"),
            ("GOMODULES", "", "package hosts"),
            ("JVMPACKAGES", "", "package hosts"),
            ("PYTHONPACKAGES", "", "package hosts"),
            ("RUSTPACKAGES", "", "package hosts"),
            ("RUBYPACKAGES", "", "package hosts"),
            ("OTHER", "https://git.acme.corp", "Other Git host"),
            ("LOCALGIT", "file:///repos", "Other Git host"),
            ("PAGURE", "https://pagure.io", "PAGURE"),
            ("NEW\u{1b}KIND", "", "NEW\u{fffd}KIND"),
        ];
        for (kind, url, expected) in cases {
            assert_eq!(code_host_choice(kind, url), expected, "{kind} {url}");
        }
    }

    #[test]
    fn every_listed_choice_the_mapping_gives_is_in_the_form() {
        let field = crate::form::form()
            .step("code_hosts")
            .and_then(|s| s.field("hosts"))
            .expect("should succeed");
        assert!(field.other, "package hosts and unknown kinds need Other");
        for kind in [
            "GITHUB",
            "GITLAB",
            "BITBUCKETCLOUD",
            "BITBUCKETSERVER",
            "GERRIT",
            "AZUREDEVOPS",
            "AWSCODECOMMIT",
            "PERFORCE",
            "GITOLITE",
            "PHABRICATOR",
            "OTHER",
            "LOCALGIT",
        ] {
            for url in ["https://github.com", "https://gitlab.com", "https://x.corp"] {
                let choice = code_host_choice(kind, url);
                assert!(field.choices.contains(&choice), "{kind}: {choice}");
            }
        }
    }

    #[test]
    fn big_ints_come_as_strings_or_numbers() {
        assert_eq!(
            big_int(&json!("123456789012345678901234")),
            Some(123456789012345678901234)
        );
        assert_eq!(big_int(&json!(1024)), Some(1024));
        assert_eq!(big_int(&json!(1.5e3)), Some(1500));
        assert_eq!(big_int(&json!(-1)), None);
        assert_eq!(big_int(&json!("12 MB")), None);
        assert_eq!(big_int(&json!(null)), None);
    }

    #[test]
    fn endpoints_become_the_graphql_url() {
        for (endpoint, url) in [
            (
                "https://sg.example.com",
                "https://sg.example.com/.api/graphql",
            ),
            (
                "https://sg.example.com/",
                "https://sg.example.com/.api/graphql",
            ),
            (
                "https://sg.example.com/.api/graphql",
                "https://sg.example.com/.api/graphql",
            ),
            ("sg.example.com", "https://sg.example.com/.api/graphql"),
            (
                " http://127.0.0.1:3080 ",
                "http://127.0.0.1:3080/.api/graphql",
            ),
        ] {
            assert_eq!(graphql_url(endpoint), url);
        }
    }

    #[test]
    fn the_endpoint_falls_back_to_the_instance_url() {
        let mut handoff = crate::testdata::new_handoff();
        handoff.set_value(
            "deployment",
            "instance_url",
            Some(FieldValue::Text("https://sg.acme.corp".into())),
        );
        assert_eq!(
            resolve_endpoint(Some(" https://flag.example "), &handoff).as_deref(),
            Some("https://flag.example")
        );
        // SRC_ENDPOINT is not touched here (tests share the process environment);
        // without a flag the result is the variable's value or the instance URL.
        let resolved = resolve_endpoint(None, &handoff);
        match std::env::var(ENDPOINT_VARIABLE) {
            Ok(v) if !v.trim().is_empty() => assert_eq!(resolved.as_deref(), Some(v.trim())),
            _ => assert_eq!(resolved.as_deref(), Some("https://sg.acme.corp")),
        }
    }

    #[test]
    fn part_failures_name_what_is_needed() {
        assert_eq!(
            part_failed("code hosts", &["must be site admin".into()]),
            "a site-admin token is needed for code hosts"
        );
        assert_eq!(
            part_failed("the current version", &["boom".into(), "bang".into()]),
            "the current version not filled: boom (and 1 more)"
        );
    }

    #[test]
    fn a_missing_endpoint_is_one_line() {
        let found = fill(&Options {
            token: Some(Secret::new("t")),
            ..Options::default()
        });
        assert_eq!(
            found.problems,
            ["no Sourcegraph URL: pass --endpoint URL, set SRC_ENDPOINT or fill the instance URL"]
        );
    }

    #[test]
    fn a_missing_token_is_one_line() {
        let found = fill(&Options {
            endpoint: "https://sg.example.com".into(),
            ..Options::default()
        });
        assert_eq!(found.problems.len(), 1);
        assert!(found.problems[0].starts_with("SRC_ACCESS_TOKEN is not set"));
    }
}
