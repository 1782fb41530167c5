//! Every item on the seed page is in the index and reachable by some command.

use std::collections::HashSet;

use signpost::index::{Kind, Status};
use signpost::render::Target;

use crate::support::{answer, index, rendered};

/// Resource ids for the items on the seed page, with the correction the facts call for.
const SEED_ITEMS: &[&str] = &[
    "acat-twitter-guides-rhona-brown",
    "twitterversity-wecommunities",
    "anne-cooper-social-media-film",
    "sectioned-twitter-newbies",
    "amcunningham-medx-2014",
    "crimlisk-first-year-twitter",
    "markoneinfour-public-professionals",
    "hcpc-social-media-2017",
    "bps-social-media-2012",
    "bps-practice-guidelines-2017",
    "rcpsych-social-media-policy",
    "rcgp-social-media-highway-code",
    "gmc-doctors-use-of-social-media-2013",
    "bma-social-media-ethics",
    "bacp-social-media-guidance",
    "bacp-gpia-040-social-media",
    "ukcp-social-media",
    "basw-social-media-policy",
    "rcot-social-media",
    "nmc-social-media-guidance",
    "balick-digital-policy-2017",
    "kolmes-clinician-articles",
    "cooper-inglehearn-2015",
    "x-report-abusive-behavior",
];

/// Every seed item reaches users through `!resource`, and through a listing or search.
#[test]
fn every_seed_item_is_reachable() {
    let index = index();
    // Everything any listing command shows, asked for whole.
    let mut listed: HashSet<String> = HashSet::new();
    let mut commands: Vec<String> = [
        "!start all",
        "!articles all",
        "!tips all",
        "!abuse-help all",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    commands.extend(
        index
            .professions
            .iter()
            .map(|p| format!("!guidance {} all", p.id)),
    );
    for c in &commands {
        let reply = answer(c);
        for item in reply.sections.iter().flat_map(|s| s.items.iter()) {
            listed.insert(item.title.clone());
        }
    }
    for id in SEED_ITEMS {
        let r = index
            .resource(id)
            .unwrap_or_else(|| panic!("seed item {id} missing from the index"));
        let full = answer(&format!("!resource {id}"));
        assert_eq!(full.title, r.title);
        assert!(
            listed.contains(&r.title),
            "{id} is not shown by any listing command"
        );
    }
}

/// Superseded seed items point at newer versions that are current.
#[test]
fn superseded_seed_items_have_current_successors() {
    let index = index();
    for id in [
        "hcpc-social-media-2017",
        "gmc-doctors-use-of-social-media-2013",
    ] {
        let r = index.resource(id).unwrap();
        assert_eq!(r.status, Status::Superseded, "{id}");
        let newer = &index.resources[r.superseded_by.expect("has successor")];
        assert_eq!(newer.status, Status::Current, "{id} → {}", newer.id);
        assert!(newer.date > r.date);
    }
}

/// No link a user can see points at a third-party mirror or the dead pre-2025 ACAT site as confirmed.
#[test]
fn no_mirrors_and_moved_sites_marked() {
    for r in &index().resources {
        if let Some(url) = &r.url {
            let host = url.host_str().unwrap_or_default();
            for mirror in ["scribd", "docslib", "paperzz", "vdocuments", "docplayer"] {
                assert!(!host.contains(mirror), "{} links a mirror", r.id);
            }
            if host.ends_with("acat.me.uk") {
                assert!(
                    !r.url_confirmed,
                    "{} old ACAT link must be marked unverified",
                    r.id
                );
            }
        }
    }
}

/// The Sectioned blog uses its corrected domain.
#[test]
fn corrected_urls_are_used() {
    let text = rendered("!start all", Target::Plain);
    assert!(text.contains("sectioneduk.wordpress.com"));
    assert!(!text.contains("//sectioned.wordpress.com"));
}

/// Every helpline carries a phone number or an email, and every platform a reporting link.
#[test]
fn helplines_and_platforms_complete() {
    let index = index();
    for r in index.resources.iter().filter(|r| r.kind == Kind::Helpline) {
        assert!(
            r.phone.is_some() || r.email.is_some() || r.url.is_some(),
            "{}",
            r.id
        );
    }
    for id in ["discord", "slack", "matrix", "x"] {
        let p = index
            .platform(id)
            .unwrap_or_else(|| panic!("platform {id}"));
        assert!(!p.reporting.is_empty());
    }
}
