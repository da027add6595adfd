//! The command line: parse it, and hand each command to the code that does it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use handoff::identity::Who;
use handoff::outcome::{Failure, Outcome, print_out};
use handoff::session::{self, Access};
use handoff::tui::text::printable;
use handoff::{commands, plain, script};

#[derive(Parser)]
#[command(
    name = "handoff",
    version,
    about = "Hand a jointly managed Sourcegraph deployment over to the customer's Technical Advisor",
    long_about = "Hand a jointly managed Sourcegraph deployment over to the customer's Technical Advisor.\n\n\
        Each handoff is one readable TOML file, by default in the data directory \
        (see --dir), named after the customer."
)]
struct Cli {
    /// Directory of saved handoffs [default: the platform data directory, e.g. ~/.local/share/handoff]
    #[arg(long, global = true, env = "HANDOFF_DIR", value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Who you are, recorded as author, done-by and changed-by [default: HANDOFF_USER, the config file's name, git config user.name, $USER]
    #[arg(long = "as", global = true, value_name = "NAME")]
    as_name: Option<String>,
    /// Plain line-by-line questions instead of the full-screen wizard, for screen readers and pipes [default: when ACCESSIBLE is set or the terminal cannot draw screens]
    #[arg(long, global = true)]
    plain: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Resume a handoff in the wizard, where you left it
    Open {
        /// A handoff file, or the name of one in the data directory
        file: PathBuf,
    },
    /// Open a handoff read-only (for the TA): nothing can change, the file is never written or locked
    View {
        /// A handoff file, or the name of one in the data directory
        file: PathBuf,
    },
    /// Start a new handoff: in a terminal the wizard opens on it, otherwise its path is printed
    New {
        /// The customer (account) name; the file is named after it
        #[arg(long, value_name = "NAME")]
        customer: String,
        /// The implementation engineer [default: you, see --as]
        #[arg(long, value_name = "NAME")]
        engineer: Option<String>,
        /// The receiving Technical Advisor
        #[arg(long, value_name = "NAME")]
        ta: Option<String>,
        /// Write the handoff here instead of the data directory (wins over --dir)
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// List saved handoffs with customer, status, progress and last update
    List,
    /// Print what blocks completion; exit 0 when nothing does, 1 when something does, 2 when the file cannot be read
    Check {
        /// A handoff file, or the name of one in the data directory
        file: PathBuf,
    },
    /// Write the whole handoff to standard output as markdown or JSON
    Export {
        /// A handoff file, or the name of one in the data directory
        file: PathBuf,
        #[arg(long, value_enum, default_value = "markdown")]
        format: Format,
    },
    /// Reopen a completed handoff for editing (recorded in the file with who and when)
    Reopen {
        /// A handoff file, or the name of one in the data directory
        file: PathBuf,
        /// Who reopens it [default: you, see --as]
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Fill fields from kubectl, docker or the Sourcegraph instance: a preview, then applied with --yes or your "y"
    Fill(handoff::fill::cli::FillArgs),
    /// Send the dashboard fields and the notes to the account in Vitally (see the README's "Send it to Vitally")
    Push(handoff::vitally::cli::PushArgs),
    /// Share the handoff directory through git: commit changed handoffs, pull, merge by meaning, push
    Sync(handoff::sync::cli::SyncArgs),
    /// The git merge driver for handoff files (`handoff sync` sets it up): merges by meaning into OURS
    #[command(name = "merge-driver")]
    MergeDriver(handoff::merge::driver::MergeDriverArgs),
    /// Show this machine's settings, or set one: `handoff config name "Jane Doe"` (an empty value removes it)
    Config {
        /// name, vitally.base_url, vitally.key_command, vitally.traits.STEP.FIELD or sync_on_quit.DIR
        key: Option<String>,
        value: Option<String>,
    },
    /// Set fields and checklist items from a script: all assignments or none, each recorded with its source
    Set(script::SetArgs),
    /// Print one value as typed (a list one entry per line); exit 1 when it is not set
    Get(script::GetArgs),
    /// Add a note to the implementation notes log from a script
    Note(script::NoteArgs),
    /// Print shell completions: `handoff completions bash > ~/.local/share/bash-completion/completions/handoff`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `handoff man > ~/.local/share/man/man1/handoff.1`
    Man,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Markdown,
    Json,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(failure) => {
            // Not eprintln!: a terminal that went away must not turn this into a panic.
            let _ = writeln!(
                std::io::stderr(),
                "handoff: {}",
                printable(&failure.message)
            );
            ExitCode::from(failure.code)
        }
    }
}

fn run(cli: Cli) -> Outcome {
    let dir = cli.dir.as_deref();
    let who = Who::new(cli.as_name);
    let interface = plain::interface(cli.plain);
    let Some(command) = cli.command else {
        return session::pick(&commands::data_dir(dir)?, &who, interface);
    };
    match command {
        Command::Open { file } => session::open(
            &commands::resolve(&file, dir)?,
            Access::Edit,
            "open",
            &who,
            interface,
        ),
        Command::View { file } => session::open(
            &commands::resolve(&file, dir)?,
            Access::View,
            "view",
            &who,
            interface,
        ),
        Command::New {
            customer,
            engineer,
            ta,
            file,
        } => commands::new(&customer, engineer, ta, file, dir, &who, cli.plain),
        Command::List => commands::list(&commands::data_dir(dir)?),
        Command::Check { file } => commands::check(&commands::resolve(&file, dir)?),
        Command::Export { file, format } => {
            commands::export(&commands::resolve(&file, dir)?, format == Format::Json)
        }
        Command::Reopen { file, by } => commands::reopen(&commands::resolve(&file, dir)?, by, &who),
        Command::Fill(args) => handoff::fill::cli::run(args, dir, &who),
        Command::Push(args) => handoff::vitally::cli::run(args, dir, &who),
        Command::Config { key, value } => commands::config(key.as_deref(), value.as_deref()),
        Command::Set(args) => script::set(&args, dir, &who),
        Command::Get(args) => script::get(&args, dir),
        Command::Note(args) => script::note(&args, dir, &who),
        Command::Completions { shell } => completions(shell),
        Command::Man => man(),
        Command::Sync(args) => handoff::sync::cli::run(&args, dir, &who),
        Command::MergeDriver(args) => handoff::merge::driver::run(&args),
    }
}

/// Shell completions, generated from this command line.
fn completions(shell: clap_complete::Shell) -> Outcome {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "handoff", &mut out);
    print_out(&String::from_utf8_lossy(&out))
}

/// The man page, generated from this command line.
fn man() -> Outcome {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Failure::new(1, format!("cannot write the man page ({e})")))?;
    print_out(&String::from_utf8_lossy(&out))
}
