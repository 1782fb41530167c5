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

/// `ask` prints the plain reply, and nothing for chat.
#[test]
fn ask_plain_and_chat() {
    let (ok, out, _) = signpost(&["ask", "!guidance nurse"]);
    assert!(ok && out.contains("nmc.org.uk"), "{out}");
    let (ok, out, _) = signpost(&["ask", "just chatting"]);
    assert!(ok && out.is_empty(), "{out:?}");
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
