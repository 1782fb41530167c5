//! Turning index entries into reply items, shared by every command that lists resources.

use crate::index::{Index, Resource, Status};
use crate::reply::{code, Badge, Inline, Item, Line};

/// The badge for a status.
pub fn badge(status: Status) -> Badge {
    match status {
        Status::Current => Badge::Current,
        Status::Draft => Badge::Draft,
        Status::Historic => Badge::Historic,
        Status::Superseded => Badge::Superseded,
        Status::Unverified => Badge::Unverified,
    }
}

/// How much of a resource to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Title, link, badge, publisher and date, summary, cautions.
    List,
    /// Everything, for `!resource`.
    Full,
    /// Title, link and badge with one short line of why (its phone for a helpline), for a
    /// short first answer ([`super::more`]).
    Brief,
}

/// A resource as a list item.
pub fn resource_item(index: &Index, r: &Resource, detail: Detail) -> Item {
    if detail == Detail::Brief {
        return brief_item(r);
    }
    let mut meta = vec![r.publisher.clone(), r.when_label()];
    if let Some(body) = r.body {
        meta.push(body.label().to_string());
    }
    if let (Some(_), Some(day)) = (&r.url, r.last_verified) {
        meta.push(format!("link checked {day}"));
    }
    let mut details: Vec<Line> = vec![vec![Inline::Text(r.summary.clone())]];
    if let Some(newer) = r.superseded_by.map(|i| &index.resources[i]) {
        let mut line: Line = vec!["Replaced by: ".into()];
        match &newer.url {
            Some(url) => line.push(Inline::Link {
                text: newer.title.clone(),
                url: url.clone(),
            }),
            None => line.push(Inline::Text(newer.title.clone())),
        }
        line.push(format!(" ({})", newer.when_label()).into());
        details.push(line);
    }
    if r.url.is_none() {
        details.push(vec!["No link has been found for this yet.".into()]);
    } else if !r.url_confirmed {
        details.push(vec![
            "Link not confirmed: it is the best known address.".into()
        ]);
    }
    if let Some(phone) = &r.phone {
        let mut text = format!("Phone: {phone}");
        if let Some(hours) = &r.hours {
            text.push_str(&format!(" ({hours})"));
        }
        details.push(vec![text.into()]);
    } else if let Some(hours) = &r.hours {
        details.push(vec![format!("Hours: {hours}").into()]);
    }
    if let Some(email) = &r.email {
        details.push(vec![format!("Email: {email}").into()]);
    }
    if let Some(note) = &r.note {
        details.push(vec![Inline::Text(format!("Note: {note}"))]);
    }
    if detail == Detail::Full {
        if !r.professions.is_empty() {
            let names: Vec<&str> = r
                .professions
                .iter()
                .map(|&p| index.professions[p].name.as_str())
                .collect();
            details.push(vec![format!("For: {}", names.join(", ")).into()]);
        }
        if !r.nations.is_empty() {
            let names: Vec<&str> = r.nations.iter().map(|n| n.name()).collect();
            details.push(vec![format!("Applies in: {}", names.join(", ")).into()]);
        }
        details.push(vec!["Id: ".into(), code(r.id.clone())]);
    }
    Item {
        title: r.title.clone(),
        url: r.url.clone(),
        url_unverified: r.url.is_some() && !r.url_confirmed,
        badge: Some(badge(r.status)),
        meta,
        details,
    }
}

/// A resource in a short answer: how to reach it, and one line of why.
fn brief_item(r: &Resource) -> Item {
    let why = match (&r.phone, &r.hours) {
        (Some(phone), Some(hours)) => format!("{phone} ({hours}). {}", r.summary),
        (Some(phone), None) => format!("{phone}. {}", r.summary),
        _ => format!("{}, {}: {}", r.publisher, r.when_label(), r.summary),
    };
    Item {
        title: r.title.clone(),
        url: r.url.clone(),
        url_unverified: r.url.is_some() && !r.url_confirmed,
        badge: Some(badge(r.status)),
        meta: Vec::new(),
        details: vec![vec![Inline::Text(super::more::cut_at_word(
            &why,
            super::more::WHY_LIMIT,
        ))]],
    }
}
