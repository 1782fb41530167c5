//! Two hundred more questions, written from the facts files (`resources-facts.md` and its
//! December 2026 review) rather than from the bot's output: every harm, every platform and every
//! profession the index covers, the failures people met, questions about Signpost itself, and
//! off-topic chat that must get no link at all.

use signpost::command::abuse_help::harms::{self, HARMS};
use signpost::reply::{Inline, Reply, Tone};
use signpost::Origin;

use super::ask;
use crate::support::{index, item_urls};

// Abuse help's first steps, from section 2 of the December 2026 review.
pub(super) const REVENGE_PORN_HELPLINE: &str = "https://revengepornhelpline.org.uk/";
const MET_HARASSMENT: &str =
    "https://www.met.police.uk/advice/advice-and-information/har/harassment-on-social-media/";
const REPORT_FRAUD: &str = "https://www.reportfraud.police.uk/";
const SAMARITANS: &str = "https://www.samaritans.org/how-we-can-help/contact-samaritan/";
// Platforms' own pages, from section 3.
const FACEBOOK: &str = "https://www.facebook.com/help/181495968648557";
const FACEBOOK_IMPERSONATION: &str = "https://www.facebook.com/help/174210519303259";
const INSTAGRAM: &str = "https://help.instagram.com/547601325292351";
const INSTAGRAM_IMPERSONATION: &str = "https://help.instagram.com/446663175382270";
const WHATSAPP: &str = "https://faq.whatsapp.com/1142481766359885";
const LINKEDIN: &str = "https://www.linkedin.com/help/linkedin/answer/37822";
const TIKTOK: &str = "https://www.tiktok.com/safety/en/bullying-prevention/";
const TIKTOK_IMPERSONATION: &str =
    "https://support.tiktok.com/en/safety-hc/report-a-problem/report-an-impersonation-account";
const YOUTUBE: &str = "https://support.google.com/youtube/answer/2802027";
const YOUTUBE_IMPERSONATION: &str = "https://support.google.com/youtube/answer/2801947";
const REDDIT: &str = "https://support.reddithelp.com/hc/en-us/articles/360058309512";
const REDDIT_IMPERSONATION: &str =
    "https://support.reddithelp.com/hc/en-us/articles/360043075032-Impersonation";
const SNAPCHAT: &str = "https://help.snapchat.com/hc/en-us/articles/7012399221652";
const BLUESKY: &str = "https://bsky.social/about/support/community-guidelines";
const MASTODON: &str = "https://docs.joinmastodon.org/user/moderating/#report";
const X: &str = "https://help.x.com/en/safety-and-security/report-abusive-behavior";
const X_IMPERSONATION: &str = "https://help.x.com/en/forms/authenticity/impersonation";
const DISCORD: &str =
    "https://discord.com/safety/360044103651-reporting-abusive-behavior-to-discord";
const SLACK: &str = "https://slack.com/help/articles/22130526790291";
const MATRIX: &str = "https://matrix.org/legal/code-of-conduct/";
// The platforms' own sites, where their report pages are.
const FACEBOOK_SITE: &str = "facebook.com";
const INSTAGRAM_SITE: &str = "instagram.com";
const WHATSAPP_SITE: &str = "whatsapp.com";
const LINKEDIN_SITE: &str = "linkedin.com";
const TIKTOK_SITE: &str = "tiktok.com";
const YOUTUBE_SITE: &str = "google.com";
const REDDIT_SITE: &str = "reddithelp.com";
const SNAPCHAT_SITE: &str = "snapchat.com";
const BLUESKY_SITE: &str = "bsky.social";
const MASTODON_SITE: &str = "joinmastodon.org";
const X_SITE: &str = "x.com";
pub(super) const DISCORD_SITE: &str = "discord.com";
const SLACK_SITE: &str = "slack.com";
const MATRIX_SITE: &str = "matrix.org";
pub(super) const KOLMES: &str = "https://drkkolmes.com/";
pub(super) const MARK_BROWN: &str = "https://shirleyayres.wordpress.com/2014/03/04/";

