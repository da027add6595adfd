//! Pull and push: fetch the branch's remote, merge what came in (git hands the
//! handoff files to `handoff merge-driver`), say by meaning what changed, and
//! push. A handoff open in the wizard is never changed under it: if the team
//! changed one, nothing is merged until the wizard is closed.

use super::commit::{self, LeftOut, committed_version, is_handoff_name};
use super::git::{Git, GitError, NETWORK, first_line};
use super::{Me, Report, summary};
use crate::store;

/// The branch and where it is shared.
struct Upstream {
    remote: String,
    /// The branch's name on the remote.
    remote_branch: String,
    /// Whether git already knows the pair (`branch.NAME.merge`).
    configured: bool,
}

impl Upstream {
    /// `refs/remotes/origin/main`.
    fn tracking_ref(&self) -> String {
        format!("refs/remotes/{}/{}", self.remote, self.remote_branch)
    }

    /// `origin/main`.
    fn shown(&self) -> String {
        format!("{}/{}", self.remote, self.remote_branch)
    }
}

fn git_err(e: GitError) -> String {
    e.to_string()
}

/// The current branch and its remote, or the one line that says what to set up.
fn upstream(git: &Git) -> Result<Upstream, String> {
    let branch = git
        .run(&["symbolic-ref", "--short", "-q", "HEAD"])
        .map_err(|_| {
            "no branch is checked out (detached HEAD): check out yours with `git switch main`, then sync again".to_string()
        })?
        .trim()
        .to_string();
    let config = |key: String| -> Option<String> {
        git.run(&["config", "--get", &key])
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let configured_remote = config(format!("branch.{branch}.remote")).filter(|r| r != ".");
    let remote_branch = config(format!("branch.{branch}.merge"))
        .map(|m| m.trim_start_matches("refs/heads/").to_string());
    let remote = match configured_remote {
        Some(remote) => remote,
        None => {
            let remotes = git.run(&["remote"]).map_err(git_err)?;
            let remotes: Vec<&str> = remotes
                .lines()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .collect();
            match remotes.as_slice() {
                [] => {
                    return Err(format!(
                        "there is no remote to share with: add one with `git -C {} remote add origin URL`, then handoff sync again",
                        git.dir().display()
                    ));
                }
                [only] => (*only).to_string(),
                several if several.contains(&"origin") => "origin".to_string(),
                several => {
                    return Err(format!(
                        "several remotes ({}) and none chosen for {branch}: `git push -u REMOTE {branch}` once, then handoff sync again",
                        several.join(", ")
                    ));
                }
            }
        }
    };
    Ok(Upstream {
        configured: remote_branch.is_some(),
        remote_branch: remote_branch.unwrap_or(branch),
        remote,
    })
}

/// Fetches, merges, pushes; fills in what came in and what was pushed.
pub(super) fn exchange(
    git: &Git,
    me: &mut Me<'_>,
    report: &mut Report,
    left_out: &[LeftOut],
) -> Result<(), String> {
    let up = upstream(git)?;
    report.upstream = Some(up.shown());
    git.run_within(&["fetch", "--quiet", &up.remote], NETWORK)
        .map_err(|e| {
            format!(
                "could not fetch from {} ({e}); sync again when it can be reached",
                up.remote
            )
        })?;
    let commit_of = |name: &str| {
        git.run(&["rev-parse", "-q", "--verify", &format!("{name}^{{commit}}")])
            .ok()
            .map(|s| s.trim().to_string())
    };
    let theirs = commit_of(&up.tracking_ref());
    let head = commit_of("HEAD");
    if let Some(theirs) = &theirs {
        let behind = match &head {
            Some(head) => count(git, &format!("{head}..{theirs}"))?,
            None => count(git, theirs)?,
        };
        if behind > 0 {
            merge(git, me, report, left_out, &up, theirs, head.as_deref())?;
        }
    }
    let ahead = match (&theirs, &head) {
        (_, None) => 0,
        (Some(theirs), Some(_)) => count(git, &format!("{theirs}..HEAD"))?,
        (None, Some(_)) => count(git, "HEAD")?,
    };
    if ahead == 0 {
        return Ok(());
    }
    push(git, &up)?;
    report.pushed = ahead;
    Ok(())
}

/// `git rev-list --count RANGE`.
fn count(git: &Git, range: &str) -> Result<usize, String> {
    let out = git.run(&["rev-list", "--count", range]).map_err(git_err)?;
    Ok(out.trim().parse().unwrap_or(0))
}

/// Merges the fetched branch, unless it changes a handoff someone has open or
/// one this machine could not commit; then says what came in.
fn merge(
    git: &Git,
    me: &mut Me<'_>,
    report: &mut Report,
    left_out: &[LeftOut],
    up: &Upstream,
    theirs: &str,
    head: Option<&str>,
) -> Result<(), String> {
    // What they changed since the common version; everything they have when
    // there is none (two clones that each started sharing).
    let base = match head {
        Some(head) => git.run(&["merge-base", head, theirs]).ok(),
        None => None,
    };
    let incoming = match base {
        Some(base) => git.run(&[
            "diff",
            "--name-only",
            "-z",
            "--relative",
            base.trim(),
            theirs,
            "--",
            commit::HANDOFF_FILES,
        ]),
        // Run in a folder, ls-tree lists that folder (it knows no glob).
        None => git.run(&["ls-tree", "--name-only", "-z", theirs]),
    }
    .map_err(git_err)?;
    let incoming: Vec<String> = incoming
        .split('\0')
        .filter(|n| is_handoff_name(n))
        .map(str::to_string)
        .collect();
    for name in &incoming {
        let customer = name.trim_end_matches(".toml");
        if let Some(holder) = store::open_by(&git.dir().join(name)) {
            return Err(format!(
                "changes to {customer} came in, but it is open in the wizard by {}: sync again once it is closed",
                holder.user
            ));
        }
        if let Some(out) = left_out.iter().find(|l| &l.file == name) {
            return Err(format!(
                "changes to {customer} came in, but the copy here {}: fix it, then sync again",
                out.why
            ));
        }
    }
    let merging = me.git().map_err(|e| e.to_string())?;
    // The very commit counted and checked above, whatever else is named like it.
    let message = format!("Merge remote-tracking branch '{}'", up.shown());
    let out = merging
        .output(
            &[
                "merge",
                "--no-edit",
                "--allow-unrelated-histories",
                "-m",
                &message,
                theirs,
            ],
            super::git::LOCAL,
        )
        .map_err(git_err)?;
    if !out.success {
        return Err(stopped_merge(git, &out.stdout, &out.stderr));
    }
    for name in &incoming {
        let before = head.and_then(|h| committed_version(git, h, name));
        let after = committed_version(git, "HEAD", name);
        if let Some(line) = summary::line(name, before.as_ref(), after.as_ref()) {
            report.came_in.push(line);
        }
    }
    Ok(())
}

/// Why a merge stopped, and what to do: the merge driver's own line when it
/// gave up on a file.
fn stopped_merge(git: &Git, stdout: &str, stderr: &str) -> String {
    let unsettled = git
        .run(&["diff", "--name-only", "--diff-filter=U", "--relative"])
        .unwrap_or_default();
    let unsettled: Vec<&str> = unsettled.lines().collect();
    if unsettled.is_empty() {
        // git refused to start (local changes in the way): nothing was merged.
        return format!(
            "could not merge ({})",
            first_line(&format!("{stderr}\n{stdout}"))
        );
    }
    let why = stderr
        .lines()
        .find_map(|l| l.strip_prefix("handoff: "))
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    format!(
        "the merge stopped at {}{why}: settle it with git (`git status`), commit, then handoff sync again",
        unsettled.join(", ")
    )
}

/// Pushes the branch; a refusal is one line saying what the remote said.
fn push(git: &Git, up: &Upstream) -> Result<(), String> {
    let target = format!("HEAD:refs/heads/{}", up.remote_branch);
    let mut args = vec!["push", "--porcelain"];
    if !up.configured {
        args.push("--set-upstream");
    }
    args.extend([up.remote.as_str(), target.as_str()]);
    let out = git.output(&args, NETWORK).map_err(git_err)?;
    if out.success {
        return Ok(());
    }
    // `--porcelain` marks each refused ref with `!`: "!\tHEAD:refs/heads/main\t[rejected] (fetch first)".
    let refused = out
        .stdout
        .lines()
        .find(|l| l.starts_with('!'))
        .and_then(|l| l.rsplit('\t').next())
        .map(str::to_string);
    Err(match refused {
        Some(why) => format!(
            "{} did not take the push ({why}); handoff sync again",
            up.remote
        ),
        None => format!(
            "could not push to {} (`git {}`: {}); sync again when it can be reached",
            up.remote,
            args.join(" "),
            first_line(&out.stderr)
        ),
    })
}
