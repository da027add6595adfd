//! Facts from a Kubernetes cluster: `kubectl get nodes -o json` and
//! `kubectl get pvc -o json` (all namespaces with `-A`, or one with `-n NS`), or the
//! same JSON from files.
//!
//! - `deployment.instance_types`: nodes grouped by the label
//!   `node.kubernetes.io/instance-type` (else the older
//!   `beta.kubernetes.io/instance-type`, else "unknown") and counted, most common
//!   first: `m6a.4xlarge ×3`.
//! - `deployment.total_cpu`: the sum of `status.capacity.cpu` (cores).
//! - `deployment.total_memory_gb`: the sum of `status.capacity.memory`, in GB of 2^30
//!   bytes, one decimal.
//! - `deployment.total_disk_gb`: the sum of the claims' `status.capacity.storage`
//!   (bound claims; pending ones have no capacity yet), same GB.
//!
//! Quantities are parsed exactly ([`Quantity`]) following Kubernetes'
//! `resource.Quantity` grammar, so `3800m`, `16302404Ki`, `1.5Gi` and `2e3` add up
//! without floating-point drift; sums are rounded once, at the end.

mod cluster;
mod quantity;

use std::ffi::OsString;
use std::time::Duration;

use super::{Findings, Input, Source, command};

pub use cluster::findings;
pub use quantity::Quantity;

/// What `handoff fill --from kubectl` was given.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--context C`, passed through to kubectl.
    pub context: Option<String>,
    /// `--namespace NS`: only that namespace's claims count towards disk.
    pub namespace: Option<String>,
    /// `--nodes FILE|-`: read this instead of running `kubectl get nodes`.
    pub nodes: Option<Input>,
    /// `--pvcs FILE|-`: read this instead of running `kubectl get pvc`.
    pub pvcs: Option<Input>,
    /// How long each kubectl run may take before it is stopped.
    pub timeout: Duration,
    /// The PATH kubectl is looked up in (and runs with); `None` keeps the
    /// environment's. Tests put fake programs first on it.
    pub path: Option<OsString>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            context: None,
            namespace: None,
            nodes: None,
            pvcs: None,
            timeout: command::DEFAULT_TIMEOUT,
            path: None,
        }
    }
}

/// Reads nodes and claims (running kubectl for whichever has no file) and proposes
/// values. Never fails as a whole: each part that cannot be read is one problem.
pub fn fill(options: &Options) -> Findings {
    if options.nodes == Some(Input::Stdin) && options.pvcs == Some(Input::Stdin) {
        let mut findings = Findings::new(Source::Kubectl);
        findings
            .problems
            .push("--nodes and --pvcs cannot both read standard input".to_string());
        return findings;
    }
    let nodes = match &options.nodes {
        Some(input) => input.read(),
        None => kubectl(
            options,
            &["get", "nodes", "-o", "json"],
            "kubectl get nodes",
        ),
    };
    let pvcs = if let Some(input) = &options.pvcs {
        input.read()
    } else {
        let mut args = vec!["get", "pvc", "-o", "json"];
        match options.namespace.as_deref() {
            Some(ns) => args.extend(["-n", ns]),
            None => args.push("-A"),
        }
        kubectl(options, &args, "kubectl get pvc")
    };
    findings(nodes, pvcs, options.namespace.as_deref())
}

fn kubectl(options: &Options, args: &[&str], shown: &str) -> Result<String, String> {
    let mut args: Vec<String> = args.iter().map(std::string::ToString::to_string).collect();
    if let Some(context) = &options.context {
        args.extend(["--context".to_string(), context.clone()]);
    }
    command::run(
        "kubectl",
        &args,
        shown,
        options.timeout,
        options.path.as_deref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_inputs_from_stdin_is_refused() {
        let found = fill(&Options {
            nodes: Some(Input::Stdin),
            pvcs: Some(Input::Stdin),
            ..Options::default()
        });
        assert_eq!(
            found.problems,
            ["--nodes and --pvcs cannot both read standard input"]
        );
    }
}