/// What an answer must be.
#[derive(Debug, Clone, Copy)]
pub(super) enum Want {
    /// An answer whose first link starts with this.
    First(&'static str),
    /// An answer holding a link that starts with this, anywhere.
    Has(&'static str),
    /// Abuse help for the harm with this id, its first link starting with the second.
    Harm(&'static str, &'static str),
    /// Abuse help for the platform with this name, its first link on the platform's own site
    /// (the second, a host or the end of one).
    Platform(&'static str, &'static str),
    /// A question back: a menu of at least two professions.
    Which,
    /// `!about`.
    About,
    /// An answer with this in its title.
    Title(&'static str),
    /// No link at all, no abuse help and no guidance: chat or something Signpost does not do.
    NoLink,
}

/// Every link a reply shows, in its items and in its lines.
fn every_link(reply: &Reply) -> Vec<String> {
    let mut links = item_urls(reply);
    let lines = reply
        .intro
        .iter()
        .chain(&reply.notes)
        .chain(reply.sections.iter().flat_map(|s| s.lines.iter()));
    for line in lines {
        for piece in line {
            if let Inline::Link { url, .. } = piece {
                links.push(url.to_string());
            }
        }
    }
    links
}

fn check(text: &str, origin: Origin, want: Want) -> Result<(), String> {
    let Some(r) = ask(text, origin) else {
        return Err(format!("{text:?}: no reply"));
    };
    let links = item_urls(&r);
    let first = links.first().cloned().unwrap_or_default();
    let ok = match want {
        Want::First(url) => r.tone == Tone::Answer && first.starts_with(url),
        Want::Has(url) => links.iter().any(|l| l.starts_with(url)),
        Want::Harm(id, url) => {
            let harm = harms::by_id(id).expect("a harm of the table");
            r.title.starts_with(harm.name) && first.starts_with(url)
        }
        Want::Platform(name, site) => {
            let host = url::Url::parse(&first)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default();
            r.title.contains(name) && (host == site || host.ends_with(&format!(".{site}")))
        }
        Want::Which => r.menu.as_ref().is_some_and(|m| m.options.len() >= 2) && links.is_empty(),
        Want::About => r.title.starts_with("About"),
        Want::Title(t) => r.title.contains(t),
        Want::NoLink => {
            let title = r.title.to_lowercase();
            every_link(&r).is_empty()
                && !title.contains("abuse")
                && !title.contains("guidance")
                && r.tone == Tone::Answer
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{text:?} ({origin:?}): wanted {want:?}, got {:?} first {first:?}",
            r.title
        ))
    }
}

pub(super) fn run(table: &[(&str, Origin, Want)]) {
    let failures: Vec<String> = table
        .iter()
        .filter_map(|(text, origin, want)| check(text, *origin, *want).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

/// Each harm, in the words people use for it (typos included, on every platform), leads with
/// its first step: intimate images with the Revenge Porn Helpline, threats with the police,
/// fraud with Report Fraud, distress with Samaritans, a fake account with the platform's own
/// impersonation route.
#[test]
fn harms_lead_with_their_first_step() {
    use harms::{DISTRESS, FAKE_ACCOUNT, FRAUD, INTIMATE_IMAGES, THREATS};
    use Origin::*;
    use Want::*;
    let table: &[(&str, Origin, Want)] = &[
        (
            "someone shared intimate photos of me",
            Console,
            Harm(INTIMATE_IMAGES, REVENGE_PORN_HELPLINE),
        ),
        (
            "my ex is threatening to post nudes of me",
            Discord,
            Harm(INTIMATE_IMAGES, REVENGE_PORN_HELPLINE),
        ),
        (
            "revenge porn",
            Slack,
            Harm(INTIMATE_IMAGES, REVENGE_PORN_HELPLINE),
        ),
        (
            "someone is using sextortion on me",
            Matrix,
            Harm(INTIMATE_IMAGES, REVENGE_PORN_HELPLINE),
        ),
        (
            "explicit pictures of me were posted on reddit",
            Console,
            Harm(INTIMATE_IMAGES, REVENGE_PORN_HELPLINE),
        ),
        (
            "a deepfake of me is going round",
            Console,
            Harm(INTIMATE_IMAGES, REVENGE_PORN_HELPLINE),
        ),
        (
            "private photos leaked on snapchat",
            Discord,
            Harm(INTIMATE_IMAGES, REVENGE_PORN_HELPLINE),
        ),
        (
            "!abuse-help intimate images",
            Console,
            Harm(INTIMATE_IMAGES, REVENGE_PORN_HELPLINE),
        ),
        (
            "someone posted my home address",
            Console,
            Harm(THREATS, MET_HARASSMENT),
        ),
        (
            "a patient is stalking me online",
            Slack,
            Harm(THREATS, MET_HARASSMENT),
        ),
        ("i got doxxed", Console, Harm(THREATS, MET_HARASSMENT)),
        (
            "he sent me threats on facebook",
            Matrix,
            Harm(THREATS, MET_HARASSMENT),
        ),
        (
            "racist abuse in my comments",
            Console,
            Harm(THREATS, MET_HARASSMENT),
        ),
        (
            "someone threatned me",
            Console,
            Harm(THREATS, MET_HARASSMENT),
        ),
        (
            "!abuse-help threats",
            Discord,
            Harm(THREATS, MET_HARASSMENT),
        ),
        (
            "i was scammed on whatsapp",
            Console,
            Harm(FRAUD, REPORT_FRAUD),
        ),
        (
            "my instagram account was hacked",
            Console,
            Harm(FRAUD, REPORT_FRAUD),
        ),
        (
            "phishing message pretending to be the nmc",
            Slack,
            Harm(FRAUD, REPORT_FRAUD),
        ),
        ("is this a scam", Console, Harm(FRAUD, REPORT_FRAUD)),
        (
            "locked out of my account after a hack",
            Discord,
            Harm(FRAUD, REPORT_FRAUD),
        ),
        ("!abuse-help fraud", Matrix, Harm(FRAUD, REPORT_FRAUD)),
        ("i feel suicidal", Console, Harm(DISTRESS, SAMARITANS)),
        (
            "i cant cope with the abuse anymore",
            Discord,
            Harm(DISTRESS, SAMARITANS),
        ),
        (
            "overwhelmed by the pile on",
            Slack,
            Harm(DISTRESS, SAMARITANS),
        ),
        ("i want to die", Matrix, Harm(DISTRESS, SAMARITANS)),
        ("thinking of self harm", Console, Harm(DISTRESS, SAMARITANS)),
        (
            "someone made a fake account of me on facebook",
            Console,
            Harm(FAKE_ACCOUNT, FACEBOOK_IMPERSONATION),
        ),
        (
            "someone is impersonating me on instagram",
            Discord,
            Harm(FAKE_ACCOUNT, INSTAGRAM_IMPERSONATION),
        ),
        (
            "fake profile using my photos on tiktok",
            Slack,
            Harm(FAKE_ACCOUNT, TIKTOK_IMPERSONATION),
        ),
        (
            "a youtube channel is pretending to be me",
            Matrix,
            Harm(FAKE_ACCOUNT, YOUTUBE_IMPERSONATION),
        ),
        (
            "impersonation on reddit",
            Console,
            Harm(FAKE_ACCOUNT, REDDIT_IMPERSONATION),
        ),
        (
            "someone is impersonating me on twitter",
            Console,
            Harm(FAKE_ACCOUNT, X_IMPERSONATION),
        ),
        (
            "an impersonaton account on x",
            Console,
            Harm(FAKE_ACCOUNT, X_IMPERSONATION),
        ),
        (
            "fake account on linkedin",
            Console,
            Harm(FAKE_ACCOUNT, LINKEDIN),
        ),
        (
            "!abuse-help facebook fake account",
            Console,
            Harm(FAKE_ACCOUNT, FACEBOOK_IMPERSONATION),
        ),
        (
            "!abuse-help fake-account instagram",
            Console,
            Harm(FAKE_ACCOUNT, INSTAGRAM_IMPERSONATION),
        ),
    ];
    for harm in HARMS {
        assert!(
            table
                .iter()
                .any(|(_, _, w)| matches!(w, Harm(id, _) if *id == harm.id)),
            "{} has no question",
            harm.id
        );
    }
    run(table);
}

/// Harassment on each platform people use leads with that platform's own report page, in the
/// words people use (aliases and typos included).
#[test]
fn every_platform_leads_with_its_report_page() {
    use Origin::*;
    use Want::*;
    let table: &[(&str, Origin, Want)] = &[
        (
            "someone is harassing me on facebook",
            Console,
            Platform("Facebook", FACEBOOK_SITE),
        ),
        (
            "bullied on fb",
            Discord,
            Platform("Facebook", FACEBOOK_SITE),
        ),
        (
            "nasty comments on my facebook page",
            Slack,
            Platform("Facebook", FACEBOOK_SITE),
        ),
        (
            "harassed on instagram",
            Console,
            Platform("Instagram", INSTAGRAM_SITE),
        ),
        (
            "trolls on insta",
            Matrix,
            Platform("Instagram", INSTAGRAM_SITE),
        ),
        (
            "abuse on threads",
            Console,
            Platform("Threads", INSTAGRAM_SITE),
        ),
        (
            "someone is harassing me on threads",
            Discord,
            Platform("Threads", INSTAGRAM_SITE),
        ),
        (
            "abusive messages on whatsapp",
            Console,
            Platform("WhatsApp", WHATSAPP_SITE),
        ),
        (
            "harassment in a whatsapp group",
            Slack,
            Platform("WhatsApp", WHATSAPP_SITE),
        ),
        (
            "trolled on linkedin",
            Console,
            Platform("LinkedIn", LINKEDIN_SITE),
        ),
        (
            "abuse on linked in",
            Matrix,
            Platform("LinkedIn", LINKEDIN_SITE),
        ),
        ("trolls on tiktok", Console, Platform("TikTok", TIKTOK_SITE)),
        (
            "horrible comments on my tik tok",
            Discord,
            Platform("TikTok", TIKTOK_SITE),
        ),
        (
            "harassment on youtube",
            Console,
            Platform("YouTube", YOUTUBE_SITE),
        ),
        (
            "mean comments under my youtube video",
            Slack,
            Platform("YouTube", YOUTUBE_SITE),
        ),
        (
            "harassed on reddit",
            Console,
            Platform("Reddit", REDDIT_SITE),
        ),
        (
            "bullying on snapchat",
            Console,
            Platform("Snapchat", SNAPCHAT_SITE),
        ),
        (
            "abuse on bluesky",
            Matrix,
            Platform("Bluesky", BLUESKY_SITE),
        ),
        (
            "harassment on bsky",
            Console,
            Platform("Bluesky", BLUESKY_SITE),
        ),
        (
            "trolled on mastodon",
            Console,
            Platform("Mastodon", MASTODON_SITE),
        ),
        (
            "abuse on the fediverse",
            Discord,
            Platform("Mastodon", MASTODON_SITE),
        ),
        ("harassed on twitter", Console, Platform("X", X_SITE)),
        ("abuse on X", Slack, Platform("X", X_SITE)),
        (
            "trolling on discord",
            Console,
            Platform("Discord", DISCORD_SITE),
        ),
        (
            "harassment in our slack",
            Console,
            Platform("Slack", SLACK_SITE),
        ),
        (
            "abuse in a matrix room",
            Console,
            Platform("Matrix", MATRIX_SITE),
        ),
        (
            "!abuse-help facebook",
            Console,
            Platform("Facebook", FACEBOOK_SITE),
        ),
        (
            "!abuse-help instagram",
            Console,
            Platform("Instagram", INSTAGRAM_SITE),
        ),
        (
            "!abuse-help threads",
            Console,
            Platform("Threads", INSTAGRAM_SITE),
        ),
        (
            "!abuse-help whatsapp",
            Console,
            Platform("WhatsApp", WHATSAPP_SITE),
        ),
        (
            "!abuse-help linkedin",
            Console,
            Platform("LinkedIn", LINKEDIN_SITE),
        ),
        (
            "!abuse-help tiktok",
            Console,
            Platform("TikTok", TIKTOK_SITE),
        ),
        (
            "!abuse-help youtube",
            Console,
            Platform("YouTube", YOUTUBE_SITE),
        ),
        (
            "!abuse-help reddit",
            Console,
            Platform("Reddit", REDDIT_SITE),
        ),
        (
            "!abuse-help snapchat",
            Console,
            Platform("Snapchat", SNAPCHAT_SITE),
        ),
        (
            "!abuse-help bluesky",
            Console,
            Platform("Bluesky", BLUESKY_SITE),
        ),
        (
            "!abuse-help mastodon",
            Console,
            Platform("Mastodon", MASTODON_SITE),
        ),
        ("!abuse help twitter", Console, Platform("X", X_SITE)),
        ("!abuse-help", Discord, Platform("Discord", DISCORD_SITE)),
        ("!abuse-help", Slack, Platform("Slack", SLACK_SITE)),
        ("!abuse-help", Matrix, Platform("Matrix", MATRIX_SITE)),
        // The whole answer holds the page the facts give for each.
        ("!abuse-help facebook all", Console, Has(FACEBOOK)),
        ("!abuse-help instagram all", Console, Has(INSTAGRAM)),
        ("!abuse-help whatsapp all", Console, Has(WHATSAPP)),
        ("!abuse-help tiktok all", Console, Has(TIKTOK)),
        ("!abuse-help youtube all", Console, Has(YOUTUBE)),
        ("!abuse-help reddit all", Console, Has(REDDIT)),
        ("!abuse-help snapchat all", Console, Has(SNAPCHAT)),
        ("!abuse-help bluesky all", Console, Has(BLUESKY)),
        ("!abuse-help mastodon all", Console, Has(MASTODON)),
        ("!abuse-help x all", Console, Has(X)),
        ("!abuse-help discord all", Console, Has(DISCORD)),
        ("!abuse-help slack all", Console, Has(SLACK)),
        ("!abuse-help matrix all", Console, Has(MATRIX)),
        ("!abuse-help linkedin all", Console, Has(LINKEDIN)),
    ];
    for platform in &index().platforms {
        assert!(
            table
                .iter()
                .any(|(_, _, w)| matches!(w, Platform(name, _) if platform.name.contains(name))),
            "{} has no question",
            platform.id
        );
    }
    run(table);
}
