//! The platform-neutral core: [`Signpost::handle`] takes an [`Incoming`] message and answers
//! with an optional [`Reply`]. No platform types, and no IO of its own: adapters own the event
//! loops, and storage comes in as the parts the core uses.
//!
//! Which calls block, and where: `handle` runs on the adapter's task. Answering a suggestion
//! command (through [`SuggestionBox`]) and checking a shared cooldown (through [`Buckets`], only
//! when replicas share the store) wait for the store, at most its timeout, on the store's own
//! threads while the runtime moves other tasks off this one ([`crate::blocking`]). Counting a
//! question ([`QuestionCounts::tally`]) queues and never waits. Everything else is in memory.
//!
//! The index sits behind a lock as an `Arc`, so a reload swaps it atomically while in-flight
//! messages finish on the index they started with; a failed reload leaves the old one serving.

use std::sync::{Arc, Mutex, PoisonError, RwLock};

use crate::action::{is_index_id, Action, ChoiceError, ALL_NATIONS};
use crate::command::local::shelf::LocalShelf;
use crate::command::suggestion_box::SuggestionBox;
use crate::command::{self, guidance, CommandSpec, Context};
use crate::cooldown::shared::Buckets;
use crate::cooldown::{self, Cooldowns, Limiter, Verdict};
use crate::index::{Index, IndexError, IndexErrors, Source};
/// The message types, defined in [`crate::message`]; re-exported where they were first defined.
pub use crate::message::{Incoming, Sender};
use crate::metrics::Metrics;
use crate::misses::QuestionCounts;
use crate::records::Tally;
use crate::reply::{Reply, Tone};
use crate::text::Clean;
use crate::understand::{self, Counted};

/// The bot's core: the current index and the command prefix.
#[derive(Debug)]
pub struct Signpost {
    index: RwLock<Arc<Index>>,
    prefix: String,
    metrics: Arc<Metrics>,
    cooldowns: Option<Limiter>,
    suggestions: Option<Arc<dyn SuggestionBox>>,
    questions: Option<Arc<dyn QuestionCounts>>,
    buckets: Option<Arc<dyn Buckets>>,
    local: Option<Arc<dyn LocalShelf>>,
    site: Option<url::Url>,
    reload_refused: Mutex<Option<String>>,
}

impl Signpost {
    /// A core serving `index` with command prefix `prefix` (e.g. `!`).
    pub fn new(index: Index, prefix: impl Into<String>) -> Signpost {
        let metrics = Arc::new(Metrics::default());
        metrics.index_resources.set(index.resources.len() as i64);
        Signpost {
            index: RwLock::new(Arc::new(index)),
            // Folded once here, as messages are, so a full-width prefix still matches.
            prefix: crate::text::clean(&prefix.into()),
            metrics,
            cooldowns: None,
            suggestions: None,
            questions: None,
            buckets: None,
            local: None,
            site: None,
            reload_refused: Mutex::new(None),
        }
    }

    /// The same core, linking short answers to their pages on the site published at `site`
    /// (`http.site_url`).
    pub fn with_site(mut self, site: url::Url) -> Signpost {
        self.site = Some(site);
        self
    }

    /// The same core, keeping suggestions in `suggestions`. Without it, suggestion commands say
    /// they are switched off. The runtime wires the store in ([`crate::store::wire`]).
    pub fn with_suggestions(mut self, suggestions: Arc<dyn SuggestionBox>) -> Signpost {
        self.suggestions = Some(suggestions);
        self
    }

    /// The same core, keeping each community's own resources (`!local`) in `local`. Without it,
    /// `!local` says it is switched off and answers show none.
    pub fn with_local(mut self, local: Arc<dyn LocalShelf>) -> Signpost {
        self.local = Some(local);
        self
    }

    /// The same core, counting questions without a confident answer and the answers given in
    /// `questions` ([`crate::misses`]).
    pub fn with_question_counts(mut self, questions: Arc<dyn QuestionCounts>) -> Signpost {
        self.questions = Some(questions);
        self
    }

    /// The same core, keeping cooldown buckets in `buckets`, which other processes share
    /// ([`Limiter::share`]), instead of in this process's memory.
    pub fn with_shared_buckets(mut self, buckets: Arc<dyn Buckets>) -> Signpost {
        self.cooldowns = self.cooldowns.map(|limiter| limiter.share(&buckets));
        self.buckets = Some(buckets);
        self
    }

    /// Where questions are counted, when they are.
    pub fn question_counts(&self) -> Option<&Arc<dyn QuestionCounts>> {
        self.questions.as_ref()
    }

    /// The same core, holding each person and channel to `limits` (see [`crate::cooldown`]).
    /// Without this, nothing is limited.
    pub fn with_cooldowns(mut self, limits: cooldown::Limits) -> Signpost {
        let local = Limiter::Local(Cooldowns::new(limits));
        self.cooldowns = Some(match &self.buckets {
            Some(buckets) => local.share(buckets),
            None => local,
        });
        self
    }

