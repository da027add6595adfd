//! What a typed line means: an answer, or one of the commands every question
//! understands (`?`, `:back`, `:skip`, `:step N`, `:quit`, `:clear`, `:edit`).

/// Where the session goes after a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// On to the next question.
    Forward,
    /// The question before this one.
    Back,
    /// The first question of step N (0-based).
    Step(usize),
    /// `:quit`: save and leave.
    Quit,
    /// The input ended: save and leave.
    Ended,
    /// A signal: save and leave.
    Stopped,
}

/// One typed line that stays with the question (a command that leaves it is
/// the `Move` to make instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `?`
    Help,
    /// `:clear`: empty the field.
    Clear,
    /// `:edit`: write the answer in `$VISUAL` / `$EDITOR`.
    Edit,
    /// Something starting with `:` that is no command; the text says why.
    Unknown(String),
    /// `:step` with no step, or one that does not exist.
    BadStep(String),
    /// Anything else: an answer (possibly empty).
    Text(String),
}

/// The commands, as `?` lists them.
pub const COMMANDS: &str = "An empty line keeps the current answer; ? shows help; :clear empties the field; :back goes to the question before; :skip moves on without changing anything; :step N goes to step N (1 to 8); :quit saves and leaves.";

/// How many steps `:step` can go to.
fn steps() -> usize {
    crate::form::form().steps.len()
}

/// What `line` means: a reply to the question, or (`Err`) where to go instead.
pub fn understand(line: &str) -> Result<Reply, Move> {
    let trimmed = line.trim();
    if trimmed == "?" {
        return Ok(Reply::Help);
    }
    let Some(command) = trimmed.strip_prefix(':') else {
        return Ok(Reply::Text(line.to_string()));
    };
    let mut words = command.split_whitespace();
    let name = words.next().unwrap_or_default().to_ascii_lowercase();
    let arg = words.next();
    Ok(match (name.as_str(), arg) {
        ("back", None) => return Err(Move::Back),
        ("skip", None) => return Err(Move::Forward),
        ("quit" | "q", None) => return Err(Move::Quit),
        ("clear", None) => Reply::Clear,
        ("edit", None) => Reply::Edit,
        ("step", Some(n)) => match n.parse::<usize>() {
            Ok(n) if (1..=steps()).contains(&n) => return Err(Move::Step(n - 1)),
            _ => Reply::BadStep(format!(
                "There is no step {n}: the steps are 1 to {}",
                steps()
            )),
        },
        ("step", None) => Reply::BadStep(format!(
            "Say which step: :step N, with N from 1 to {}",
            steps()
        )),
        _ => Reply::Unknown(format!("{trimmed} is not a command here. {COMMANDS}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_answers() {
        assert_eq!(understand(" ? "), Ok(Reply::Help));
        assert_eq!(understand(":back"), Err(Move::Back));
        assert_eq!(understand(":SKIP"), Err(Move::Forward));
        assert_eq!(understand(":step 2"), Err(Move::Step(1)));
        assert_eq!(
            understand(":step 9"),
            Ok(Reply::BadStep(
                "There is no step 9: the steps are 1 to 8".into()
            ))
        );
        assert!(matches!(understand(":step"), Ok(Reply::BadStep(_))));
        assert!(
            matches!(understand(":nope"), Ok(Reply::Unknown(m)) if m.starts_with(":nope is not a command"))
        );
        assert_eq!(understand("56"), Ok(Reply::Text("56".into())));
        assert_eq!(understand(""), Ok(Reply::Text(String::new())));
        assert_eq!(understand("what?"), Ok(Reply::Text("what?".into())));
    }
}
