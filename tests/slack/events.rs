//! The Events API: the URL challenge, mentions and messages answered with `chat.postMessage` in
//! the thread, retries de-duplicated, bots and edits ignored, and 429s waited out.

use std::time::Duration;

use serde_json::json;

use crate::support::slack::{
    callback, mention, message, mrkdwn_texts, HttpAdapter, WebApiPeer, BOT_TOKEN, BOT_USER,
};

/// A sentinel event whose answer shows that everything sent before it has been handled.
async fn sentinel(adapter: &HttpAdapter, peer: &WebApiPeer, posts_before: usize) {
    let event = callback(
        "EvSENTINEL",
        message("CSENTINEL", "channel", "!about", "1.000001"),
    );
    assert_eq!(adapter.event(&event, &[]).await, 200);
    let posts = peer.wait_for("chat.postMessage", posts_before + 1).await;
    assert_eq!(posts[posts_before].body["channel"], "CSENTINEL");
}

/// `url_verification` is answered with its challenge.
#[tokio::test]
async fn url_verification_echoes_the_challenge() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let payload = json!({"token": "x", "type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"});
    let response = adapter
        .signed("/slack/events", &payload.to_string(), &[])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["challenge"],
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    );
}

/// A mention is answered in a thread under it, with blocks, a fallback and no link previews.
#[tokio::test]
async fn app_mention_is_answered_in_thread() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let event = callback(
        "Ev01",
        mention("C0GENERAL", "guidance nurse", "1700000000.000100"),
    );
    assert_eq!(adapter.event(&event, &[]).await, 200);
    let posts = peer.wait_for("chat.postMessage", 1).await;
    let post = &posts[0].body;
    assert_eq!(post["channel"], "C0GENERAL");
    assert_eq!(post["thread_ts"], "1700000000.000100");
    assert_eq!(post["unfurl_links"], false);
    assert_eq!(
        post["blocks"][0]["text"]["text"],
        "Social media guidance: Nurse"
    );
    assert!(
        post["blocks"]
            .to_string()
            .contains("<https://www.nmc.org.uk/"),
        "{post}"
    );
    assert!(!post["text"].as_str().unwrap().is_empty());
    assert_eq!(
        posts[0].authorization.as_deref(),
        Some(format!("Bearer {BOT_TOKEN}").as_str())
    );
    // auth.test ran once at start, with the same token.
    assert_eq!(peer.calls("auth.test").len(), 1);
}

/// In channels only `!` commands are answered (in the message's thread); in DMs plain words are.
#[tokio::test]
async fn messages_need_the_prefix_except_in_dms() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let mut reply_in_thread = message("C0CHAN", "channel", "!guidance gp", "1700000002.000300");
    reply_in_thread["thread_ts"] = json!("1700000000.000100");
    let chat = message(
        "C0CHAN",
        "channel",
        "guidance for everyone is here",
        "1700000003.000400",
    );
    let dm = message("D0ALICE", "im", "guidance paramedic", "1700000004.000500");
    for (id, event) in [("Ev10", reply_in_thread), ("Ev11", chat), ("Ev12", dm)] {
        assert_eq!(adapter.event(&callback(id, event), &[]).await, 200);
    }
    let posts = peer.wait_for("chat.postMessage", 2).await;
    let mut seen: Vec<(String, String)> = posts
        .iter()
        .map(|p| {
            let channel = p.body["channel"].as_str().unwrap().to_string();
            (channel, p.body["thread_ts"].as_str().unwrap().to_string())
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("C0CHAN".to_string(), "1700000000.000100".to_string()),
            ("D0ALICE".to_string(), "1700000004.000500".to_string()),
        ]
    );
    sentinel(&adapter, &peer, 2).await;
    assert_eq!(peer.calls("chat.postMessage").len(), 3, "chat was answered");
}

/// A private answer asked for in a channel goes only to the asker (`chat.postEphemeral`).
#[tokio::test]
async fn private_answers_in_channels_are_ephemeral() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let event = message(
        "C0CHAN",
        "channel",
        "!abuse-help private",
        "1700000005.000600",
    );
    assert_eq!(adapter.event(&callback("Ev20", event), &[]).await, 200);
    let posts = peer.wait_for("chat.postEphemeral", 1).await;
    assert_eq!(posts[0].body["channel"], "C0CHAN");
    assert_eq!(posts[0].body["user"], "UALICE");
    assert!(posts[0].body["blocks"]
        .to_string()
        .contains("slack.com/help/articles/22130526790291"));
    assert!(peer.calls("chat.postMessage").is_empty());
}

/// Mentions and links typed by people come back escaped: no `<!channel>` or `<@U…>` is sent.
#[tokio::test]
async fn posted_replies_escape_input() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let text = "search <!channel> <@U0LEAKED> <https://evil.example|nhs.uk> &amp;";
    let event = callback("Ev30", mention("C0CHAN", text, "1700000006.000700"));
    assert_eq!(adapter.event(&event, &[]).await, 200);
    let posts = peer.wait_for("chat.postMessage", 1).await;
    let texts = mrkdwn_texts(&posts[0].body);
    for text in &texts {
        for forbidden in ["<!channel>", "<@U0LEAKED>", "<https://evil.example"] {
            assert!(!text.contains(forbidden), "{forbidden} in {text}");
        }
    }
    assert!(texts[0].contains("&lt;!channel&gt;"), "{texts:?}");
}

