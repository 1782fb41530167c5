//! The site: building every page from the real index and from a generated one of 10,000
//! resources and 500 professions, and serving pages from the HTTP listener on 127.0.0.1 (one
//! client, keep-alive, so the median is the time per page). Run with `cargo bench --bench site`;
//! each index's file count and total size are printed first.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use criterion::{criterion_group, criterion_main, Criterion};
use signpost::adapters::Service;
use signpost::index::{load_dir, Index};
use signpost::site::{build, Options};
use signpost::Signpost;

#[path = "support/generated.rs"]
mod generated;

fn options() -> Options {
    Options {
        prefix: "!".into(),
        generated: SystemTime::now(),
    }
}

fn bench_build(c: &mut Criterion, label: &str, index: &Index) {
    let site = build(index, &options());
    eprintln!(
        "{label}: {} files, {} bytes",
        site.files.len(),
        site.total_bytes()
    );
    c.bench_function(&format!("build site ({label})"), |b| {
        b.iter(|| build(black_box(index), &options()))
    });
}

fn bench_serve(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let core = Arc::new(Signpost::new(
        load_dir(Path::new("data")).expect("data/ is valid").index,
        "!",
    ));
    let service = Service::new(core, Default::default());
    let addr = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let router = signpost::http::router(&service, Arc::default());
        let serving = service.clone();
        tokio::spawn(async move { signpost::http::serve(listener, router, &serving).await });
        addr
    });
    let client = reqwest::Client::new();
    let page = format!("http://{addr}/professions/social-worker.html");
    let etag = runtime.block_on(async {
        let first = client.get(&page).send().await.expect("GET");
        first.headers()["etag"].to_str().expect("ASCII").to_string()
    });
    let mut group = c.benchmark_group("serve");
    group.bench_function("GET a profession page (200)", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let r = client.get(&page).send().await.expect("GET");
                r.bytes().await.expect("body").len()
            })
        })
    });
    group.bench_function("GET it again with its ETag (304)", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let r = client
                    .get(&page)
                    .header("if-none-match", &etag)
                    .send()
                    .await
                    .expect("GET");
                r.status()
            })
        })
    });
    group.finish();
    service.shutdown.cancel();
}

fn benches(c: &mut Criterion) {
    let real = load_dir(Path::new("data")).expect("data/ is valid").index;
    bench_build(c, "real", &real);
    let big = generated::generated(10_000, 500);
    bench_build(c, "generated-10k", &big.index());
    bench_serve(c);
}

criterion_group! {
    name = site;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_millis(500));
    targets = benches
}
criterion_main!(site);
