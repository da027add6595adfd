//! Fill form fields from the systems that know the facts: Kubernetes (`kubectl`),
//! Docker (`docker info`) and the Sourcegraph instance's GraphQL API.
//!
//! Every source is a plain function from its inputs to [`Findings`]: the values it
//! proposes (keyed by the form's `step.field` keys, see `assets/form.toml`), lines of
//! information that help the engineer (the largest repositories, to count
//! monorepos), and one line per part that failed. A failed part proposes nothing;
//! the rest still does. Sources never touch a handoff: the caller shows
//! [`preview`] rows, lets the person choose, and applies the chosen proposals
//! with [`apply()`] (checked against the form and the handoff's state by [`plan`],
//! each recorded as a change with [`Source::history_label`] as its source).
//!
//! - [`kubectl::fill`]: instance types, total CPU, memory and disk.
//! - [`docker::fill`]: total CPU and memory of the Docker host.
//! - [`sourcegraph::fill`]: number of repositories, code hosts, largest repository,
//!   current version.
//!
//! Units: GB means 2^30 bytes and MB 2^20 bytes, as cloud instance tables and
//! Kubernetes' `Gi`/`Mi` do; values are rounded to one decimal.
//!
//! A preview for the command line:
//!
//! ```no_run
//! # use handoff::fill::{self, kubectl};
//! # let handoff: handoff::handoff::Handoff = todo!();
//! let findings = kubectl::fill(&kubectl::Options::default());
//! let rows = fill::preview(&handoff, &findings);
//! print!("{}", fill::render_preview(&rows));
//! for line in &findings.problems {
//!     eprintln!("{line}");
//! }
//! let to_apply = fill::changes(&handoff, &findings); // "same" rows left out
//! # let _ = to_apply;
//! ```

pub mod cli;
pub mod docker;
pub mod kubectl;
pub mod sourcegraph;

mod apply;
pub(crate) mod command;

use std::fmt;
use std::io::Read;
use std::path::PathBuf;
use std::str::FromStr;

use unicode_width::UnicodeWidthStr;

pub use apply::{Plan, apply, plan, plan_for};
pub use command::DEFAULT_TIMEOUT;

use crate::handoff::{FieldValue, Handoff};
use crate::tui::text::printable;
use crate::value::format_number;

/// Where the facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Kubectl,
    Docker,
    Sourcegraph,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Kubectl, Source::Docker, Source::Sourcegraph];

    /// The name on the command line (`--from kubectl`).
    pub fn name(self) -> &'static str {
        match self {
            Source::Kubectl => "kubectl",
            Source::Docker => "docker",
            Source::Sourcegraph => "sourcegraph",
        }
    }

    /// The name in a menu ("Fill from…").
    pub fn title(self) -> &'static str {
        match self {
            Source::Kubectl => "kubectl (Kubernetes cluster)",
            Source::Docker => "docker (Docker host)",
            Source::Sourcegraph => "Sourcegraph instance",
        }
    }

    /// What a change applied from this source records as its source.
    pub fn history_label(self) -> &'static str {
        match self {
            Source::Kubectl => "fill from kubectl",
            Source::Docker => "fill from docker",
            Source::Sourcegraph => "fill from sourcegraph",
        }
    }

    /// What the source reads and fills, with its units, for help texts.
    pub fn help(self) -> &'static str {
        match self {
            Source::Kubectl => {
                "Runs `kubectl get nodes -o json` and `kubectl get pvc -o json` (all namespaces, or \
                 --namespace) with your kubeconfig (--context to pick one), or reads those from \
                 --nodes/--pvcs files (- for standard input). Fills instance types (node label \
                 node.kubernetes.io/instance-type, counted), total CPU (cores), total memory and \
                 total disk (the claims' capacity) in GB, where GB means 2^30 bytes as cloud \
                 instance tables use, one decimal. Needs permission to list nodes and \
                 persistentvolumeclaims."
            }
            Source::Docker => {
                "Runs `docker info` (honouring DOCKER_HOST) or reads its JSON from --info FILE \
                 (- for standard input). Fills total CPU (cores) and total memory in GB (2^30 \
                 bytes, one decimal) of the Docker host, for Docker Compose and single-machine \
                 deployments."
            }
            Source::Sourcegraph => {
                "Asks the instance's GraphQL API (--endpoint URL, else SRC_ENDPOINT, else the \
                 handoff's instance URL) with the access token in SRC_ACCESS_TOKEN, which is never \
                 written anywhere. Fills the number of repositories, the code hosts connected, the \
                 largest repository in MB (2^20 bytes, one decimal) and the current version, and \
                 lists the five largest repositories to help count monorepos. Code hosts need a \
                 site-admin token. --cacert FILE adds a PEM CA certificate to the system's."
            }
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Source {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Source::ALL
            .into_iter()
            .find(|source| source.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown source {s:?}: use kubectl, docker or sourcegraph"))
    }
}

/// One proposed value for one field.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The form's step key, e.g. `deployment`.
    pub step: String,
    /// The form's field key, e.g. `total_cpu`.
    pub field: String,
    pub value: FieldValue,
    /// How the value was found, e.g. "sum of 6 nodes' capacity".
    pub detail: Option<String>,
}

