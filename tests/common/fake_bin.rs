//! Fake `kubectl` and `docker` for tests: shell scripts in a temporary directory
//! placed first on the PATH of whatever runs them, printing the fixtures in
//! `tests/fixtures/fill/` (shaped like the real programs' output) and logging their
//! arguments. Include it with `#[path = "common/fake_bin.rs"] mod fake_bin;`.

// Each test crate uses its own part of it.
#![allow(dead_code)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// A fixture of `tests/fixtures/fill/`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fill")
        .join(name)
}

/// A directory of fake programs, first on the PATH they are run with.
pub struct FakeBin {
    dir: tempfile::TempDir,
}

impl FakeBin {
    pub fn new() -> FakeBin {
        FakeBin {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Writes an executable `name` running `body` (sh), which logs its arguments
    /// to `name.args` beside it, one run per line.
    ///
    /// The program file is written by `cp`, not by this process: a fork on another
    /// test thread could otherwise inherit our open write handle, and executing a
    /// file open for writing fails with "Text file busy".
    pub fn program(&self, name: &str, body: &str) -> &FakeBin {
        let source = self.dir.path().join(format!("{name}.source"));
        let path = self.dir.path().join(name);
        let script = format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$(dirname \"$0\")/{name}.args\"\n{body}\n"
        );
        std::fs::write(&source, script).expect("write script");
        let copied = std::process::Command::new("cp")
            .arg(&source)
            .arg(&path)
            .status()
            .expect("run cp");
        assert!(copied.success(), "cp {}", source.display());
        make_executable(&path);
        self
    }

    /// The directory the programs are in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Fake dir first, then the real PATH (the scripts need `cat`).
    pub fn path(&self) -> OsString {
        let mut paths = vec![self.dir.path().to_path_buf()];
        paths.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(paths).expect("PATH")
    }

    /// Only the fake dir: any program not written here is missing.
    pub fn path_alone(&self) -> OsString {
        self.dir.path().as_os_str().to_owned()
    }

    pub fn runs(&self, name: &str) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join(format!("{name}.args")))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

#[cfg(unix)]
pub fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// A kubectl that prints the fixtures for `get nodes` and `get pvc`.
pub fn fake_kubectl(bin: &FakeBin) {
    let body = format!(
        "case \"$2\" in\n  nodes) cat '{}' ;;\n  pvc) cat '{}' ;;\n  *) echo \"error: unknown command $2\" >&2; exit 1 ;;\nesac",
        fixture("nodes.json").display(),
        fixture("pvcs.json").display()
    );
    bin.program("kubectl", &body);
}
