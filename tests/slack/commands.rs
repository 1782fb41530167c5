//! Slash commands, answered inline in the HTTP response.

use serde_json::Value;

use crate::support::slack::{HttpAdapter, WebApiPeer};

/// Everything a person sees in a slash-command answer, as one string.
fn shown(answer: &Value) -> String {
    answer["blocks"].to_string()
}

/// `/guidance nurse` answers in the channel with the NMC's guidance as a Block Kit link.
#[tokio::test]
async fn guidance_answers_inline_in_channel() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let (status, answer) = adapter
        .slash("/guidance", "nurse", &peer.response_url("1"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer["response_type"], "in_channel");
    assert_eq!(answer["blocks"][0]["type"], "header");
    assert_eq!(
        answer["blocks"][0]["text"]["text"],
        "Social media guidance: Nurse"
    );
    assert!(
        shown(&answer).contains("<https://www.nmc.org.uk/"),
        "{answer}"
    );
    assert!(!answer["text"].as_str().unwrap_or_default().is_empty());
    // One message only: nothing goes to response_url.
    assert!(peer.calls("response_url").is_empty());
}

/// `/abuse-help private` is ephemeral and leads with Slack's own reporting page.
#[tokio::test]
async fn abuse_help_private_is_ephemeral() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let (status, answer) = adapter
        .slash("/abuse-help", "private", &peer.response_url("2"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer["response_type"], "ephemeral");
    assert!(
        shown(&answer).contains("slack.com/help/articles/22130526790291"),
        "{answer}"
    );
}

/// `/signpost` runs any command; alone it lists every command in the table, written as
/// `/signpost …` commands.
#[tokio::test]
async fn umbrella_command_runs_any_command() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let url = peer.response_url("3");
    let (_, answer) = adapter
        .slash("/signpost", "guidance social worker", &url)
        .await;
    assert_eq!(answer["response_type"], "in_channel");
    assert!(shown(&answer).contains("Social worker"), "{answer}");
    let (_, help) = adapter.slash("/signpost", "", &url).await;
    // Pointers are typed through the umbrella command, which every install registers.
    assert!(
        shown(&help).contains("`/signpost guidance") && !shown(&help).contains("`!guidance"),
        "{help}"
    );
    for spec in signpost::command::COMMANDS {
        assert!(
            shown(&help).contains(spec.name),
            "{} missing from {help}",
            spec.name
        );
    }
}

/// A mistyped command name is understood: the answer is the guidance itself, saying how it
/// was read, rather than an error.
#[tokio::test]
async fn typos_in_command_names_are_understood() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let (status, answer) = adapter
        .slash("/signpost", "guidence nurse", &peer.response_url("4"))
        .await;
    assert_eq!(status, 200);
    let text = shown(&answer);
    assert!(text.contains("nmc.org.uk"), "{answer}");
    assert!(
        text.contains("guidance nurse"),
        "the reading is shown: {answer}"
    );
}

/// Echoed input cannot ping: `<!channel>` and `<@U…>` come back escaped in every mrkdwn text.
#[tokio::test]
async fn slash_input_cannot_mention() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    // Slack sends typed `<`, `>` and `&` escaped, and mentions as `<!channel>`, `<@U…>`.
    let (_, answer) = adapter
        .slash(
            "/search",
            "<!channel> <@U0LEAKED> &amp; &lt;!here&gt;",
            &peer.response_url("5"),
        )
        .await;
    for text in crate::support::slack::mrkdwn_texts(&answer) {
        for forbidden in ["<!channel>", "<!here>", "<@U0LEAKED>"] {
            assert!(!text.contains(forbidden), "{forbidden} in {text}");
        }
    }
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .contains("&lt;!channel&gt;"),
        "{answer}"
    );
}

/// The interactions route acknowledges signed requests with an empty 200.
#[tokio::test]
async fn interactions_are_acknowledged() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let response = adapter
        .signed(
            "/slack/interactions",
            "payload=%7B%22type%22%3A%22block_actions%22%7D",
            &[],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "");
}

/// The health check answers `ok`, unsigned.
#[tokio::test]
async fn health_check() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    assert_eq!(adapter.get("/healthz").await, (200, "ok".to_string()));
}

/// Slack's signed `ssl_check` probe gets an empty 200; a payload without a command gets 400.
#[tokio::test]
async fn ssl_check_is_acknowledged() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let probe = adapter
        .signed("/slack/commands", "ssl_check=1&token=deprecated", &[])
        .await;
    assert_eq!(probe.status().as_u16(), 200);
    assert_eq!(probe.text().await.unwrap(), "");
    let empty = adapter.signed("/slack/commands", "text=nurse", &[]).await;
    assert_eq!(empty.status().as_u16(), 400);
}

/// Review commands follow `slack.moderators`: the slash command's `user_id` in the list may
/// review, anyone else is politely refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_commands_know_slack_moderators() {
    let peer = WebApiPeer::start().await;
    let refused = |answer: &Value| answer.to_string().contains("only moderators");
    for (moderators, expect_refusal) in [(vec![], true), (vec!["UALICE".to_string()], false)] {
        let adapter = HttpAdapter::start_with(&peer, |service| {
            service.moderators = std::sync::Arc::new(signpost::config::Moderators {
                slack_users: moderators.clone(),
                ..Default::default()
            })
        })
        .await;
        // The slash helper sends as UALICE.
        let (status, answer) = adapter
            .slash("/suggestions", "", &peer.response_url("review"))
            .await;
        assert_eq!(status, 200);
        assert_eq!(refused(&answer), expect_refusal, "{moderators:?}: {answer}");
    }
}

/// A refusal offers no buttons, while a private answer offers its public copy: `/signpost
/// suggestions` from someone who is no moderator is an ephemeral refusal with no actions
/// block; `/abuse-help private` carries the "Post to channel" button.
#[tokio::test]
async fn refusals_carry_no_buttons() {
    use signpost::action::Action;
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let has_actions = |answer: &Value| {
        answer["blocks"]
            .as_array()
            .is_some_and(|b| b.iter().any(|b| b["type"] == "actions"))
    };
    let (status, refusal) = adapter
        .slash("/signpost", "suggestions", &peer.response_url("9"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(refusal["response_type"], "ephemeral");
    assert!(!has_actions(&refusal), "{refusal}");
    let (_, private) = adapter
        .slash("/abuse-help", "private", &peer.response_url("10"))
        .await;
    assert!(has_actions(&private), "{private}");
    assert!(
        private.to_string().contains(&Action::PostToChannel.to_id()),
        "{private}"
    );
}
