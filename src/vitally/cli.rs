//! `handoff push FILE [--dry-run]` and `handoff push --traits`: the command line
//! around the library. A real push holds the handoff's lock from start to end and
//! saves the file after every write Vitally confirmed.
//!
//! Progress goes to stderr: an indicatif bar redrawn in place when stderr is a
//! terminal, plain lines otherwise (a log or a script reads each request on a
//! line of its own, with no cursor movement). The summary goes to stdout.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use super::client::{Call, Vitally};
use super::mapping::{Mapping, parse_traits};
use super::plan::{self, Plan};
use super::record::VitallyRecord;
use super::settings::Settings;
use super::{Observer, PushError};
use crate::commands;
use crate::handoff::{Handoff, now};
use crate::identity::Who;
use crate::outcome::{Failure, Outcome, print_out};
use crate::store;
use crate::tui::text::printable;

#[derive(clap::Args, Debug)]
pub struct PushArgs {
    /// A handoff file, or the name of one in the data directory
    #[arg(required_unless_present = "traits")]
    pub file: Option<PathBuf>,
    /// Print every request (method, path, JSON body) and send nothing; the key shows as ***
    #[arg(long, conflicts_with = "traits")]
    pub dry_run: bool,
    /// List the account traits Vitally has and which field goes to each
    #[arg(long)]
    pub traits: bool,
}

/// Runs `handoff push`.
pub fn run(args: PushArgs, dir: Option<&Path>, who: &Who) -> Outcome {
    let config = crate::config::load().map_err(|e| Failure::new(1, e))?;
    let config_file = crate::config::path().map_or_else(
        || "the config file".to_string(),
        |p| p.display().to_string(),
    );
    let mapping = Mapping::new(crate::form::form(), &config.vitally.traits, &config_file)
        .map_err(|e| Failure::new(1, e))?;
    let connect = || {
        let settings = Settings::from_env(&config.vitally).map_err(|e| Failure::new(1, e))?;
        Vitally::new(&settings).map_err(|e| Failure::new(1, e))
    };
    let Some(file) = args.file.filter(|_| !args.traits) else {
        return list_traits(&mapping, &connect()?);
    };
    let path = commands::resolve(&file, dir)?;
    if args.dry_run {
        let handoff = commands::load(&path)?.handoff;
        plan::account_given(&handoff).map_err(|e| failure(&path, e))?;
        let vitally = connect()?;
        let mut quiet = Quiet;
        let plan = plan::prepare(&handoff, &mapping, &vitally, &mut quiet, now())
            .map_err(|e| failure(&path, e))?;
        return print_out(&dry_run(&plan, vitally.base_url()));
    }

    let name = who.require().map_err(|e| Failure::new(1, e))?;
    let _lock = store::Lock::acquire(&path, &name)?;
    let handoff = commands::load(&path)?.handoff;
    plan::account_given(&handoff).map_err(|e| failure(&path, e))?;
    let vitally = connect()?;
    let mut progress = Progress::new(&path, handoff);
    let at = now();
    let plan = plan::prepare(
        &progress.handoff.clone(),
        &mapping,
        &vitally,
        &mut progress,
        at,
    )
    .map_err(|e| progress.failed(&path, e))?;
    for notice in &plan.notices {
        progress.say(&format!("note: {}", printable(notice)));
    }
    progress.say(&format!(
        "pushing to {}: {}",
        plan.account.shown(),
        plan.summary()
    ));
    let summary = super::push(plan, &vitally, &name, at, &mut progress)
        .map_err(|e| progress.failed(&path, e))?;
    progress.finish();
    let mut out = format!("{}\n", summary.line());
    for line in &summary.left_alone {
        out.push_str(&format!("{}\n", printable(line)));
    }
    print_out(&out)
}

/// The one line for a failed push; document problems name the file.
fn failure(path: &Path, e: PushError) -> Failure {
    match e {
        PushError::Handoff(message) => Failure::new(1, format!("{}: {message}", path.display())),
        other => Failure::new(1, other.to_string()),
    }
}

/// Hears nothing: a dry run prints its plan at the end.
struct Quiet;

impl Observer for Quiet {
    fn waiting(&mut self, message: &str) {
        eprintln!("handoff: {}", printable(message));
    }

    fn record(&mut self, _: &VitallyRecord) -> Result<(), String> {
        Err("a dry run records nothing".into())
    }
}

