//! The `signpost` binary: `ask` prints what an adapter would send, `check` validates an index.

use std::process::Command;

fn signpost(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SIGNPOST__BOT__PREFIX")
        .output()
        .expect("run signpost");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `ask` prints the plain reply; what is typed at a command line is addressed to the bot, so a
/// plain-words question is answered as a command would be, and chat gets the menu, not silence.
#[test]
fn ask_plain_and_chat() {
    let (ok, out, _) = signpost(&["ask", "!guidance nurse"]);
    assert!(ok && out.contains("nmc.org.uk"), "{out}");
    let (ok, out, _) = signpost(&["ask", "what does the NMC say about social media?"]);
    assert!(ok && out.contains("nmc.org.uk"), "{out}");
    let (ok, out, _) = signpost(&["ask", "just chatting"]);
    assert!(ok && out.contains("help"), "{out:?}");
}

/// `ask --group` previews a group chat: a question not addressed to the bot gets nothing, a
/// command its answer.
#[test]
fn ask_group_previews_a_group_chat() {
    let (ok, out, _) = signpost(&[
        "ask",
        "--group",
        "what does the NMC say about social media?",
    ]);
    assert!(ok && out.trim().is_empty(), "{out:?}");
    let (ok, out, _) = signpost(&["ask", "--group", "!guidance nurse"]);
    assert!(ok && out.contains("nmc.org.uk"), "{out}");
}

/// `ask --json` prints one payload per line in each platform's shape.
#[test]
fn ask_json_payloads() {
    let (_, out, _) = signpost(&["ask", "--platform", "matrix", "--json", "!guidance nurse"]);
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["msgtype"], "m.notice");
    assert_eq!(v["format"], "org.matrix.custom.html");
    assert!(v["formatted_body"]
        .as_str()
        .unwrap()
        .contains("<a href=\"https://www.nmc.org.uk"));
    let (_, out, _) = signpost(&["ask", "--platform", "discord", "--json", "!abuse-help"]);
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["allowed_mentions"]["parse"], serde_json::json!([]));
    assert!(v["embeds"].to_string().contains("discord.com/safety"));
    let (_, out, _) = signpost(&["ask", "--platform", "slack", "--json", "!abuse-help"]);
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["blocks"][0]["type"], "header");
    assert!(v["text"].as_str().unwrap().contains("Slack"));
}

/// `check` passes on the committed data and fails, naming the file, on a broken copy.
#[test]
fn check_good_and_bad() {
    let (ok, out, _) = signpost(&["check", "data"]);
    assert!(ok && out.contains("ok"), "{out}");
    let dir = crate::support::copy_of_data("cli-check");
    std::fs::write(dir.join("platforms.toml"), "[[platform]]\nid = \"x\"\n").unwrap();
    let (ok, _, err) = signpost(&["check", dir.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("platforms.toml"), "{err}");
}

/// The bot refuses to start on an invalid index, naming the problem.
#[test]
fn refuses_invalid_index() {
    let dir = crate::support::copy_of_data("cli-refuse");
    std::fs::remove_file(dir.join("index.toml")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["ask", "!help"])
        .env("SIGNPOST__BOT__DATA_DIR", &dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("index.toml"));
}

/// Output into a closed pipe (`signpost ask … | head -1`) ends quietly and successfully.
#[test]
fn closed_stdout_ends_quietly() {
    for args in [&["ask", "!abuse-help"][..], &["check", "data"][..]] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("run signpost");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(stderr.is_empty(), "{args:?} printed: {stderr}");
    }
}

