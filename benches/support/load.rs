//! What the HTTP load benchmarks share: `wrk` runs with their CPU time, a server's health,
//! CPU and memory from /proc, and reading wrk's report.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs wrk; returns its report, the CPU seconds it used (sampled from /proc while it runs)
/// and the wall time.
pub fn run_wrk(
    script: &Path,
    url: &str,
    seconds: u32,
    connections: u32,
) -> (String, f64, Duration) {
    let started = Instant::now();
    let mut wrk = Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
            "-s",
        ])
        .arg(script)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start wrk");
    let mut cpu = 0.0;
    while wrk.try_wait().expect("wrk status").is_none() {
        cpu = cpu_seconds(wrk.id()).max(cpu);
        std::thread::sleep(Duration::from_millis(20));
    }
    let wall = started.elapsed();
    let mut report = String::new();
    wrk.stdout
        .take()
        .expect("wrk output")
        .read_to_string(&mut report)
        .expect("read wrk output");
    (report, cpu, wall)
}

pub fn wait_healthy(listen: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(mut stream) = TcpStream::connect(listen) {
            let _ = write!(
                stream,
                "GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
            );
            let mut answer = String::new();
            if stream.read_to_string(&mut answer).is_ok() && answer.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("signpost did not become healthy on {listen}");
}

pub fn free_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address")
}

/// User + system CPU seconds of a process, from /proc/PID/stat (0 once it is gone).
pub fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11..13).map_or(0.0, |f| {
        f.iter().filter_map(|v| v.parse::<f64>().ok()).sum()
    });
    ticks / 100.0 // USER_HZ is 100 on Linux
}

/// A `kB` field of /proc/PID/status.
pub fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field)?.strip_prefix(':').map(str::to_string))
        })
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

pub fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

pub fn env_or(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One field of wrk's report (`Requests/sec:`, `99%`), or `?`.
pub fn wrk_field(report: &str, label: &str) -> String {
    report
        .lines()
        .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_string()))
        .unwrap_or_else(|| "?".to_string())
}

/// wrk's error lines, or `none`.
pub fn wrk_errors(report: &str) -> String {
    let errors = ["Socket errors:", "Non-2xx or 3xx responses:"]
        .iter()
        .filter_map(|label| report.lines().find(|l| l.trim().starts_with(label)))
        .collect::<Vec<_>>();
    if errors.is_empty() {
        "none".to_string()
    } else {
        errors.join("; ")
    }
}

/// A POST of `body` to `path` with `headers` (name and value pairs), on a new connection; the
/// status and the whole answer.
pub fn post(listen: SocketAddr, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(listen).expect("connect to signpost");
    let headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nhost: {listen}\r\n{headers}content-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read answer");
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

/// How many distinct signed requests a run of `seconds` is given: more than any run here sends,
/// so none is sent twice (a signed request seen before is refused as a replay).
pub fn pool_size(seconds: u32) -> usize {
    40_000 * seconds as usize
}

/// A wrk script sending each of `requests` once, in order (then from the start again): each a
/// `(timestamp, signature, body)` sent as a POST with `content_type` and the two signature
/// headers named. The requests are written to a file beside the script and read by wrk's Lua
/// at start, so the run itself only sends.
pub fn pool_script(
    name: &str,
    content_type: &str,
    headers: [&str; 2],
    requests: impl Iterator<Item = (String, String, String)>,
) -> std::path::PathBuf {
    let dir = std::env::temp_dir();
    let pool = dir.join(format!("signpost-{name}-{}.tsv", std::process::id()));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&pool).expect("create pool"));
    for (timestamp, signature, body) in requests {
        assert!(!body.contains(['\t', '\n']), "one line per request");
        writeln!(file, "{timestamp}\t{signature}\t{body}").expect("write pool");
    }
    file.flush().expect("write pool");
    let script = dir.join(format!("signpost-{name}-{}.lua", std::process::id()));
    let [timestamp, signature] = headers;
    std::fs::write(
        &script,
        format!(
            "local reqs = {{}}\nlocal i = 0\n\
             function init(args)\n\
               for line in io.lines(\"{pool}\") do\n\
                 local ts, sig, body = line:match(\"^([^\\t]*)\\t([^\\t]*)\\t(.*)$\")\n\
                 reqs[#reqs + 1] = wrk.format(\"POST\", nil, {{\n\
                   [\"Content-Type\"] = \"{content_type}\",\n\
                   [\"{timestamp}\"] = ts, [\"{signature}\"] = sig }}, body)\n\
               end\n\
             end\n\
             function request()\n\
               i = i + 1\n\
               if i > #reqs then i = 1 end\n\
               return reqs[i]\n\
             end\n",
            pool = pool.display()
        ),
    )
    .expect("write wrk script");
    script
}

/// Removes a [`pool_script`] and its requests.
pub fn remove_pool(script: &Path) {
    let _ = std::fs::remove_file(script.with_extension("tsv"));
    let _ = std::fs::remove_file(script);
}