/// A real push's progress on stderr, and the handoff saved after every write.
struct Progress {
    path: PathBuf,
    handoff: Handoff,
    bar: Option<ProgressBar>,
    /// Whether any write was recorded (a failure then says the file has it).
    recorded: bool,
}

impl Progress {
    fn new(path: &Path, handoff: Handoff) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            if let Ok(style) = ProgressStyle::with_template("{bar:24} {pos}/{len} {wide_msg}") {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            path: path.to_path_buf(),
            handoff,
            bar,
            recorded: false,
        }
    }

    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn failed(&self, path: &Path, e: PushError) -> Failure {
        if let Some(bar) = &self.bar {
            bar.abandon();
        }
        let mut failure = failure(path, e);
        if self.recorded {
            failure.message.push_str(&format!(
                " (what was sent is recorded in {}; push again to finish)",
                path.display()
            ));
        }
        failure
    }
}

impl Observer for Progress {
    fn request(&mut self, call: &Call, what: &str, step: Option<(usize, usize)>) {
        let what = printable(what);
        match (&self.bar, step) {
            (Some(bar), Some((n, total))) => {
                bar.set_length(total as u64);
                bar.set_position(n as u64 - 1);
                bar.set_message(format!("{} ({what})", call.line()));
            }
            (Some(bar), None) => bar.set_message(format!("{} ({what})", call.line())),
            (None, Some((n, total))) => eprintln!("[{n}/{total}] {} ({what})", call.line()),
            (None, None) => eprintln!("{} ({what})", call.line()),
        }
    }

    fn waiting(&mut self, message: &str) {
        self.say(&format!("  {}", printable(message)));
    }

    fn record(&mut self, record: &VitallyRecord) -> Result<(), String> {
        self.handoff.vitally = record.clone();
        store::save(&self.path, &self.handoff).map_err(|e| e.to_string())?;
        self.recorded = true;
        Ok(())
    }
}

/// Every request of the plan as it would go out, the key shown as `***`.
pub fn dry_run(plan: &Plan, base_url: &str) -> String {
    let mut out = format!(
        "Dry run: nothing is sent. Vitally at {}, account {}.\n",
        printable(base_url),
        plan.account.shown()
    );
    out.push_str("Read to plan the push (reading changes nothing):\n");
    for call in &plan.reads {
        out.push_str(&format!("  {}\n", call.line()));
    }
    for notice in &plan.notices {
        out.push_str(&format!("note: {}\n", printable(notice)));
    }
    for write in &plan.writes {
        out.push_str(&format!(
            "\n{}\nAuthorization: Basic ***\nContent-Type: application/json\n\n",
            write.call.line()
        ));
        let body = write.call.body.clone().unwrap_or_default();
        let json = serde_json::to_string_pretty(&body).unwrap_or_default();
        for line in json.lines() {
            out.push_str(&printable(line));
            out.push('\n');
        }
    }
    out.push('\n');
    for line in &plan.left_alone {
        out.push_str(&format!("{}\n", printable(line)));
    }
    out.push_str(&format!("Would send: {}.\n", plan.summary()));
    out
}

/// `--traits`: the account traits Vitally has, which field goes to each, and
/// what does not fit. Exit 1 when something does not.
fn list_traits(mapping: &Mapping, vitally: &Vitally) -> Outcome {
    let call = Call::get("/resources/customFields?model=accounts");
    let line = call.line();
    let answer = vitally
        .send(&call, true, &mut Quiet)
        .map_err(|e| Failure::new(1, e.to_string()))?;
    let traits = parse_traits(answer).map_err(|e| Failure::new(1, format!("{line}: {e}")))?;
    let mut rows = vec![[
        "LABEL".to_string(),
        "TYPE".to_string(),
        "PATH".to_string(),
        "FIELD".to_string(),
    ]];
    for t in &traits {
        let field = mapping
            .fields
            .iter()
            .find(|f| f.trait_path == t.path)
            .map_or_else(|| "-".to_string(), super::mapping::MappedField::key);
        rows.push([
            printable(t.label()).into_owned(),
            printable(t.kind()).into_owned(),
            printable(&t.path).into_owned(),
            field,
        ]);
    }
    let mut out = format!(
        "Account traits in Vitally ({}):\n{}",
        printable(vitally.base_url()),
        commands::columns(&rows)
    );
    let problems = mapping.problems(&traits);
    if !problems.is_empty() {
        out.push_str("\nWhat a push would refuse:\n");
        for problem in &problems {
            out.push_str(&format!("  {problem}\n"));
        }
    }
    print_out(&out)?;
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