impl Proposal {
    pub fn new(step: &str, field: &str, value: FieldValue) -> Self {
        Proposal {
            step: step.to_string(),
            field: field.to_string(),
            value,
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// `step.field`, as `handoff set` and `get` name fields.
    pub fn key(&self) -> String {
        format!("{}.{}", self.step, self.field)
    }
}

/// What one source found.
#[derive(Debug, Clone, PartialEq)]
pub struct Findings {
    pub source: Source,
    pub proposals: Vec<Proposal>,
    /// Lines that help the person but fill nothing (e.g. the largest repositories).
    pub info: Vec<String>,
    /// One line per part that failed; that part proposes nothing.
    pub problems: Vec<String>,
}

impl Findings {
    pub fn new(source: Source) -> Self {
        Findings {
            source,
            proposals: Vec::new(),
            info: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Whether every part succeeded.
    pub fn is_complete(&self) -> bool {
        self.problems.is_empty()
    }

    /// The proposal for a field, if any.
    pub fn proposal(&self, step: &str, field: &str) -> Option<&Proposal> {
        self.proposals
            .iter()
            .find(|p| p.step == step && p.field == field)
    }

    fn propose(&mut self, proposal: Proposal) {
        self.proposals.push(proposal);
    }

    /// Proposals in the form's step and field order, as a preview reads best.
    fn sort_in_form_order(&mut self) {
        let form = crate::form::form();
        let rank = |p: &Proposal| {
            let step = form.step_index(&p.step).unwrap_or(usize::MAX);
            let field = form
                .step(&p.step)
                .and_then(|s| s.fields.iter().position(|f| f.key == p.field))
                .unwrap_or(usize::MAX);
            (step, field)
        };
        self.proposals.sort_by_key(rank);
    }
}

/// Where a JSON input comes from instead of running the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    /// A command-line argument: `-` is standard input, anything else a file.
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::File(PathBuf::from(arg))
        }
    }

    /// The text, or one line saying why not.
    fn read(&self) -> Result<String, String> {
        match self {
            Input::File(path) => match std::fs::File::open(path) {
                Ok(file) => read_capped(file, &path.display().to_string()),
                Err(e) => Err(format!("cannot read {}: {e}", path.display())),
            },
            Input::Stdin => read_capped(std::io::stdin().lock(), "standard input"),
        }
    }
}

/// Inputs and program output larger than this are not `kubectl`/`docker` JSON.
pub(crate) const MAX_INPUT: u64 = 256 * 1024 * 1024;

fn read_capped(reader: impl Read, name: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(format!("{name} is larger than 256 MB; not reading it"));
    }
    String::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8 text (expected JSON)"))
}

/// How a proposal relates to what the handoff holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The field is empty: the value would be set.
    New,
    /// The field holds this value already: nothing to apply.
    Same,
    /// The field holds a different value, which would be replaced.
    Overwrite,
}