    /// The metrics the core and the adapters keep.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// The command prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The index now being served.
    pub fn index(&self) -> Arc<Index> {
        // A poisoned lock still holds a valid Arc (it is only ever replaced whole).
        match self.index.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Serves a new index from now on.
    pub fn replace_index(&self, index: Index) {
        let mut guard = match self.index.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        self.metrics
            .index_resources
            .set(index.resources.len() as i64);
        *guard = Arc::new(index);
    }

    /// Loads the index from `source` and serves it if valid; on error the previous index keeps
    /// serving. Returns the new index's warnings.
    pub fn reload(&self, source: &Source) -> Result<Vec<IndexError>, IndexErrors> {
        let loaded = source.load().inspect_err(|errors| {
            self.metrics.reload_failures.inc();
            *self
                .reload_refused
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(errors.to_string());
        })?;
        // Cleared before the new index is served, so whoever sees the new index never sees
        // the old refusal beside it.
        *self
            .reload_refused
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
        self.replace_index(loaded.index);
        Ok(loaded.warnings)
    }

    /// Why the last reload was refused, while no later one has succeeded: the index served is
    /// then older than the one on disk (`/readyz` says so).
    pub fn reload_refused(&self) -> Option<String> {
        self.reload_refused
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The command `message` runs, if it is a command (not a question or chat): its table row,
    /// for adapters whose delivery depends on it, or that must look something up first (Matrix
    /// asks for power levels only for rows marked [`CommandSpec::moderators`]).
    pub fn command(&self, message: &Incoming) -> Option<&'static CommandSpec> {
        match command::parse(&message.text, &self.prefix, message.addressed) {
            Ok(Some(cmd)) => Some(cmd.spec),
            _ => None,
        }
    }

    /// Answers one message, or `None` when it is not for the bot (or its sender was already
    /// told to wait).
    pub fn handle(&self, message: &Incoming) -> Option<Reply> {
        if message.from_bot {
            return None;
        }
        // Folded once here; the parser, understanding and counting all read this.
        let text = Clean::new(&message.text);
        let mut parsed = command::parse::parse_clean(&text, &self.prefix, message.addressed);
        // A command name mistyped so that it can only mean one command runs that command.
        let mut corrected = None;
        if let Err(command::ParseError::UnknownCommand { .. }) = parsed {
            if let Some((cmd, typed)) = command::parse::parse_corrected(&text, &self.prefix) {
                corrected = Some((typed, cmd.spec.name));
                parsed = Ok(Some(cmd));
            }
        }
        // Addressed messages are always answered (a question's menu at worst); others only when
        // they are a command, or a mistyped one. Chat costs nobody's cooldown.
        if !message.addressed && matches!(parsed, Ok(None)) {
            return None;
        }
        let platform = message.origin.platform_id().unwrap_or("console");
        // Checked before anything runs, so a refused `!suggest` or `!accept` changes nothing.
        let verdict = match (&self.cooldowns, &message.sender) {
            (Some(cooldowns), Some(sender)) => {
                cooldowns.check(platform, &sender.person, &sender.channel)
            }
            _ => Verdict::Go,
        };
        let (scope, wait, warn) = match verdict {
            Verdict::Go => {
                let (name, outcome, mut reply, counted) = self.answer(message, &text, parsed)?;
                if let Some((typed, meant)) = corrected {
                    let prefix = message.command_prefix.unwrap_or(&self.prefix);
                    reply.intro.insert(
                        0,
                        crate::line![
                            format!("I read “{typed}” as "),
                            crate::reply::code(format!("{prefix}{meant}")),
                            "."
                        ],
                    );
                }
                self.count(name, platform, outcome);
                self.tally(counted, &text);
                return Some(reply);
            }
            Verdict::Warn { scope, wait } => (scope, wait, true),
            Verdict::Quiet { scope, wait } => (scope, wait, message.interaction),
        };
        let name = match &parsed {
            Ok(Some(cmd)) => cmd.spec.name,
            Ok(None) => QUESTION,
            Err(_) => PARSE_ERROR.0,
        };
        self.refused(name, platform);
        warn.then(|| cooldown::please_wait(scope, wait))
    }

    /// The answer to a message, with the command's name and outcome for counting, and how it
    /// counts for the questions report.
    fn answer(
        &self,
        message: &Incoming,
        text: &Clean,
        parsed: Result<Option<command::Command>, command::ParseError>,
    ) -> Option<(&'static str, &'static str, Reply, Counted)> {
        let ctx = Context {
            prefix: message.command_prefix.unwrap_or(&self.prefix),
            origin: message.origin,
            suggestions: self.suggestions.as_deref(),
            sender: message.sender.as_ref(),
            moderator: message.moderator,
            commands: command::COMMANDS,
            today: crate::calendar::CivilDate::today(),
            site: self.site.as_ref(),
            community: message.community.as_deref(),
            local: self.local.as_deref(),
        };
        if message.addressed {
            let index = self.index();
            let question = understand::answer_addressed(&index, &ctx, text, &self.prefix, &parsed);
            if let Some(q) = question {
                return Some((q.name, outcome(&q.reply), q.reply, q.counted));
            }
        }
        match parsed {
            Ok(None) => None,
            Ok(Some(cmd)) => {
                let index = self.index();
                let reply = command::run(&index, &ctx, &cmd);
                let counted = match reply.tone {
                    _ if cmd.spec.uses_store() => Counted::Nothing,
                    _ if reply.missed => Counted::Miss,
                    Tone::Answer => Counted::Answer(understand::canonical(&index, &cmd)),
                    Tone::Problem => Counted::Miss,
                };
                Some((cmd.spec.name, outcome(&reply), reply, counted))
            }
            Err(error) => Some((
                PARSE_ERROR.0,
                PARSE_ERROR.1,
                command::parse_problem(&ctx, &error),
                Counted::Nothing,
            )),
        }
    }

    /// Counts an answer or a miss in the store, scrubbed ([`crate::misses::normalise`]); never
    /// waits for the store.
    fn tally(&self, counted: Counted, text: &Clean) {
        let Some(questions) = &self.questions else {
            return;
        };
        let tally = match counted {
            Counted::Nothing => return,
            Counted::Miss => crate::misses::normalise(text)
                .map(|words| Tally::Miss(understand::respelled(&self.index(), &words))),
            Counted::Answer(typed) => {
                crate::misses::normalise(&Clean::new(&typed)).map(Tally::Answer)
            }
        };
        if let Some(tally) = tally {
            questions.tally(tally);
        }
    }
}

/// How a plain-words question held back by a cooldown is counted (it was never read).
const QUESTION: &str = "question";

/// How a message that could not be parsed is counted: no command, and this outcome.
const PARSE_ERROR: (&str, &str) = ("?", "parse-error");

/// How an answer is counted.
fn outcome(reply: &Reply) -> &'static str {
    match reply.tone {
        Tone::Answer => "answered",
        Tone::Problem => "problem",
    }
}

