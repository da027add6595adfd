//! `handoff fill FILE --from kubectl|docker|sourcegraph`: ask the system, show what
//! would change (field · current · proposed), then change the file only with `--yes`
//! or a "y" on a terminal. Exit 0: applied, or nothing to do; 1: refused, or a part
//! of the source failed (nothing is then applied); 2: the file cannot be read, or
//! an option that belongs to another source.
//!
//! The handoff is locked only while the values are applied, not while the source
//! runs or the person decides: the file is read again under the lock, and if what
//! the preview showed no longer holds, nothing is applied.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};

use super::{Findings, Input, PreviewRow, Source, docker, kubectl, sourcegraph};
use crate::commands;
use crate::handoff::{Handoff, now};
use crate::http;
use crate::identity::Who;
use crate::outcome::{Failure, Outcome, print_out};
use crate::store::{self, Lock};
use crate::tui::text::printable;

/// What `handoff fill` is given.
#[derive(clap::Args, Debug)]
#[command(after_long_help = "\
Exit status: 0 applied, or nothing to change; 1 refused (no --yes without a terminal, \
answered no, a completed handoff, a locked file) or a part of the source failed, in which \
case nothing is applied; 2 the file cannot be read, or an option of another source.")]
pub struct FillArgs {
    /// A handoff file, or the name of one in the data directory
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where the facts come from
    #[arg(
        long,
        value_name = "SOURCE",
        value_parser = PossibleValuesParser::new(["kubectl", "docker", "sourcegraph"])
            .try_map(|s| s.parse::<Source>()),
        long_help = sources_help(),
    )]
    pub from: Source,
    /// The kubeconfig context to use
    #[arg(long, value_name = "CONTEXT", help_heading = "kubectl")]
    pub context: Option<String>,
    /// Count only this namespace's claims towards disk [default: all namespaces]
    #[arg(long, value_name = "NS", help_heading = "kubectl")]
    pub namespace: Option<String>,
    /// Read `kubectl get nodes -o json` output from FILE (- for standard input)
    #[arg(long, value_name = "FILE", help_heading = "kubectl")]
    pub nodes: Option<PathBuf>,
    /// Read `kubectl get pvc -o json` output from FILE (- for standard input)
    #[arg(long, value_name = "FILE", help_heading = "kubectl")]
    pub pvcs: Option<PathBuf>,
    /// Read `docker info --format '{{json .}}'` output from FILE (- for standard input)
    #[arg(long, value_name = "FILE", help_heading = "docker")]
    pub info: Option<PathBuf>,
    /// The instance's URL [default: SRC_ENDPOINT, else the handoff's instance URL]
    #[arg(long, value_name = "URL", help_heading = "sourcegraph")]
    pub endpoint: Option<String>,
    /// A PEM CA certificate to trust besides the system's
    #[arg(long, value_name = "FILE", help_heading = "sourcegraph")]
    pub cacert: Option<PathBuf>,
    /// Apply without asking
    #[arg(long, conflicts_with = "dry_run")]
    pub yes: bool,
    /// Only show what would change
    #[arg(long)]
    pub dry_run: bool,
}

fn sources_help() -> String {
    let mut text = String::from("Where the facts come from:");
    for source in Source::ALL {
        text.push_str(&format!("\n\n{}: {}", source.name(), source.help()));
    }
    text
}

impl FillArgs {
    /// An option meant for another source is a mistake worth one line, not silence.
    fn check_options(&self) -> Result<(), Failure> {
        let given = [
            ("--context", self.context.is_some(), Source::Kubectl),
            ("--namespace", self.namespace.is_some(), Source::Kubectl),
            ("--nodes", self.nodes.is_some(), Source::Kubectl),
            ("--pvcs", self.pvcs.is_some(), Source::Kubectl),
            ("--info", self.info.is_some(), Source::Docker),
            ("--endpoint", self.endpoint.is_some(), Source::Sourcegraph),
            ("--cacert", self.cacert.is_some(), Source::Sourcegraph),
        ];
        match given
            .iter()
            .find(|(_, present, owner)| *present && *owner != self.from)
        {
            Some((flag, _, owner)) => Err(Failure::new(
                2,
                format!("{flag} is for --from {owner}, not --from {}", self.from),
            )),
            None => Ok(()),
        }
    }

    /// Runs the source with the options given.
    fn find(&self, handoff: &Handoff) -> Findings {
        let input = |path: &Option<PathBuf>| {
            path.as_ref().map(|p| {
                if p.as_os_str() == "-" {
                    Input::Stdin
                } else {
                    Input::File(p.clone())
                }
            })
        };
        match self.from {
            Source::Kubectl => kubectl::fill(&kubectl::Options {
                context: self.context.clone(),
                namespace: self.namespace.clone(),
                nodes: input(&self.nodes),
                pvcs: input(&self.pvcs),
                ..kubectl::Options::default()
            }),
            Source::Docker => docker::fill(&docker::Options {
                info: input(&self.info),
                ..docker::Options::default()
            }),
            Source::Sourcegraph => sourcegraph::fill(&sourcegraph::Options {
                endpoint: sourcegraph::resolve_endpoint(self.endpoint.as_deref(), handoff)
                    .unwrap_or_default(),
                token: sourcegraph::token_from_env(),
                http: http::Options {
                    cacert: self.cacert.clone(),
                    ..http::Options::default()
                },
            }),
        }
    }
}

