//! Long replies respect each platform's size limits by splitting between items, never inside a
//! link.

use signpost::render::{discord, matrix, slack, Target};
use signpost::reply::{Item, Reply, Section};

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
    let mut links = 0;
    for m in &messages {
        assert!(m.content.chars().count() <= discord::CONTENT_LIMIT);
        assert!(m.embeds.len() <= discord::EMBEDS_PER_MESSAGE);
        let total: usize = m
            .embeds
            .iter()
            .map(|e| {
                e.description.chars().count() + e.title.as_ref().map_or(0, |t| t.chars().count())
            })
            .sum();
        assert!(total <= discord::EMBED_TOTAL_LIMIT, "{total}");
        for e in &m.embeds {
            assert!(e.description.chars().count() <= discord::DESCRIPTION_LIMIT);
            links += e.description.matches("-should-never-be-cut>)").count();
        }
    }
    assert_eq!(links, 200, "every link arrives whole, once");
    for text in discord::to_texts(&reply) {
        assert!(text.chars().count() <= discord::CONTENT_LIMIT);
    }
    let whole: usize = discord::to_texts(&reply)
        .iter()
        .map(|t| t.matches("-should-never-be-cut>)").count())
        .sum();
    assert_eq!(whole, 200);
}

/// Slack sections stay under 3,000 characters and messages under 50 blocks.
#[test]
fn slack_limits() {
    let reply = long_reply(1_200);
    let messages = slack::to_messages(&reply);
    assert!(messages.len() > 1);
    let mut links = 0;
    for m in &messages {
        assert!(m.blocks.len() <= slack::BLOCKS_PER_MESSAGE);
        assert!(!m.text.is_empty(), "a notification fallback");
        for b in &m.blocks {
            if let slack::Block::Section { text } = b {
                assert!(text.text.chars().count() <= slack::SECTION_LIMIT);
                links += text.text.matches("-should-never-be-cut|").count();
            }
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
    let mut html_links = 0;
    let mut plain_links = 0;
    for c in &contents {
        // Packing charges each chunk 4 bytes beyond its two texts, more than the separators
        // that join them (1 byte in HTML, at most 2 in plain text), so an event passes the
        // limit only if one item (with its heading) is that big alone.
        let size = c.body.len() + c.formatted_body.len();
        assert!(size <= matrix::EVENT_TEXT_LIMIT, "{size} bytes");
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
