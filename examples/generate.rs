//! Writes a complete handoff with N notes, for benchmarks and trying the wizard on
//! a long log: `cargo run --release --example generate -- 10000 /tmp/big.toml`
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(n), Some(path)) = (
        args.next().and_then(|n| n.parse::<usize>().ok()),
        args.next(),
    ) else {
        eprintln!("usage: generate NOTES FILE");
        return ExitCode::from(2);
    };
    let path = PathBuf::from(path);
    match handoff::store::save(&path, &handoff::testdata::with_notes(n)) {
        Ok(()) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::FAILURE
        }
    }
}
