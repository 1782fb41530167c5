//! Why a message that looked like a command could not be parsed.

/// Longest argument accepted.
pub const MAX_ARGUMENT: usize = 120;

/// Why a message that looked like a command could not be parsed. Shown to the user.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// No command has that name.
    #[error("there is no command `{name}`")]
    UnknownCommand {
        /// The name typed (shortened for echoing).
        name: String,
        /// The closest command, if one is close.
        suggestion: Option<&'static str>,
    },
    /// A required argument is missing.
    #[error("`{command}` needs {argument}")]
    MissingArgument {
        /// The command.
        command: &'static str,
        /// What is missing, as the table words it (`some words to search for`).
        argument: &'static str,
    },
    /// An argument is longer than [`MAX_ARGUMENT`].
    #[error("the {argument} is too long (at most {MAX_ARGUMENT} characters)")]
    TooLong {
        /// The command.
        command: &'static str,
        /// The argument's name.
        argument: &'static str,
    },
}