/// `handoff fill`.
pub fn run(args: FillArgs, dir: Option<&Path>, who: &Who) -> Outcome {
    args.check_options()?;
    let path = commands::resolve(&args.file, dir)?;
    let file = path.display().to_string();
    let handoff = commands::load(&path)?.handoff;
    // Known before the source runs, so nobody waits on a cluster to learn it.
    let by = if args.dry_run {
        None
    } else {
        Some(who.require().map_err(|e| Failure::new(1, e))?)
    };
    let findings = args.find(&handoff);
    let rows = super::preview(&handoff, &findings);
    show(&findings, &rows)?;
    for problem in &findings.problems {
        eprintln!("handoff: {}", printable(problem));
    }
    if !findings.problems.is_empty() {
        if findings.proposals.is_empty() {
            return Ok(ExitCode::from(1));
        }
        return Err(Failure::new(
            1,
            format!("{file}: nothing applied, since part of the fill failed (above)"),
        ));
    }

    let plan = super::plan(&handoff, &findings);
    if !plan.invalid.is_empty() {
        return Err(Failure::new(
            1,
            format!(
                "{file}: nothing applied: the form refuses what {} found: {}",
                args.from,
                plan.invalid_line()
            ),
        ));
    }
    if !plan.closed.is_empty() {
        let closed = format!(
            "this handoff is complete and only the code hosts can change \
             (`handoff reopen {file}` opens the rest): {}",
            plan.closed_labels()
        );
        if plan.apply.is_empty() {
            return Err(Failure::new(
                1,
                format!("{file}: nothing applied: {closed}"),
            ));
        }
        print_out(&format!("Not applied, since {closed}\n"))?;
    }
    let count = plan.apply.len();
    if count == 0 {
        return print_out(&format!(
            "Nothing to change: {file} holds these values already\n"
        ));
    }
    let changes = count_changes(count);
    let Some(by) = by else {
        return print_out(&format!(
            "Dry run: {changes} not applied to {file}; --yes applies them\n"
        ));
    };
    if !args.yes {
        match ask(&format!("Apply {changes} to {file}? [y/N] ")) {
            Answer::Yes => {}
            Answer::No => return Err(Failure::new(1, format!("{file}: nothing applied"))),
            Answer::NoTerminal => {
                return Err(Failure::new(
                    1,
                    format!(
                        "{file}: nothing applied: no terminal to ask on; --yes applies \
                         these {changes}"
                    ),
                ));
            }
        }
    }

    let _lock = Lock::acquire(&path, &by)?;
    let mut current = commands::load(&path)?.handoff;
    if current.status != handoff.status || super::preview(&current, &findings) != rows {
        return Err(Failure::new(
            1,
            format!("{file}: changed while the fill ran; nothing applied, run it again"),
        ));
    }
    let plan = super::plan(&current, &findings);
    let applied = super::apply(&mut current, &plan.apply, args.from, &by, now())
        .map_err(|why| Failure::new(1, format!("{file}: nothing applied: {why}")))?;
    store::save(&path, &current)?;
    print_out(&format!(
        "Applied {} to {file}, recorded as \"{}\" by {}\n",
        count_changes(applied),
        args.from.history_label(),
        printable(&by)
    ))
}

fn count_changes(n: usize) -> String {
    super::count(n, "change", "changes")
}

/// The preview table, how each value was found, and the source's other lines.
fn show(findings: &Findings, rows: &[PreviewRow]) -> Outcome {
    let mut out = String::new();
    if !rows.is_empty() {
        out.push_str(&super::render_preview(rows));
        let found: Vec<String> = rows
            .iter()
            .filter_map(|row| {
                let detail = row.detail.as_deref()?;
                Some(format!("  {}: {detail}\n", row.label))
            })
            .collect();
        if !found.is_empty() {
            out.push_str("\nHow each was found:\n");
            out.extend(found);
        }
    }
    if !findings.info.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        for line in &findings.info {
            out.push_str(&printable(line));
            out.push('\n');
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    print_out(&out)
}

enum Answer {
    Yes,
    No,
    NoTerminal,
}

/// Asks on the terminal (the question on stderr, so stdout can be kept); only
/// "y" or "yes" is yes, and end of input is no.
fn ask(question: &str) -> Answer {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Answer::NoTerminal;
    }
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(question.as_bytes());
    let _ = stderr.flush();
    drop(stderr);
    let mut line = String::new();
    match std::io::stdin().lock().take(1024).read_line(&mut line) {
        // End of input (Ctrl-D): the answer's line was never ended.
        Ok(0) => {
            eprintln!();
            return Answer::No;
        }
        Ok(_) => {}
        Err(_) => return Answer::No,
    }
    match line.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Answer::Yes,
        _ => Answer::No,
    }
}
