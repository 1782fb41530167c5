//! A headless Chromium driven over the Chrome DevTools Protocol, for the site's browser tests,
//! and axe-core for its accessibility audits.
//!
//! Chromium is Debian's (`/usr/bin/chromium`, installed by [`crate::support::debian`] when
//! missing, or `$SIGNPOST_CHROMIUM`), started with a fresh
//! profile and `--remote-debugging-port=0`; the port it picked is read from the profile's
//! `DevToolsActivePort` file. One page target is opened over the HTTP endpoint and driven over
//! its websocket with tokio-tungstenite and JSON, which is all the protocol needs. axe-core
//! comes from npm into a folder made on first use and reused after (`$SIGNPOST_AXE_DIR`,
//! default `/var/tmp/signpost-axe`, outside the clone), as the Matrix tests do with Synapse.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long to wait for the browser before failing (a hang guard, not a performance bound).
pub const PATIENCE: Duration = Duration::from_secs(60);

/// The axe-core versions the audits are known to work with.
const AXE_REQUIREMENT: &str = "axe-core@4";

/// The Chromium binary, installed from Debian first if it is missing.
pub fn chromium_path() -> PathBuf {
    crate::support::debian::ensure_installed();
    std::env::var_os("SIGNPOST_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// `axe.min.js`, installing axe-core from npm on first use.
pub fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let dir = std::env::var_os("SIGNPOST_AXE_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/var/tmp/signpost-axe"));
        let script = dir.join("node_modules/axe-core/axe.min.js");
        let ready = dir.join(".signpost-ready");
        if !ready.exists() || !script.exists() {
            std::fs::create_dir_all(&dir).expect("create the axe folder");
            let out = Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
                .arg(&dir)
                .arg(AXE_REQUIREMENT)
                .output()
                .expect("run npm");
            assert!(
                out.status.success(),
                "npm install axe-core failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::fs::write(&ready, AXE_REQUIREMENT).expect("mark axe ready");
        }
        std::fs::read_to_string(&script).expect("read axe.min.js")
    })
}

/// A running headless Chromium with one page open; killed on drop.
pub struct Browser {
    child: Child,
    profile: PathBuf,
    page: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    events: Vec<Value>,
}

impl Browser {
    /// Starts Chromium with a fresh profile in `profile` and opens a blank page.
    pub async fn start(profile: &Path) -> Browser {
        let child = Command::new(chromium_path())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", chromium_path().display()));
        let port = devtools_port(profile).await;
        let target = reqwest::Client::new()
            .put(format!("http://127.0.0.1:{port}/json/new?about:blank"))
            .send()
            .await
            .expect("open a page")
            .text()
            .await
            .expect("page target");
        let target: Value = serde_json::from_str(&target).expect("page target JSON");
        let ws = target["webSocketDebuggerUrl"]
            .as_str()
            .expect("page websocket");
        let (page, _) = tokio_tungstenite::connect_async(ws)
            .await
            .expect("connect to the page");
        Browser {
            child,
            profile: profile.to_path_buf(),
            page,
            next_id: 0,
            events: Vec::new(),
        }
    }

    /// Sends one command and returns its result; panics on a protocol error.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({ "id": id, "method": method, "params": params });
        self.page
            .send(Message::text(message.to_string()))
            .await
            .expect("send to the browser");
        loop {
            let reply = self.receive().await;
            if reply["id"] == id {
                assert!(reply.get("error").is_none(), "{method}: {reply}");
                return reply["result"].clone();
            }
            if reply.get("method").is_some() {
                self.events.push(reply);
            }
        }
    }

    /// Waits for the event `method` (one already received counts), consuming it.
    pub async fn event(&mut self, method: &str) -> Value {
        if let Some(at) = self.events.iter().position(|e| e["method"] == method) {
            return self.events.remove(at);
        }
        loop {
            let message = self.receive().await;
            if message["method"] == method {
                return message;
            }
        }
    }

    async fn receive(&mut self) -> Value {
        let next = tokio::time::timeout(PATIENCE, self.page.next())
            .await
            .expect("the browser went quiet");
        match next {
            Some(Ok(Message::Text(text))) => serde_json::from_str(&text).expect("JSON"),
            Some(Ok(_)) => Value::Null,
            other => panic!("browser connection: {other:?}"),
        }
    }

    /// Loads `url` and waits for its load event.
    pub async fn navigate(&mut self, url: &str) {
        self.events.retain(|e| e["method"] != "Page.loadEventFired");
        self.call("Page.enable", json!({})).await;
        let result = self.call("Page.navigate", json!({ "url": url })).await;
        assert!(result.get("errorText").is_none(), "{url}: {result}");
        self.event("Page.loadEventFired").await;
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value.
    pub async fn eval(&mut self, expression: &str) -> Value {
        let result = self
            .call(
                "Runtime.evaluate",
                json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
            )
            .await;
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression:.80}: {result}"
        );
        result["result"]["value"].clone()
    }

    /// Polls `expression` until it is `true`.
    pub async fn until(&mut self, what: &str, expression: &str) {
        let deadline = Instant::now() + PATIENCE;
        while self.eval(expression).await != json!(true) {
            assert!(Instant::now() < deadline, "waited for {what}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The page's HTML as the browser now has it, read through the DOM domain so it works with
    /// scripts disabled.
    pub async fn outer_html(&mut self) -> String {
        let document = self.call("DOM.getDocument", json!({})).await;
        let node = document["root"]["nodeId"].clone();
        let html = self
            .call("DOM.getOuterHTML", json!({ "nodeId": node }))
            .await;
        html["outerHTML"].as_str().unwrap_or_default().to_string()
    }

    /// Makes the viewport `width` CSS pixels wide (a phone's when narrow).
    pub async fn set_width(&mut self, width: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600 }),
        )
        .await;
    }

    /// A PNG of the whole page at the current width, written to `path`.
    pub async fn screenshot(&mut self, path: &Path) {
        let shot = self
            .call(
                "Page.captureScreenshot",
                json!({ "format": "png", "captureBeyondViewport": true }),
            )
            .await;
        let data = shot["data"].as_str().expect("screenshot data");
        std::fs::write(path, decode_base64(data)).expect("write the screenshot");
    }

    /// The axe-core audit of the page: every violation, as JSON text (`[]` when none).
    pub async fn axe_violations(&mut self) -> Value {
        self.call(
            "Runtime.evaluate",
            json!({ "expression": axe_source(), "returnByValue": true }),
        )
        .await;
        let audit = "axe.run(document, { resultTypes: ['violations'] }).then(r => ({ passes: r.passes.length, violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + n.failureSummary) })) }))";
        let result = self.eval(audit).await;
        // An audit that checked nothing (axe failed to load) must not pass for a clean one.
        assert!(
            result["passes"].as_u64().unwrap_or(0) > 10,
            "axe ran no checks: {result}"
        );
        result["violations"].clone()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The port Chromium chose, from the first line of `DevToolsActivePort` in its profile.
async fn devtools_port(profile: &Path) -> u16 {
    let file = profile.join("DevToolsActivePort");
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(text) = std::fs::read_to_string(&file) {
            if let Some(port) = text.lines().next().and_then(|l| l.trim().parse().ok()) {
                return port;
            }
        }
        assert!(
            Instant::now() < deadline,
            "Chromium never wrote {}",
            file.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Standard base64 (the protocol's encoding for screenshots) to bytes.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = text.bytes().filter(|&c| c != b'=' && c != b'\n').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &c)| n | u32::from(value(c)) << (18 - 6 * i));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}
