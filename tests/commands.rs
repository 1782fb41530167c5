//! Every command answers on every renderer with the expected content.

use signpost::command::items::badge;
use signpost::command::search;
use signpost::index::Status;
use signpost::render::discord::DiscordMarkdown;
use signpost::render::matrix::MatrixHtml;
use signpost::render::plain::Plain;
use signpost::render::slack::SlackMrkdwn;
use signpost::render::{Markup, Target};
use signpost::reply::{Badge, Item, Reply, Tone, Visibility};
use signpost::Origin;

use crate::support::{answer, item_titles, item_urls, rendered, reply, TARGETS};

const NMC: &str = "https://www.nmc.org.uk/standards/guidance/social-media-guidance/read-social-media-guidance-online/";
const GMC_2024: &str = "https://www.gmc-uk.org/professional-standards/the-professional-standards/using-social-media-as-a-medical-professional/using-social-media-as-a-medical-professional";

/// Every item of a reply, in order.
fn items(reply: &Reply) -> Vec<&Item> {
    reply.sections.iter().flat_map(|s| s.items.iter()).collect()
}

/// One item as `target` shows it: its own chunk of the rendered reply, badge and flags included.
fn item_text(target: Target, item: &Item) -> String {
    let markup: &dyn Markup = match target {
        Target::Plain => &Plain,
        Target::Discord => &DiscordMarkdown,
        Target::Slack => &SlackMrkdwn,
        Target::Matrix => &MatrixHtml,
    };
    markup.block(markup.item(item))
}

/// `!guidance nurse` lists the NMC guidance first, on every renderer.
#[test]
fn guidance_nurse_lists_nmc() {
    let r = answer("!guidance nurse");
    assert_eq!(item_urls(&r).first().map(String::as_str), Some(NMC));
    for target in TARGETS {
        let text = rendered("!guidance nurse", target);
        assert!(
            text.contains("nmc.org.uk/standards/guidance/social-media-guidance"),
            "{target:?}: {text}"
        );
    }
}

/// `!guidance social-worker` covers all four UK nations' regulators and BASW.
#[test]
fn guidance_social_worker_covers_four_nations_and_basw() {
    let r = answer("!guidance social-worker all");
    let headings: Vec<_> = r
        .sections
        .iter()
        .filter_map(|s| s.heading.clone())
        .collect();
    for nation in ["England", "Scotland", "Wales", "Northern Ireland"] {
        assert!(
            headings.iter().any(|h| h == nation),
            "missing {nation} in {headings:?}"
        );
    }
    let urls = item_urls(&r).join(" ");
    for host in [
        "socialworkengland.org.uk",
        "myssscportal",
        "socialcare.wales",
        "niscc.info",
        "basw.co.uk",
    ] {
        assert!(urls.contains(host), "missing {host}");
    }
    // The HCPC no longer regulates social workers anywhere in the UK.
    assert!(!urls.contains("hcpc-uk.org"));
}

/// `!guidance social worker scotland` keeps UK-wide items and Scotland, and drops the rest.
#[test]
fn guidance_filters_by_nation() {
    let r = answer("!guidance social worker in scotland all");
    let headings: Vec<_> = r
        .sections
        .iter()
        .filter_map(|s| s.heading.clone())
        .collect();
    assert!(headings.contains(&"Scotland".to_string()));
    assert!(!headings.contains(&"England".to_string()));
    assert!(
        r.intro.len() == 1,
        "only Scotland's regulator: {:?}",
        r.intro
    );
}

/// `!guidance psychiatrist` shows the GMC's 2024 guidance first, and the 2013 guidance it replaces
/// after it, carrying the superseded badge in the reply and in its own text on every renderer.
#[test]
fn guidance_psychiatrist_current_first_superseded_marked() {
    let index = crate::support::index();
    let old = index
        .resource("gmc-doctors-use-of-social-media-2013")
        .expect("the 2013 GMC guidance is in the index");
    let newer = &index.resources[old.superseded_by.expect("it names its replacement")];
    let r = answer("!guidance psychiatrist all");
    let items = items(&r);
    assert_eq!(items[0].url.as_ref().map(|u| u.as_str()), Some(GMC_2024));
    let position = |title: &str| {
        items
            .iter()
            .position(|i| i.title == title)
            .unwrap_or_else(|| panic!("{title:?} is listed"))
    };
    let (old_at, newer_at) = (position(&old.title), position(&newer.title));
    assert!(newer_at < old_at, "the replacement comes first");
    assert_eq!(items[newer_at].badge, Some(Badge::Current));
    assert_eq!(items[old_at].badge, Some(Badge::Superseded));
    for target in TARGETS {
        let text = rendered("!guidance psychiatrist all", target);
        let old_item = item_text(target, items[old_at]);
        assert!(
            old_item.contains(Badge::Superseded.label()),
            "{target:?}: the 2013 item is badged: {old_item}"
        );
        let old_in_text = text.find(&old_item).expect("the 2013 item is shown");
        let newer_in_text = text
            .find(&item_text(target, items[newer_at]))
            .expect("the 2024 item is shown");
        assert!(newer_in_text < old_in_text, "{target:?}: current first");
    }
}