/// Slack's retries of one event (same `event_id`, `X-Slack-Retry-Num`) give exactly one reply.
#[tokio::test]
async fn retried_deliveries_reply_once() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let event = callback("Ev40", mention("C0CHAN", "tips", "1700000007.000800"));
    assert_eq!(adapter.event(&event, &[]).await, 200);
    for retry in ["1", "2", "3"] {
        let headers = [
            ("x-slack-retry-num", retry),
            ("x-slack-retry-reason", "http_timeout"),
        ];
        assert_eq!(adapter.event(&event, &headers).await, 200);
    }
    sentinel(&adapter, &peer, 1).await;
    let posts = peer.calls("chat.postMessage");
    assert_eq!(posts.len(), 2, "{posts:#?}");
    assert_eq!(posts[0].body["thread_ts"], "1700000007.000800");
}

/// Bot messages (its own included), edits, deletions and other subtypes get no reply.
#[tokio::test]
async fn bots_and_edits_are_ignored() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let mut from_bot = message("C0CHAN", "channel", "!guidance nurse", "1.1");
    from_bot["bot_id"] = json!("B0OTHER");
    let mut bot_message = message("C0CHAN", "channel", "!guidance nurse", "1.2");
    bot_message["subtype"] = json!("bot_message");
    let mut own = message("D0ALICE", "im", "guidance nurse", "1.3");
    own["user"] = json!(BOT_USER);
    let edit = json!({
        "type": "message", "subtype": "message_changed", "channel": "C0CHAN",
        "channel_type": "channel", "ts": "1.4",
        "message": {"type": "message", "user": "UALICE", "text": "!guidance nurse", "ts": "1.0"},
    });
    let mut deleted = message("C0CHAN", "channel", "!guidance nurse", "1.5");
    deleted["subtype"] = json!("message_deleted");
    let mut own_mention = mention("C0CHAN", "guidance nurse", "1.6");
    own_mention["user"] = json!(BOT_USER);
    // A mention also arrives as a plain message: only the app_mention copy is answered.
    let mention_copy = message("C0CHAN", "channel", &format!("<@{BOT_USER}> !tips"), "1.7");
    let events = [
        from_bot,
        bot_message,
        own,
        edit,
        deleted,
        own_mention,
        mention_copy,
    ];
    for (i, event) in events.into_iter().enumerate() {
        assert_eq!(
            adapter
                .event(&callback(&format!("Ev5{i}"), event), &[])
                .await,
            200
        );
    }
    sentinel(&adapter, &peer, 0).await;
    assert_eq!(peer.calls("chat.postMessage").len(), 1);
    assert!(peer.calls("chat.postEphemeral").is_empty());
}

/// A 429 with `Retry-After: 1` is waited out once, then the reply goes through.
#[tokio::test]
async fn rate_limited_post_is_retried_after_retry_after() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    peer.rate_limit_next("chat.postMessage", 1);
    let event = callback("Ev60", mention("C0CHAN", "about", "1700000008.000900"));
    assert_eq!(adapter.event(&event, &[]).await, 200);
    let posts = peer.wait_for("chat.postMessage", 2).await;
    assert_eq!((posts[0].status, posts[1].status), (429, 200));
    assert_eq!(
        posts[0].body, posts[1].body,
        "the same message is sent again"
    );
    let waited = posts[1].at - posts[0].at;
    assert!(
        waited >= Duration::from_millis(950),
        "retried only after Retry-After: {waited:?}"
    );
    // Had the first attempt been retried again, that post would come before the sentinel's.
    sentinel(&adapter, &peer, 2).await;
    assert_eq!(peer.calls("chat.postMessage").len(), 3, "retried once only");
}

/// Opening Signpost's App Home publishes a Home tab for that person with the getting-started,
/// abuse-help and help answers, in that order, within Slack's block limit; opening the
/// Messages tab publishes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_the_app_home_publishes_the_home_tab() {
    use signpost::adapters::slack::home::{HOME_BLOCKS, SECTIONS};
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let opened = |id: &str, tab: &str| {
        callback(
            id,
            serde_json::json!({ "type": "app_home_opened", "user": "UALICE", "tab": tab }),
        )
    };
    assert_eq!(
        adapter.event(&opened("EvHomeMsg", "messages"), &[]).await,
        200
    );
    assert_eq!(adapter.event(&opened("EvHome", "home"), &[]).await, 200);
    let published = peer.wait_for("views.publish", 1).await;
    assert_eq!(published.len(), 1, "only the home tab is published");
    let body = &published[0].body;
    assert_eq!(body["user_id"], "UALICE");
    assert_eq!(body["view"]["type"], "home");
    let blocks = body["view"]["blocks"].as_array().expect("blocks");
    assert!(!blocks.is_empty() && blocks.len() <= HOME_BLOCKS);
    let dividers = blocks.iter().filter(|b| b["type"] == "divider").count();
    assert_eq!(dividers, SECTIONS.len() - 1, "one divider between sections");
    let headers: Vec<&str> = blocks
        .iter()
        .filter(|b| b["type"] == "header")
        .filter_map(|b| b["text"]["text"].as_str())
        .collect();
    let core = crate::support::slack::shared_core();
    let titles: Vec<String> = SECTIONS
        .iter()
        .map(|name| {
            let mut m = signpost::Incoming::new(*name, signpost::Origin::Slack);
            m.addressed = true;
            core.handle(&m).expect("an answer").title
        })
        .collect();
    let firsts: Vec<usize> = titles
        .iter()
        .map(|t| {
            headers
                .iter()
                .position(|h| h.starts_with(t.chars().take(20).collect::<String>().as_str()))
                .unwrap_or_else(|| panic!("{t} not in {headers:?}"))
        })
        .collect();
    assert!(
        firsts.windows(2).all(|w| w[0] < w[1]),
        "in order: {headers:?}"
    );
}
