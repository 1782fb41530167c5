//! Questions about Signpost itself, the failures people met, and off-topic chat that must get
//! no link at all.

use signpost::Origin;

use super::answers::{run, Want, DISCORD_SITE, KOLMES, MARK_BROWN, REVENGE_PORN_HELPLINE};
use super::professions::NMC;

/// Questions about Signpost itself are answered by `!about`; named talks, policies and
/// authors are found by search even with words the index does not hold; and the failures
/// people met are fixed.
#[test]
fn about_search_and_the_failures_people_met() {
    use Origin::*;
    use Want::*;
    let table: &[(&str, Origin, Want)] = &[
        ("when was this list last updated", Console, About),
        ("are these links verified?", Discord, About),
        ("who made this", Slack, About),
        ("who made you", Console, About),
        ("where does this information come from", Console, About),
        ("how up to date is this", Matrix, About),
        ("are the links checked", Console, About),
        (
            "kolmes social media policy template",
            Console,
            First(KOLMES),
        ),
        ("mark brown's talk at expo 2014", Console, First(MARK_BROWN)),
        (
            "any top tips for posting online as a registered professional",
            Console,
            Title("tips"),
        ),
        ("top tips", Console, Title("tips")),
        ("how do i get started", Console, Title("Getting started")),
        (
            "something to read about social media",
            Console,
            Title("Articles"),
        ),
        (
            "someone shared intimate photos of me",
            Console,
            Has(REVENGE_PORN_HELPLINE),
        ),
        ("!guidence nurse", Console, First(NMC)),
        ("!abuse help", Discord, Platform("Discord", DISCORD_SITE)),
    ];
    run(table);
}

/// Forty and more lines of chat or off-topic requests get a short answer with no link, no
/// abuse help and no guidance: unrelated words never pick an answer.
#[test]
fn off_topic_gets_no_link() {
    let table: &[&str] = &[
        "what's the capital of france",
        "capital of spain",
        "can you book me a GP appointment",
        "book me a nurse appointment please",
        "i need a repeat prescription",
        "can i get a sick note",
        "whats the weather like in leeds",
        "tell me a joke",
        "who won the football",
        "what are the lottery numbers",
        "should i buy bitcoin",
        "help with my homework",
        "translate this into welsh",
        "directions to the hospital",
        "opening hours of the pharmacy",
        "where can i park",
        "when is my pay rise",
        "where is my payslip",
        "how much annual leave do i get",
        "write me a poem",
        "diagnose my rash",
        "what is the diagnosis for chest pain",
        "blood test results",
        "cheers mate",
        "thanks",
        "thank you so much",
        "hello",
        "hi there",
        "good morning",
        "hiya",
        "ok",
        "cool",
        "lovely",
        "bye",
        "paris france",
        "france",
        "banana",
        "the quick brown fox",
        "asdfghjkl",
        "lorem ipsum dolor",
        "what time is it",
        "recipe for lasagne",
        "can you order me a taxi",
        "what is two plus two",
    ];
    assert!(table.len() >= 40);
    let table: Vec<(&str, Origin, Want)> = table
        .iter()
        .enumerate()
        .map(|(n, text)| {
            let origin = [
                Origin::Console,
                Origin::Discord,
                Origin::Slack,
                Origin::Matrix,
            ][n % 4];
            (*text, origin, Want::NoLink)
        })
        .collect();
    run(&table);
}