/// Within a profession, items are ordered current first, then newest first.
#[test]
fn guidance_is_ordered_by_status_then_date() {
    let index = crate::support::index();
    for p in &index.professions {
        let r = answer(&format!("!guidance {}", p.id));
        for s in &r.sections {
            let ranks: Vec<u8> = s
                .items
                .iter()
                .map(|i| {
                    let res = index
                        .resources
                        .iter()
                        .find(|x| x.title == i.title)
                        .expect("item is a resource");
                    res.status.rank()
                })
                .collect();
            let mut sorted = ranks.clone();
            sorted.sort();
            assert_eq!(ranks, sorted, "{}: section {:?}", p.id, s.heading);
        }
    }
}

/// `!guidance` alone lists every profession with the command to type.
#[test]
fn guidance_lists_professions() {
    let text = rendered("!guidance", Target::Plain);
    for p in &crate::support::index().professions {
        assert!(
            text.contains(&format!("!guidance {}", p.id)),
            "missing {}",
            p.id
        );
    }
}

/// `!abuse-help` gives the reporting link of the platform the message came from.
#[test]
fn abuse_help_follows_the_platform() {
    let cases = [
        (Target::Discord, "discord.com/safety/360044103651"),
        (Target::Slack, "slack.com/help/articles/22130526790291"),
        (Target::Matrix, "matrix.org/legal/code-of-conduct"),
    ];
    for (target, link) in cases {
        let text = rendered("!abuse-help all", target);
        assert!(text.contains(link), "{target:?} lacks {link}");
        for (other, other_link) in cases {
            if other != target {
                assert!(
                    !text.contains(other_link),
                    "{target:?} shows {other:?}'s link"
                );
            }
        }
        assert!(
            text.contains("0345 6000 459"),
            "{target:?}: Revenge Porn Helpline phone"
        );
        assert!(
            text.contains("Mon–Fri 10:00–16:00"),
            "{target:?}: opening hours"
        );
    }
}

/// A named platform overrides the origin; aliases work (`twitter` is X). A platform the index
/// has no page for still gets an answer with the UK support lines, and no link of its own.
#[test]
fn abuse_help_named_platform() {
    let r = reply("!abuse-help twitter", Origin::Discord).unwrap();
    assert!(r.title.contains("X (Twitter)"), "{}", r.title);
    assert!(item_urls(&r).iter().any(|u| u.contains("help.x.com")));
    let r = reply("!abuse-help myspace", Origin::Discord).unwrap();
    assert_eq!(r.tone, Tone::Answer);
    assert!(r.title.contains("myspace"), "{}", r.title);
    let urls = item_urls(&r).join(" ");
    assert!(urls.contains("reportharmfulcontent.com"), "{urls}");
    assert!(!urls.contains("myspace"), "{urls}");
}

/// The console, which is no platform, lists every platform's reporting links.
#[test]
fn abuse_help_console_lists_all_platforms() {
    let r = answer("!abuse-help all");
    let headings: Vec<_> = r
        .sections
        .iter()
        .filter_map(|s| s.heading.clone())
        .collect();
    assert_eq!(
        headings
            .iter()
            .filter(|h| h.starts_with("Report it on"))
            .count(),
        crate::support::index().platforms.len()
    );
}

/// `private` makes the reply private and drops the "want this privately" pointer.
#[test]
fn abuse_help_private() {
    let public = reply("!abuse-help", Origin::Slack).unwrap();
    let private = reply("!abuse-help private", Origin::Slack).unwrap();
    assert_eq!(public.visibility, Visibility::Public);
    assert_eq!(private.visibility, Visibility::Private);
    assert!(format!("{:?}", public.notes).contains("abuse-help private"));
    assert!(!format!("{:?}", private.notes).contains("abuse-help private"));
    assert_eq!(item_urls(&public), item_urls(&private));
}

