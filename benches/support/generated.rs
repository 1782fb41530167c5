//! A generated index of any size for the benchmarks: pronounceable names, two professions per
//! resource, one real platform with a reporting page.

use std::path::Path;

use signpost::index::raw::*;
use signpost::index::{from_raw, load_dir, Kind, Status};
use signpost::Signpost;

const SYLLABLES: &[&str] = &[
    "ra", "lo", "mi", "tor", "ven", "sa", "qui", "del", "pha", "gon", "ter", "bis", "cal", "nu",
    "po", "re",
];

/// A pronounceable pseudo-word from a number, so names differ the way real names do.
fn word(mut n: usize, syllables: usize) -> String {
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        n = n.wrapping_mul(7).wrapping_add(3);
    }
    w
}

/// A core serving a generated index of `resources` resources for `professions` professions.
pub fn generated(resources: usize, professions: usize) -> Signpost {
    let profession = |p: usize| RawProfession {
        id: format!("prof-{p}"),
        name: format!("{} {}", word(p, 3), word(p + 1000, 2)),
        aliases: vec![format!("{}-{p}", word(p * 31, 2))],
        regulators: vec!["UK: Generated Council".into()],
        note: None,
    };
    let resource = |r: usize| RawResource {
        id: format!("res-{r}"),
        title: format!(
            "{} {} guidance on {}",
            word(r, 2),
            word(r * 7, 3),
            word(r * 13, 2)
        ),
        publisher: format!("{} council", word(r % 50, 2)),
        date: format!("{}", 2000 + r % 25),
        when: None,
        url: Some(format!("https://example.org/resources/{r}")),
        url_confirmed: !r.is_multiple_of(10),
        kind: if r % 5 == 1 {
            Kind::Article
        } else {
            Kind::Guidance
        },
        status: if r % 5 == 1 {
            Status::Historic
        } else {
            Status::Current
        },
        superseded_by: None,
        body: None,
        professions: vec![
            format!("prof-{}", r % professions),
            format!("prof-{}", (r * 7) % professions),
        ],
        nations: vec![],
        summary: format!(
            "A generated summary mentioning {} and {}.",
            word(r * 3, 3),
            word(r * 5, 2)
        ),
        note: None,
        phone: None,
        hours: None,
        email: None,
        last_verified: None,
    };
    let real = load_dir(Path::new("data")).expect("data/ is valid").index;
    let mut raw = RawIndex {
        meta: RawMeta {
            title: "Generated".into(),
            source_title: "Generated".into(),
            source_publisher: "Bench".into(),
            source_updated: "2026".into(),
            reviewed: "2026-11-24".into(),
            notes: vec![],
        },
        resources: (0..resources).map(resource).collect(),
        professions: (0..professions).map(profession).collect(),
        not_covered: vec![],
        platforms: vec![],
        tips: vec![],
    };
    // One real platform with a reporting page, so `!abuse-help` has work to do.
    let report = real
        .resource("discord-report-abuse")
        .expect("real reporting page");
    raw.resources.push(RawResource {
        id: "discord-report".into(),
        title: report.title.clone(),
        publisher: report.publisher.clone(),
        date: "2026".into(),
        when: None,
        url: report.url.as_ref().map(|u| u.to_string()),
        url_confirmed: true,
        kind: Kind::Reporting,
        status: Status::Current,
        superseded_by: None,
        body: None,
        professions: vec![],
        nations: vec![],
        summary: report.summary.clone(),
        note: None,
        phone: None,
        hours: None,
        email: None,
        last_verified: None,
    });
    raw.platforms.push(RawPlatform {
        id: "discord".into(),
        name: "Discord".into(),
        aliases: vec![],
        reporting: vec!["discord-report".into()],
        impersonation: vec![],
        advice: "Tell the moderators.".into(),
    });
    let index = from_raw(raw, Path::new("generated"))
        .expect("generated index is valid")
        .index;
    Signpost::new(index, "!")
}