impl Signpost {
    /// Counts and logs the command name and outcome, never what the person wrote.
    fn count(&self, name: &'static str, platform: &'static str, outcome: &'static str) {
        self.metrics.count_command(name, platform, outcome);
        // One line per command only at debug: a busy bot answers thousands a second, and the
        // counts are in the metrics.
        tracing::debug!(command = name, platform, outcome, "command");
    }

    /// Counts a message held back by a cooldown.
    fn refused(&self, name: &'static str, platform: &'static str) {
        self.metrics.cooldown_refusals.inc();
        self.count(name, platform, COOLDOWN);
    }
}

/// The outcome counted for a message held back by a cooldown.
pub const COOLDOWN: &str = "cooldown";

impl Signpost {
    /// Answers a pick from a menu: `action` and `value` as they came back, `base` the presser's
    /// message as the adapter would hand it to [`Signpost::handle`] (its text is ignored). A
    /// value that is no index id is refused; one the index no longer has is answered politely;
    /// otherwise the answer is the command's own, through [`Signpost::handle`] (so cooldowns and
    /// counting apply), or the next menu. `None` only where `handle` gives nothing (a bot).
    pub fn pick(&self, base: &Incoming, action: &Action, value: &str) -> Option<Reply> {
        let prefix = base.command_prefix.unwrap_or(self.prefix());
        let ctx = Context::new(prefix, base.origin);
        if let Action::More(words) = action {
            // The parser checks the words again: a command that takes no `all` reads the word
            // as its argument or refuses it, and never runs anything it would not run typed.
            let mut message = base.clone();
            message.text = format!("{} {}", words.replace(':', " "), command::more::ALL.name);
            message.addressed = true;
            return self.handle(&message);
        }
        if !is_index_id(value) {
            return Some(guidance::refused(&ChoiceError::Forged, &ctx));
        }
        let index = self.index();
        let text = match action {
            Action::PickProfession => {
                let Some(p) = guidance::by_id(&index, value) else {
                    return Some(guidance::gone(&ctx));
                };
                if p.regulated_by_nation() {
                    return (!base.from_bot).then(|| guidance::nation_menu(&ctx, p));
                }
                format!("{} {}", command::table::GUIDANCE, p.id)
            }
            Action::PickNation(id) => {
                let Some(p) = guidance::by_id(&index, id) else {
                    return Some(guidance::gone(&ctx));
                };
                match guidance::NATIONS.iter().find(|(_, n)| *n == value) {
                    Some((nation, _)) => {
                        format!("{} {} {}", command::table::GUIDANCE, p.id, nation.name())
                    }
                    None if value == ALL_NATIONS => {
                        format!("{} {}", command::table::GUIDANCE, p.id)
                    }
                    None => return Some(guidance::refused(&ChoiceError::Forged, &ctx)),
                }
            }
            // Buttons are the adapters' business (they copy or delete a message).
            Action::OnlyMe | Action::PostToChannel | Action::Remove | Action::More(_) => {
                return Some(guidance::refused(&ChoiceError::Forged, &ctx));
            }
        };
        let mut message = base.clone();
        message.text = text;
        message.addressed = true;
        self.handle(&message)
    }
}