/// `!help` lists every command from the table; `!help guidance` explains one.
#[test]
fn help_lists_every_command() {
    for target in TARGETS {
        let text = rendered("!help", target);
        for c in signpost::command::COMMANDS {
            assert!(text.contains(c.name), "{target:?} lacks {}", c.name);
            // Slack and Matrix escape `&`-free text unchanged, so the summary reads the same.
            assert!(
                text.contains(c.summary),
                "{target:?} lacks the summary of {}",
                c.name
            );
        }
    }
    let text = rendered("!help guidance", Target::Plain);
    assert!(
        text.contains("Usage: !guidance [profession] [nation] [all]"),
        "{text}"
    );
    assert!(text.contains("!guide"), "aliases listed: {text}");
}

/// `!start`, `!articles` and `!tips` list their resources.
#[test]
fn start_articles_tips() {
    let start = answer("!start all");
    assert!(item_titles(&start).iter().any(|t| t.contains("Twitter")));
    assert!(item_urls(&start)
        .iter()
        .any(|u| u.contains("sectioneduk.wordpress.com")));
    let articles = answer("!articles all");
    assert!(item_urls(&articles)
        .iter()
        .any(|u| u.contains("drkkolmes.com")));
    let tips = rendered("!tips all", Target::Plain);
    let count = crate::support::index().tips.len();
    assert!(count >= 7);
    assert!(tips.contains(&format!("{count}. ")), "numbered tips");
    assert!(tips.contains("HCPC") || tips.contains("Health and Care Professions Council"));
}

/// `!search` finds by title, publisher and profession words, and says when nothing matched.
#[test]
fn search_finds_and_misses() {
    let r = answer("!search hcpc");
    assert!(item_urls(&r).iter().any(|u| u.contains("hcpc-uk.org")));
    let r = answer("!search twitter newbies");
    assert!(item_urls(&r)[0].contains("sectioneduk"));
    let r = answer("!search xylophone zebra");
    assert_eq!(r.tone, Tone::Problem);
    assert!(r.title.contains("xylophone zebra"));
}

/// A search with more results than `MAX_RESULTS` shows that many and points to narrowing it.
#[test]
fn search_is_bounded() {
    let r = answer("!search social media");
    let shown = r.sections.iter().map(|s| s.items.len()).sum::<usize>();
    assert_eq!(shown, search::MAX_RESULTS);
    assert!(format!("{:?}", r.notes).contains("narrow"));
}

/// `!resource <id>` shows one resource in full, and suggests close ids for a typo.
#[test]
fn resource_by_id() {
    let r = answer("!resource gmc-using-social-media-2024");
    assert_eq!(item_urls(&r), vec![GMC_2024.to_string()]);
    let r = answer("!resource gmc-using-social-media-2013");
    assert_eq!(r.tone, Tone::Problem);
    assert!(format!("{:?}", r.intro).contains("gmc-using-social-media-2024"));
}

/// A superseded resource names and links its replacement.
#[test]
fn superseded_links_replacement() {
    let text = rendered("!resource hcpc-social-media-2017", Target::Plain);
    assert!(text.contains("Replaced by:"), "{text}");
    assert!(
        text.contains("communication-and-using-social-media"),
        "{text}"
    );
}

/// `!about` gives the source page and the review date.
#[test]
fn about_gives_provenance() {
    let text = rendered("!about", Target::Plain);
    assert!(text.contains("Resources on Social Media"));
    assert!(text.contains(&crate::support::index().provenance.reviewed));
}

/// Unknown commands get a short pointer to help; typos get a suggestion; chat gets nothing.
#[test]
fn unknown_and_chat() {
    let r = answer("!frobnicate");
    assert_eq!(r.tone, Tone::Problem);
    assert!(format!("{:?}", r.intro).contains("!help"));
    let r = answer("!guidence nurse");
    assert!(format!("{:?}", r.intro).contains("!guidance"));
    assert_eq!(reply("hello everyone, how are you?", Origin::Discord), None);
    assert_eq!(reply("!!!", Origin::Discord), None);
}

/// Messages from bots are never answered.
#[test]
fn bots_are_ignored() {
    let mut m = signpost::Incoming::new("!help", Origin::Discord);
    m.from_bot = true;
    assert_eq!(crate::support::core().handle(&m), None);
}

