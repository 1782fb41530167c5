//! Parse + route + render, on the real index and on a generated one of 10,000 resources and 500
//! professions. Run with `cargo bench --bench route`; each benchmark is one command end to end
//! (text in, the Discord adapter's JSON bodies out), so its median is the time per command.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use signpost::index::load_dir;
use signpost::render::discord;
use signpost::{Incoming, Origin, Signpost};

#[path = "support/generated.rs"]
mod generated;
use generated::generated;

fn run(core: &Signpost, text: &str) -> usize {
    // Plain-words questions are only read when addressed; commands answer either way.
    let mut message = Incoming::new(text, Origin::Discord);
    message.addressed = !text.starts_with('!');
    let reply = core.handle(&message).expect("a reply");
    // What the Discord adapter sends: the message bodies, serialized straight to bytes.
    discord::to_messages(&reply)
        .iter()
        .map(|m| serde_json::to_vec(m).expect("serializes").len())
        .sum()
}

fn bench_index(c: &mut Criterion, label: &str, core: &Signpost, commands: &[(&str, String)]) {
    let mut group = c.benchmark_group(label);
    for (name, text) in commands {
        group.bench_function(*name, |b| b.iter(|| run(core, black_box(text))));
    }
    // Reading a question alone, without running or rendering its answer: what plain words
    // add to a command.
    let index = core.index();
    for (name, question) in commands
        .iter()
        .filter(|(name, _)| name.starts_with("question"))
    {
        group.bench_function(format!("{name} (reading only)"), |b| {
            b.iter(|| signpost::understand::read(&index, black_box(question)))
        });
    }
    // Chat that is not a command: the cost every message in a busy channel pays.
    group.bench_function("chat (no reply)", |b| {
        b.iter(|| {
            core.handle(&Incoming::new(
                black_box("just chatting about the rota"),
                Origin::Discord,
            ))
        })
    });
    group.finish();
}

/// What the per-command layers cost: counting a command in the metrics, one cooldown check
/// among 10,000 tracked people, and a whole command with and without a sender and cooldowns.
fn bench_layers(c: &mut Criterion) {
    use signpost::bot::Sender;
    use signpost::cooldown::{Cooldowns, Limit, Limits};
    let mut group = c.benchmark_group("layers");
    let plain = Signpost::new(
        load_dir(Path::new("data")).expect("data/ is valid").index,
        "!",
    );
    let metrics = std::sync::Arc::clone(plain.metrics());
    group.bench_function("metrics: count one command", |b| {
        b.iter(|| metrics.count_command(black_box("guidance"), "discord", "answered"))
    });
    // Generous limits, so every check does the full bucket arithmetic and none refuses.
    let roomy = Limit {
        burst: std::num::NonZeroU32::MAX,
        refill: std::time::Duration::from_nanos(1),
    };
    let limits = Limits {
        person: Some(roomy),
        channel: Some(roomy),
    };
    let people: Vec<String> = (0..10_000)
        .map(|n| format!("{}", 400_000_000 + n))
        .collect();
    let cooldowns = Cooldowns::new(limits);
    let mut n = 0;
    group.bench_function("cooldown: one check, 10k people", |b| {
        b.iter(|| {
            n = (n + 1) % people.len();
            cooldowns.check("discord", black_box(&people[n]), "1210000000000000001")
        })
    });
    let text = "!guidance social-worker";
    group.bench_function("guidance exact, no sender", |b| {
        b.iter(|| plain.handle(&Incoming::new(black_box(text), Origin::Discord)))
    });
    let limited = Signpost::new(
        load_dir(Path::new("data")).expect("data/ is valid").index,
        "!",
    )
    .with_cooldowns(limits);
    let mut n = 0;
    group.bench_function("guidance exact, sender and cooldowns", |b| {
        b.iter(|| {
            n = (n + 1) % people.len();
            let mut message = Incoming::new(black_box(text), Origin::Discord);
            message.sender = Some(Sender::new(people[n].as_str(), "1210000000000000001"));
            limited.handle(&message)
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_layers(c);
    let real = Signpost::new(
        load_dir(Path::new("data")).expect("data/ is valid").index,
        "!",
    );
    let real_commands: Vec<(&str, String)> = vec![
        ("guidance exact", "!guidance social-worker".into()),
        ("guidance alias", "!guidance GP".into()),
        ("guidance typo", "!guidance socail worker".into()),
        ("abuse-help", "!abuse-help".into()),
        ("search", "!search twitter newbies".into()),
        ("resource", "!resource gmc-using-social-media-2024".into()),
        ("help", "!help".into()),
        ("unknown command", "!frobnicate".into()),
        (
            "question",
            "someone is harassing me on twitter, what do I do as a social work student".into(),
        ),
        (
            "question typo",
            "what does the HCPC say to psycologists?".into(),
        ),
        (
            "question harm",
            "someone shared intimate photos of me on facebook".into(),
        ),
        ("question off-topic", "what's the capital of france".into()),
    ];
    bench_index(c, "real", &real, &real_commands);

    let big = generated(10_000, 500);
    let idx = big.index();
    let p = &idx.professions[123];
    let mut typo: Vec<char> = p.name.chars().collect();
    typo.swap(1, 2);
    let typo: String = typo.into_iter().collect();
    let word = p.name.split(' ').next().unwrap_or("ra").to_string();
    let big_commands: Vec<(&str, String)> = vec![
        ("guidance exact", format!("!guidance {}", p.id)),
        ("guidance typo", format!("!guidance {typo}")),
        ("abuse-help", "!abuse-help".into()),
        ("search", format!("!search {word} guidance")),
        ("resource", "!resource res-4321".into()),
        ("help", "!help".into()),
        ("unknown command", "!frobnicate".into()),
        (
            "question",
            format!("what guidance is there for a {} in wales?", p.name),
        ),
        (
            "question typo",
            format!("is there anything for {typo} students"),
        ),
    ];
    drop(idx);
    bench_index(c, "generated-10k", &big, &big_commands);
}

criterion_group! {
    name = route;
    config = Criterion::default().sample_size(60).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = benches
}
criterion_main!(route);
