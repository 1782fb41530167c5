//! The Matrix bot as its own `signpost run` process in client mode, against the test Synapse,
//! with its store on disk: for what an adapter inside the test process cannot show (a SIGKILL,
//! two processes on one store).

use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use signpost::config::MatrixLogin;

use super::matrix_client::BotAccount;
use super::process::{free_port, spawn_watched, wait_for_line, wait_until_ready};

/// A running `signpost run` with only the Matrix adapter, killed when dropped.
pub struct BotProcess {
    child: Child,
    lines: mpsc::Receiver<String>,
    /// Every stderr line read so far.
    pub seen: Vec<String>,
    listen: String,
}

impl BotProcess {
    /// Starts `signpost run` as `account`'s bot (its homeserver, login and store directory),
    /// with its own HTTP port, no cooldowns (a test's burst comes from one person) and an
    /// in-memory store for the bot's own data.
    pub fn start(account: &BotAccount) -> BotProcess {
        let settings = &account.settings;
        let MatrixLogin::Password(password) = &settings.login else {
            panic!("the test bot logs in with a password");
        };
        let listen = format!("127.0.0.1:{}", free_port());
        let mut command = Command::new(env!("CARGO_BIN_EXE_signpost"));
        // Nothing from the test's own environment or working directory configures it.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("SIGNPOST__") {
                command.env_remove(key);
            }
        }
        command
            .arg("run")
            .current_dir(std::env::temp_dir())
            .env("SIGNPOST__BOT__LOG", "info")
            // Plain log lines, to quote in a failure's report.
            .env("NO_COLOR", "1")
            .env("SIGNPOST__HTTP__LISTEN", &listen)
            .env("SIGNPOST__STORAGE__URL", "sqlite::memory:")
            .env("SIGNPOST__COOLDOWN__PERSON_BURST", "0")
            .env("SIGNPOST__COOLDOWN__CHANNEL_BURST", "0")
            .env("SIGNPOST__MATRIX__HOMESERVER", settings.homeserver.as_str())
            .env("SIGNPOST__MATRIX__USER", &settings.user)
            .env("SIGNPOST__MATRIX__PASSWORD", password.expose())
            .env("SIGNPOST__MATRIX__STORE_DIR", &settings.store_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        let (child, lines) = spawn_watched(&mut command);
        BotProcess {
            child,
            lines,
            seen: Vec::new(),
            listen,
        }
    }

    /// Waits until `/readyz` answers 200: the Matrix adapter has caught up and is live.
    pub async fn wait_until_live(&self) {
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        wait_until_ready(&client, &self.listen).await;
    }

    /// Waits for a stderr line containing `wanted` and returns it.
    pub fn wait_for_line(&mut self, wanted: &str) -> String {
        // Blocking: off the async worker, so the test users keep syncing meanwhile.
        tokio::task::block_in_place(|| wait_for_line(&self.lines, &mut self.seen, wanted));
        self.seen
            .iter()
            .find(|l| l.contains(wanted))
            .cloned()
            .expect("the line just waited for")
    }

    /// Kills the process with SIGKILL (no shutdown, nothing flushed) and reaps it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The stderr lines read so far and any waiting, for a report.
    pub fn log(&mut self) -> &[String] {
        self.seen.extend(self.lines.try_iter());
        &self.seen
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