/// Every listed item carries its resource's status badge, and a best-guess link
/// (`url_confirmed = false`) is flagged on the item itself; the HCPC 2024 link, a best guess,
/// is flagged in its own text on every renderer.
#[test]
fn unverified_links_are_marked() {
    let index = crate::support::index();
    let (mut unverified_badges, mut unverified_links) = (0, 0);
    for profession in &index.professions {
        let r = answer(&format!("!guidance {}", profession.id));
        for item in items(&r) {
            // Two resources may share a title, never a title and a link.
            let resource = index
                .resources
                .iter()
                .find(|x| x.title == item.title && x.url == item.url)
                .expect("item is a resource");
            assert_eq!(item.badge, Some(badge(resource.status)), "{}", resource.id);
            let guessed = resource.url.is_some() && !resource.url_confirmed;
            assert_eq!(item.url_unverified, guessed, "{}", resource.id);
            unverified_badges += usize::from(resource.status == Status::Unverified);
            unverified_links += usize::from(guessed);
        }
    }
    assert!(unverified_badges > 0, "some listed resource is unverified");
    assert!(unverified_links > 0, "some listed link is a best guess");

    let guess = index
        .resource("hcpc-social-media-2024")
        .expect("in the index");
    assert!(guess.url.is_some() && !guess.url_confirmed, "a best guess");
    let r = answer("!guidance art therapist");
    let item = items(&r)
        .into_iter()
        .find(|i| i.title == guess.title)
        .expect("the HCPC 2024 guidance is listed");
    assert!(item.url_unverified, "flagged in the reply");
    for target in TARGETS {
        let text = rendered("!guidance art therapist", target);
        let shown = item_text(target, item);
        assert!(text.contains(&shown), "{target:?}: the item is shown");
        assert!(
            shown.contains("unverified link"),
            "{target:?}: flagged in its own text: {shown}"
        );
    }
}

/// A message from a slash command gets pointers in slash form, not the `!` prefix.
#[test]
fn pointers_follow_how_commands_are_typed() {
    let mut m = signpost::Incoming::new("help", Origin::Slack);
    m.addressed = true;
    m.command_prefix = Some("/signpost ");
    let reply = crate::support::core().handle(&m).expect("help");
    let text = Target::Plain.to_texts(&reply).join("\n");
    assert!(text.contains("/signpost guidance [profession]"), "{text}");
    assert!(!text.contains("!guidance"), "{text}");
}

/// The configured prefix is folded like messages are: a full-width `！` prefix answers `!help`
/// and `！help` alike.
#[test]
fn configured_prefix_is_folded_once() {
    let core = signpost::Signpost::new(crate::support::index_owned(), "！");
    assert_eq!(core.prefix(), "!");
    for text in ["!help", "！help"] {
        assert!(
            core.handle(&signpost::Incoming::new(text, Origin::Discord))
                .is_some(),
            "{text}"
        );
    }
}

/// A resource's `last_verified` day shows beside it as "link checked …" in `!resource` and in
/// lists, and `!about` counts the links checked in the `VERIFIED_WITHIN_DAYS` before today (today
/// fixed here): that many days ago counts, one more does not.
#[test]
fn link_checked_dates() {
    use signpost::calendar::CivilDate;
    use signpost::command::about::VERIFIED_WITHIN_DAYS;
    use signpost::command::{self, Context};
    let dir = crate::support::copy_of_data("link-checked");
    let path = dir.join("resources.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let stamp = |text: String, id: &str, day: &str| {
        let line = format!("id = \"{id}\"");
        assert!(text.contains(&line), "{id}");
        text.replacen(&line, &format!("{line}\nlast_verified = \"{day}\""), 1)
    };
    let today = CivilDate::parse("2026-11-30").unwrap();
    let ago = |days: i64| CivilDate::from_days(today.to_days() - days).to_string();
    let within = VERIFIED_WITHIN_DAYS;
    let text = stamp(text, "hcpc-social-media-2024", &ago(0));
    let text = stamp(text, "nmc-social-media-guidance", &ago(within - 1));
    let text = stamp(text, "gmc-using-social-media-2024", &ago(within));
    let text = stamp(
        text,
        "gmc-doctors-use-of-social-media-2013",
        &ago(within + 1),
    );
    std::fs::write(&path, text).unwrap();
    let index = signpost::index::load_dir(&dir).expect("valid").index;
    let ctx = Context {
        today,
        ..Context::new("!", Origin::Console)
    };
    let run = |text: &str| {
        let parsed = command::parse(text, "!", false).unwrap().unwrap();
        Target::Plain
            .to_texts(&command::run(&index, &ctx, &parsed))
            .join("\n")
    };
    let full = run("!resource hcpc-social-media-2024");
    assert!(full.contains(&format!("link checked {}", ago(0))), "{full}");
    assert!(run("!guidance nurse all").contains(&format!("link checked {}", ago(within - 1))));
    let linked = index.resources.iter().filter(|r| r.url.is_some()).count();
    let about = run("!about");
    assert!(
        about.contains(&format!(
            "3 of {linked} links checked in the last {within} days"
        )),
        "{about}"
    );
}