impl Change {
    pub fn label(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Same => "same",
            Change::Overwrite => "overwrites",
        }
    }
}

/// One line of the preview: field · current · proposed.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewRow {
    pub step: String,
    pub field: String,
    /// The field's label from the form (the key when the form does not know it).
    pub label: String,
    /// The current value on one printable line, `None` when the field is empty.
    pub current: Option<String>,
    /// The proposed value on one printable line.
    pub proposed: String,
    pub detail: Option<String>,
    pub change: Change,
}

impl PreviewRow {
    /// Whether applying the proposal would change the handoff.
    pub fn applies(&self) -> bool {
        self.change != Change::Same
    }
}

/// The preview of what the findings would change, in the order proposed.
pub fn preview(handoff: &Handoff, findings: &Findings) -> Vec<PreviewRow> {
    findings
        .proposals
        .iter()
        .map(|proposal| {
            let current = handoff
                .value(&proposal.step, &proposal.field)
                .filter(|v| !crate::validate::is_empty(v));
            let change = match current {
                None => Change::New,
                Some(value) if same_value(value, &proposal.value) => Change::Same,
                Some(_) => Change::Overwrite,
            };
            PreviewRow {
                step: proposal.step.clone(),
                field: proposal.field.clone(),
                label: field_label(&proposal.step, &proposal.field),
                current: current.map(one_line),
                proposed: one_line(&proposal.value),
                detail: proposal
                    .detail
                    .as_deref()
                    .map(|d| printable(d).into_owned()),
                change,
            }
        })
        .collect()
}

/// Asking `source` with its default options, as the wizard's `f` does: what the
/// source needs from the handoff (the instance URL) is taken now, and the work
/// returned can run on another thread.
pub fn ask_later(source: Source, handoff: &Handoff) -> impl FnOnce() -> Findings + Send + 'static {
    let endpoint = sourcegraph::resolve_endpoint(None, handoff).unwrap_or_default();
    move || match source {
        Source::Kubectl => kubectl::fill(&kubectl::Options::default()),
        Source::Docker => docker::fill(&docker::Options::default()),
        Source::Sourcegraph => sourcegraph::fill(&sourcegraph::Options {
            endpoint,
            token: sourcegraph::token_from_env(),
            http: crate::http::Options::default(),
        }),
    }
}

/// The proposals that would change the handoff ("same" ones left out).
pub fn changes<'a>(handoff: &Handoff, findings: &'a Findings) -> Vec<&'a Proposal> {
    findings
        .proposals
        .iter()
        .zip(preview(handoff, findings))
        .filter(|(_, row)| row.applies())
        .map(|(proposal, _)| proposal)
        .collect()
}