/// The binary run from an empty directory (no `data/`) answers from the index built into it,
/// and `!about` says so.
#[test]
fn answers_from_anywhere_with_the_built_in_index() {
    let empty = std::env::temp_dir().join(format!("signpost-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).expect("empty dir");
    let run = |message: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
            .args(["ask", message])
            .current_dir(&empty)
            .env_remove("SIGNPOST__BOT__DATA_DIR")
            .output()
            .expect("run signpost");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run("!guidance nurse").contains("https://www.nmc.org.uk"));
    assert!(run("!about").contains(signpost::index::load::EMBEDDED_ORIGIN));
    std::fs::remove_dir_all(&empty).expect("clean up");
}

/// `signpost config` names each setting's source and never prints a secret, from the
/// environment or from a `_FILE`.
#[test]
fn config_redacts_every_secret() {
    let dir = std::env::temp_dir().join(format!("signpost-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let token_file = dir.join("bot_token");
    std::fs::write(&token_file, "xoxb-secret-in-a-file\n").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .arg("config")
        .current_dir(&dir)
        .env("SIGNPOST__SLACK__BOT_TOKEN_FILE", &token_file)
        .env("SIGNPOST__SLACK__SIGNING_SECRET", "signing-secret-in-env")
        .env("SIGNPOST__DISCORD__TOKEN", "discord-token-in-env")
        .output()
        .expect("run signpost config");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    for secret in [
        "xoxb-secret-in-a-file",
        "signing-secret-in-env",
        "discord-token-in-env",
    ] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{secret}: {stdout}"
        );
    }
    let line = stdout
        .lines()
        .find(|l| l.starts_with("discord.token "))
        .expect("discord.token listed");
    assert!(line.contains(signpost::config::describe::REDACTED) && line.contains("environment"));
    std::fs::remove_dir_all(&dir).expect("clean up");
}

/// `run --only` takes adapter names: an unknown one, or one whose settings are missing, is
/// refused before anything starts, with an error naming `--only` and the name.
#[test]
fn run_only_refuses_unknown_or_unconfigured_adapters() {
    let (ok, _, err) = signpost(&["run", "--only", "gateway"]);
    assert!(
        !ok && err.contains("--only") && err.contains("gateway"),
        "{err}"
    );
    let (ok, _, err) = signpost(&["run", "--only", "discord-http"]);
    assert!(!ok && err.contains("not configured"), "{err}");
}

/// Every setting the deploy files name as `SIGNPOST__…` (unit, manifests, compose, examples,
/// README) is one the program knows: a misspelt or invented key fails here, not at a rollout.
#[test]
fn deploy_files_name_only_real_settings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy");
    let mut files = vec![root.clone()];
    let mut names = std::collections::BTreeSet::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (at, _) in text.match_indices("SIGNPOST__") {
            let name: String = text[at..]
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            // A prefix in prose ("SIGNPOST__SECTION__KEY") or a placeholder is no setting.
            if name.matches("__").count() == 2 && !name.ends_with('_') && !name.contains("SECTION")
            {
                names.insert(name);
            }
        }
    }
    assert!(names.len() > 5, "{names:?}");
    let scratch = std::env::temp_dir().join(format!("signpost-deploy-keys-{}", std::process::id()));
    std::fs::write(&scratch, "0").unwrap();
    for name in &names {
        let value = if name.ends_with("_FILE") {
            scratch.to_str().unwrap().to_string()
        } else {
            "0".to_string()
        };
        let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
            .arg("config")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env(name, value)
            .output()
            .expect("run signpost");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("unknown"), "{name}: {stderr}");
    }
    let _ = std::fs::remove_file(&scratch);
}

/// `signpost run` with no platform configured and no terminal on stdin (a container or unit
/// with a forgotten secret) fails loudly, saying why, instead of reading end-of-file and
/// exiting 0.
#[test]
fn run_without_platforms_or_terminal_fails_loudly() {
    let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run signpost");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // EX_CONFIG from sysexits.h: a configuration mistake, not a crash.
    assert_eq!(out.status.code(), Some(78), "{stderr}");
    assert!(stderr.contains("no platform is configured"), "{stderr}");
}

/// The store readers say which store they read, and a SQLite store that does not exist is an
/// error naming its path rather than a new, empty store reported as "nothing asked"; with the
/// store in place `local export` reads it.
#[test]
fn store_readers_name_their_store() {
    let dir = crate::support::temp_dir("cli-store-readers");
    let db = dir.join("nowhere").join("signpost.db");
    let url = format!("sqlite:{}", db.display());
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_signpost"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("SIGNPOST__STORAGE__URL", &url)
            .output()
            .expect("run signpost");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for args in [
        &["report"][..],
        &["local", "export"],
        &["suggestions", "export"],
    ] {
        let (ok, _, err) = run(args);
        assert!(
            !ok && err.contains(&db.display().to_string()),
            "{args:?}: {err}"
        );
        assert!(!db.exists(), "{args:?} made a store");
    }
    let settings = signpost::config::StorageSettings::new(
        signpost::config::StorageBackend::Sqlite(db.clone()),
    );
    // The store opens its file on first use.
    let store = signpost::store::open(&settings).unwrap().unwrap();
    assert!(signpost::store::LocalShelf::everything(&*store)
        .unwrap()
        .is_empty());
    drop(store);
    let (ok, out, err) = run(&["local", "export"]);
    assert!(ok, "{err}");
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert!(out.starts_with('#'), "{out}");
}

/// With the reader of its log gone (`| head`, a closed pipe), `signpost run` keeps serving
/// and stops on SIGTERM with status 0: a failed log write drops the line instead of panicking.
#[test]
fn a_closed_log_pipe_is_no_crash() {
    use std::io::Read as _;
    let listen = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .arg("run")
        .current_dir(crate::support::temp_dir("closed-log-pipe"))
        .env("SIGNPOST__BOT__DATA_DIR", crate::support::data_dir())
        .env("SIGNPOST__HTTP__LISTEN", listen.to_string())
        .env("SIGNPOST__SLACK__BOT_TOKEN", "xoxb-closed-pipe")
        .env("SIGNPOST__SLACK__SIGNING_SECRET", "closed-pipe-secret")
        .env("SIGNPOST__SLACK__API_BASE", "http://127.0.0.1:1/api/")
        .env("SIGNPOST__STORAGE__URL", "off")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start signpost");
    // The reader goes away at once: every log line from here on meets a closed pipe.
    drop(child.stdout.take());
    drop(child.stderr.take());
    let healthy = || {
        std::net::TcpStream::connect(listen).is_ok_and(|mut s| {
            use std::io::Write as _;
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut answer = String::new();
            let _ = s.read_to_string(&mut answer);
            answer.starts_with("HTTP/1.1 200")
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !healthy() {
        assert!(child.try_wait().unwrap().is_none(), "signpost exited early");
        assert!(std::time::Instant::now() < deadline, "never healthy");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status}");
}
