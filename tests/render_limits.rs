//! Long replies respect each platform's size limits by splitting between items, never inside a
//! link.

use signpost::render::{discord, matrix, slack, Target};
use signpost::reply::{Item, Reply, Section};

/// Checks every message `target` makes of `reply` against that platform's limits. Plain text
/// (the console) has none.
pub fn assert_within_limits(target: Target, reply: &Reply) {
    match target {
        Target::Plain => {}
        Target::Discord => {
            for m in &discord::to_messages(reply) {
                assert!(m.content.chars().count() <= discord::CONTENT_LIMIT);
                assert!(m.embeds.len() <= discord::EMBEDS_PER_MESSAGE);
                let mut total = 0;
                for e in &m.embeds {
                    let title = e.title.as_ref().map_or(0, |t| t.chars().count());
                    let description = e.description.chars().count();
                    assert!(title <= discord::TITLE_LIMIT, "embed title of {title}");
                    assert!(description <= discord::DESCRIPTION_LIMIT, "{description}");
                    total += title + description;
                }
                assert!(total <= discord::EMBED_TOTAL_LIMIT, "embeds total {total}");
            }
            for text in discord::to_texts(reply) {
                assert!(text.chars().count() <= discord::CONTENT_LIMIT);
            }
        }
        Target::Slack => {
            for m in &slack::to_messages(reply) {
                assert!(m.blocks.len() <= slack::BLOCKS_PER_MESSAGE);
                assert!(!m.text.is_empty(), "a notification fallback");
                assert!(m.text.chars().count() <= slack::SECTION_LIMIT);
                for b in &m.blocks {
                    let (limit, texts) = match b {
                        slack::Block::Header { text } => (slack::HEADER_LIMIT, vec![text]),
                        slack::Block::Section { text } => (slack::SECTION_LIMIT, vec![text]),
                        slack::Block::Context { elements } => {
                            (slack::SECTION_LIMIT, elements.iter().collect())
                        }
                        slack::Block::Divider | slack::Block::Actions { .. } => (0, Vec::new()),
                    };
                    for text in texts {
                        let length = text.text.chars().count();
                        assert!(length <= limit, "{length} characters in {b:?}");
                    }
                }
            }
        }
        Target::Matrix => {
            for c in &matrix::to_contents(reply) {
                // Packing charges each chunk 4 bytes beyond its two texts, more than the
                // separators that join them (1 byte in HTML, at most 2 in plain text), so an
                // event passes the limit only if one item (with its heading) is that big alone.
                let size = c.body.len() + c.formatted_body.len();
                assert!(size <= matrix::EVENT_TEXT_LIMIT, "{size} bytes");
            }
        }
    }
}

fn long_reply(items: usize) -> Reply {
    let mut reply = Reply::titled("A very long list");
    let items = (0..items)
        .map(|n| {
            let mut item = Item::titled(format!(
                "Resource number {n} with a fairly long descriptive title"
            ));
            item.url = Some(
                format!("https://example.org/resources/{n}/a-long-path-that-should-never-be-cut")
                    .parse()
                    .unwrap(),
            );
            item.meta = vec!["Publisher".into(), "2024".into()];
            item.details = vec![vec![
                "A summary line that pads each item out to a realistic length for a chat message."
                    .into(),
            ]];
            item
        })
        .collect();
    reply.sections.push(Section {
        heading: Some("Everything".into()),
        lines: vec![],
        items,
    });
    reply
}

/// Discord messages stay within content, embed and per-message limits, and keep every link whole.
#[test]
fn discord_limits() {
    let reply = long_reply(200);
    let messages = discord::to_messages(&reply);
    assert!(messages.len() > 1, "a long reply is split");
    assert_within_limits(Target::Discord, &reply);
    let links: usize = messages
        .iter()
        .flat_map(|m| &m.embeds)
        .map(|e| e.description.matches("-should-never-be-cut>)").count())
        .sum();
    assert_eq!(links, 200, "every link arrives whole, once");
    let whole: usize = discord::to_texts(&reply)
        .iter()
        .map(|t| t.matches("-should-never-be-cut>)").count())
        .sum();
    assert_eq!(whole, 200);
}

/// Slack sections, headers and messages stay within their limits, and keep every link whole.
#[test]
fn slack_limits() {
    let reply = long_reply(1_200);
    let messages = slack::to_messages(&reply);
    assert!(messages.len() > 1);
    assert_within_limits(Target::Slack, &reply);
    let mut links = 0;
    for b in messages.iter().flat_map(|m| &m.blocks) {
        if let slack::Block::Section { text } = b {
            links += text.text.matches("-should-never-be-cut|").count();
        }
    }
    assert_eq!(links, 1_200);
}

/// Matrix events stay within `EVENT_TEXT_LIMIT` (well under the 64 KiB event limit), with both
/// bodies split at the same items.
#[test]
fn matrix_limits() {
    let reply = long_reply(600);
    let contents = matrix::to_contents(&reply);
    assert!(contents.len() > 1);
    assert_within_limits(Target::Matrix, &reply);
    let mut html_links = 0;
    let mut plain_links = 0;
    for c in &contents {
        html_links += c.formatted_body.matches("-should-never-be-cut\"").count();
        plain_links += c.body.matches("-should-never-be-cut").count();
        assert_eq!(
            c.formatted_body.matches("<p>").count(),
            c.formatted_body.matches("</p>").count()
        );
    }
    assert_eq!(html_links, 600);
    assert_eq!(plain_links, 600);
}

/// Real replies fit in one message on every platform (the index is small enough).
#[test]
fn real_replies_fit_one_message() {
    for command in [
        "!guidance social worker",
        "!guidance psychiatrist",
        "!help",
        "!tips",
    ] {
        let reply = crate::support::answer(command);
        for target in [Target::Slack, Target::Matrix] {
            assert_eq!(
                target.to_payloads(&reply).len(),
                1,
                "{command} on {target:?}"
            );
        }
        assert_eq!(
            discord::to_messages(&reply).len(),
            1,
            "{command} on Discord"
        );
    }
}

/// A link that is not confirmed never shows the success mark on Discord or Slack:
/// every guidance answer's lines that say "unverified link" carry the unverified mark, and
/// at least one such line is a current item's (so the check has something to catch).
#[test]
fn unverified_links_never_show_the_success_mark() {
    use signpost::reply::Badge;
    let index = crate::support::index();
    let mut current_unverified = 0;
    for target in [Target::Discord, Target::Slack] {
        for p in &index.professions {
            let text = crate::support::rendered(&format!("!guidance {}", p.id), target);
            for line in text.lines().filter(|l| l.contains("unverified link")) {
                assert!(
                    !line.contains(Badge::Current.symbol()),
                    "{target:?}: {line}"
                );
                assert!(
                    line.contains(Badge::Unverified.symbol()),
                    "{target:?}: {line}"
                );
                if line.contains(Badge::Current.label()) {
                    current_unverified += 1;
                }
            }
        }
    }
    assert!(
        current_unverified > 0,
        "no current item with an unconfirmed link to check"
    );
}