/// The preview as a plain-text table, columns aligned by display width:
///
/// ```text
/// Field                Current  Proposed
/// Total CPU (cores)    —        48
/// Total memory (GB)    180      185.3     overwrites
/// ```
pub fn render_preview(rows: &[PreviewRow]) -> String {
    const EMPTY: &str = "—";
    let header = ["Field", "Current", "Proposed"];
    let cells: Vec<[&str; 4]> = rows
        .iter()
        .map(|row| {
            let note = match row.change {
                Change::New => "",
                other => other.label(),
            };
            [
                row.label.as_str(),
                row.current.as_deref().unwrap_or(EMPTY),
                row.proposed.as_str(),
                note,
            ]
        })
        .collect();
    let mut widths = [0usize; 3];
    for (i, title) in header.iter().enumerate() {
        widths[i] = title.width();
    }
    for row in &cells {
        for i in 0..3 {
            widths[i] = widths[i].max(row[i].width());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 4]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            if i < 3 {
                let pad = widths[i].saturating_sub(cell.width()) + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line([header[0], header[1], header[2], ""]);
    for row in cells {
        line(row);
    }
    out
}

fn field_label(step: &str, field: &str) -> String {
    crate::form::form()
        .step(step)
        .and_then(|s| s.field(field))
        .map_or_else(|| format!("{step}.{field}"), |f| f.label.clone())
}

/// A value on one line, safe for a terminal.
fn one_line(value: &FieldValue) -> String {
    printable(&value.display()).into_owned()
}

/// Equal as a person reads them: numbers by value whatever their type, lists as sets
/// (the order of code hosts or instance types carries no meaning), text trimmed.
fn same_value(current: &FieldValue, proposed: &FieldValue) -> bool {
    fn number(v: &FieldValue) -> Option<f64> {
        match v {
            FieldValue::Integer(n) => Some(*n as f64),
            FieldValue::Number(n) => Some(*n),
            FieldValue::Text(t) => t.trim().parse().ok(),
            _ => None,
        }
    }
    fn sorted(items: &[String]) -> Vec<&str> {
        let mut items: Vec<&str> = items.iter().map(|s| s.trim()).collect();
        items.sort_unstable();
        items.dedup();
        items
    }
    match (current, proposed) {
        (FieldValue::List(a), FieldValue::List(b)) => sorted(a) == sorted(b),
        (FieldValue::Text(a), FieldValue::List(b)) | (FieldValue::List(b), FieldValue::Text(a)) => {
            b.len() == 1 && a.trim() == b[0].trim()
        }
        (FieldValue::Text(a), FieldValue::Text(b)) => a.trim() == b.trim(),
        (a, b) => match (number(a), number(b)) {
            (Some(x), Some(y)) => format_number(x) == format_number(y),
            _ => a.to_input() == b.to_input(),
        },
    }
}

/// Bytes in a GB and an MB, as the help texts define them.
pub(crate) const GB: f64 = (1u64 << 30) as f64;
pub(crate) const MB: f64 = (1u64 << 20) as f64;

/// One decimal, as the form shows sizes.
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// "1 node", "3 nodes".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Server or program text cut to one short printable line for a message.
pub(crate) fn short(text: &str) -> String {
    const LIMIT: usize = 160;
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let line = printable(line);
    if line.chars().count() > LIMIT {
        let mut cut: String = line.chars().take(LIMIT).collect();
        cut.push('…');
        cut
    } else {
        line.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    fn findings(proposals: Vec<Proposal>) -> Findings {
        Findings {
            proposals,
            ..Findings::new(Source::Kubectl)
        }
    }

    /// The wizard runs a source on a worker thread and sends the findings back.
    #[test]
    fn findings_and_clients_cross_threads() {
        fn send<T: Send>() {}
        fn share<T: Send + Sync>() {}
        send::<Findings>();
        send::<kubectl::Options>();
        send::<docker::Options>();
        send::<sourcegraph::Options>();
        share::<crate::http::Client>();
    }

    #[test]
    fn sources_parse_and_label() {
        assert_eq!("kubectl".parse::<Source>(), Ok(Source::Kubectl));
        assert_eq!(" Sourcegraph".parse::<Source>(), Ok(Source::Sourcegraph));
        assert!("helm".parse::<Source>().is_err());
        assert_eq!(Source::Docker.history_label(), "fill from docker");
        assert!(Source::Kubectl.help().contains("2^30"));
        assert!(Source::Sourcegraph.help().contains("2^20"));
    }

    #[test]
    fn preview_marks_new_same_and_overwrite() {
        let mut handoff = testdata::new_handoff();
        handoff.set_value("deployment", "total_cpu", Some(FieldValue::Number(48.0)));
        handoff.set_value(
            "deployment",
            "total_memory_gb",
            Some(FieldValue::Number(180.0)),
        );
        handoff.set_value(
            "code_hosts",
            "hosts",
            Some(FieldValue::List(vec![
                "Perforce".into(),
                "GitHub.com".into(),
            ])),
        );
        let found = findings(vec![
            Proposal::new("deployment", "total_cpu", FieldValue::Integer(48)),
            Proposal::new("deployment", "total_memory_gb", FieldValue::Number(185.3)),
            Proposal::new("deployment", "total_disk_gb", FieldValue::Number(500.0)),
            Proposal::new(
                "code_hosts",
                "hosts",
                FieldValue::List(vec!["GitHub.com".into(), "Perforce".into()]),
            ),
        ]);
        let rows = preview(&handoff, &found);
        let changes_seen: Vec<Change> = rows.iter().map(|r| r.change).collect();
        assert_eq!(
            changes_seen,
            [Change::Same, Change::Overwrite, Change::New, Change::Same]
        );
        assert_eq!(rows[0].label, "Total CPU (cores)");
        assert_eq!(rows[1].current.as_deref(), Some("180"));
        assert_eq!(rows[2].current, None);
        let apply: Vec<String> = changes(&handoff, &found).iter().map(|p| p.key()).collect();
        assert_eq!(
            apply,
            ["deployment.total_memory_gb", "deployment.total_disk_gb"]
        );
    }

    #[test]
    fn the_table_aligns_by_display_width_and_strips_control_characters() {
        let mut handoff = testdata::new_handoff();
        handoff.set_value(
            "upgrade",
            "current_version",
            Some(FieldValue::Text("六.4".into())),
        );
        let found = findings(vec![
            Proposal::new(
                "upgrade",
                "current_version",
                FieldValue::Text("6.4.1\u{1b}[2J".into()),
            ),
            Proposal::new("deployment", "total_cpu", FieldValue::Number(7.8)),
        ]);
        let table = render_preview(&preview(&handoff, &found));
        assert!(!table.contains('\u{1b}'), "{table}");
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        // "Proposed" starts at the same display column on every line.
        let column = |line: &str, needle: &str| {
            let at = line.find(needle).expect("should succeed");
            line[..at].width()
        };
        assert_eq!(column(lines[0], "Proposed"), column(lines[1], "6.4.1"));
        assert_eq!(column(lines[0], "Proposed"), column(lines[2], "7.8"));
        assert!(lines[1].ends_with("overwrites"), "{table}");
        assert!(lines[2].contains('—'));
        assert_eq!(
            table,
            "Field                        Current  Proposed\n\
             Current Sourcegraph version  六.4     6.4.1\u{fffd}[2J  overwrites\n\
             Total CPU (cores)            —        7.8\n"
        );
    }

    #[test]
    fn values_compare_as_people_read_them() {
        let t = |s: &str| FieldValue::Text(s.into());
        let l = |items: &[&str]| {
            FieldValue::List(items.iter().map(std::string::ToString::to_string).collect())
        };
        assert!(same_value(
            &FieldValue::Number(16.0),
            &FieldValue::Integer(16)
        ));
        assert!(!same_value(
            &FieldValue::Number(15.5),
            &FieldValue::Number(15.6)
        ));
        assert!(same_value(&l(&["b", "a"]), &l(&["a", "b"])));
        assert!(!same_value(&l(&["a"]), &l(&["a", "b"])));
        assert!(same_value(&t(" 6.4.1 "), &t("6.4.1")));
        assert!(same_value(&t("x"), &l(&["x"])));
    }

    #[test]
    fn inputs_are_read_with_one_line_failures() {
        let dir = tempfile::tempdir().expect("should succeed");
        let missing = Input::from_arg(&dir.path().join("nope.json").display().to_string());
        assert!(
            missing
                .read()
                .expect_err("should fail")
                .starts_with("cannot read ")
        );
        assert_eq!(Input::from_arg("-"), Input::Stdin);
        let latin1 = dir.path().join("latin1.json");
        std::fs::write(&latin1, b"{\"a\": \"\xe9\"}").expect("should succeed");
        assert!(
            Input::File(latin1)
                .read()
                .expect_err("should fail")
                .contains("not UTF-8")
        );
    }

    #[test]
    fn short_is_one_printable_line() {
        assert_eq!(short("\n  error: boom\u{7}\nmore"), "error: boom\u{fffd}");
        assert_eq!(short(&"y".repeat(400)).chars().count(), 161);
    }
}
