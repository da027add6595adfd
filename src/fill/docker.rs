//! Facts from a Docker host, for Docker Compose and single-machine deployments:
//! `docker info --format '{{json .}}'` (the docker client reads `DOCKER_HOST`,
//! `DOCKER_CONTEXT` and its config from the environment, which is passed through),
//! or the same JSON from a file.
//!
//! - `deployment.total_cpu`: `NCPU`.
//! - `deployment.total_memory_gb`: `MemTotal` (bytes) in GB of 2^30 bytes, one decimal.

use std::ffi::OsString;
use std::time::Duration;

use serde_json::Value;

use super::{Findings, GB, Input, Proposal, Source, command, round1, short};
use crate::handoff::FieldValue;

const STEP: &str = "deployment";

/// What `handoff fill --from docker` was given.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--info FILE|-`: read this instead of running `docker info`.
    pub info: Option<Input>,
    /// How long `docker info` may take before it is stopped.
    pub timeout: Duration,
    /// The PATH docker is looked up in (and runs with); `None` keeps the environment's.
    pub path: Option<OsString>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            info: None,
            timeout: command::DEFAULT_TIMEOUT,
            path: None,
        }
    }
}

/// Reads `docker info` (or the file) and proposes CPU and memory.
pub fn fill(options: &Options) -> Findings {
    let info = match &options.info {
        Some(input) => input.read(),
        None => command::run(
            "docker",
            &["info".into(), "--format".into(), "{{json .}}".into()],
            "docker info",
            options.timeout,
            options.path.as_deref(),
        ),
    };
    findings(info)
}

/// Proposals from `docker info` JSON (or the one-line reason it could not be had).
pub fn findings(info: Result<String, String>) -> Findings {
    let mut findings = Findings::new(Source::Docker);
    let value = match info.and_then(|text| {
        serde_json::from_str::<Value>(&text).map_err(|e| {
            format!("the docker info input is not JSON ({e}); expected docker info --format '{{{{json .}}}}'")
        })
    }) {
        Ok(Value::Object(map)) => Value::Object(map),
        Ok(_) => {
            findings
                .problems
                .push("the docker info input is not a JSON object".into());
            return findings;
        }
        Err(problem) => {
            findings.problems.push(problem);
            return findings;
        }
    };
    // The client prints what it has even when the daemon cannot be reached.
    if let Some(error) = value
        .get("ServerErrors")
        .and_then(Value::as_array)
        .and_then(|errors| errors.iter().find_map(Value::as_str))
    {
        findings.problems.push(format!(
            "the Docker daemon could not be asked: {}",
            short(error)
        ));
        return findings;
    }
    let host = [
        ("ServerVersion", "Docker "),
        ("OperatingSystem", "on "),
        ("Name", "host "),
    ]
    .iter()
    .filter_map(|(key, prefix)| {
        let text = value.get(*key).and_then(Value::as_str)?;
        (!text.trim().is_empty()).then(|| format!("{prefix}{}", short(text)))
    })
    .collect::<Vec<_>>()
    .join(", ");
    if !host.is_empty() {
        findings.info.push(host);
    }
    match value.get("NCPU").and_then(Value::as_u64) {
        Some(cpus) if cpus > 0 => findings.propose(
            Proposal::new(STEP, "total_cpu", FieldValue::Number(cpus as f64))
                .with_detail("NCPU of the Docker host"),
        ),
        _ => findings
            .problems
            .push("docker info has no CPU count (NCPU); total CPU not filled".into()),
    }
    match value.get("MemTotal").and_then(Value::as_u64) {
        Some(bytes) if bytes > 0 => findings.propose(
            Proposal::new(
                STEP,
                "total_memory_gb",
                FieldValue::Number(round1(bytes as f64 / GB)),
            )
            .with_detail("MemTotal of the Docker host, GB = 2^30 bytes"),
        ),
        _ => findings
            .problems
            .push("docker info has no memory size (MemTotal); total memory not filled".into()),
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_from_docker_info() {
        let info = r#"{"ID":"x","NCPU":16,"MemTotal":67324751872,"ServerVersion":"27.3.1",
            "OperatingSystem":"Ubuntu 24.04.1 LTS","Name":"sg-prod-1","ServerErrors":null}"#;
        let found = findings(Ok(info.into()));
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        let value = |f: &str| found.proposal(STEP, f).map(|p| p.value.clone());
        assert_eq!(value("total_cpu"), Some(FieldValue::Number(16.0)));
        // 67324751872 B = 62.7 GiB
        assert_eq!(value("total_memory_gb"), Some(FieldValue::Number(62.7)));
        assert_eq!(
            found.info,
            ["Docker 27.3.1, on Ubuntu 24.04.1 LTS, host sg-prod-1"]
        );
    }

    #[test]
    fn an_unreachable_daemon_is_one_line() {
        let info = r#"{"NCPU":0,"MemTotal":0,"ServerErrors":["Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"]}"#;
        let found = findings(Ok(info.into()));
        assert!(found.proposals.is_empty());
        assert_eq!(
            found.problems,
            [
                "the Docker daemon could not be asked: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
            ]
        );
    }

    #[test]
    fn missing_or_odd_values_fail_their_field_only() {
        let found = findings(Ok(r#"{"NCPU": 8, "MemTotal": "lots"}"#.into()));
        assert_eq!(found.proposals.len(), 1);
        assert_eq!(
            found.problems,
            ["docker info has no memory size (MemTotal); total memory not filled"]
        );
        let found = findings(Ok("[1, 2]".into()));
        assert_eq!(
            found.problems,
            ["the docker info input is not a JSON object"]
        );
        let found = findings(Ok("Client: Docker Engine".into()));
        assert!(found.problems[0].starts_with("the docker info input is not JSON"));
        assert!(found.problems[0].ends_with("expected docker info --format '{{json .}}'"));
        let found = findings(Err("docker is not installed or not on PATH".into()));
        assert_eq!(found.problems, ["docker is not installed or not on PATH"]);
    }
}
