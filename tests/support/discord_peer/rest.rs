//! The peer's REST API: records every request, answers scripted ones, and otherwise answers
//! like Discord's v10 endpoints that a bot uses (gateway URL, current user and application,
//! command registration, messages (posting, reading, deleting), interaction callbacks,
//! follow-ups and deleting an interaction's message, DM channels).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use serde_json::{json, Value};
use tokio::net::TcpListener;

use super::{fixture, Recorded, State};

pub(super) async fn serve_rest(state: Arc<State>, listener: TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_http(Arc::clone(&state), stream));
    }
}

/// Serves HTTP/1.1 with keep-alive on one connection, plain or TLS.
pub(super) async fn serve_http<S>(state: Arc<State>, stream: S)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request| {
        let state = Arc::clone(&state);
        async move { Ok::<_, Infallible>(answer(&state, request).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
        .await;
}

fn reply(status: u16, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = StatusCode::from_u16(status).expect("valid status");
    response
        .headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    response
}

fn json_reply(status: u16, body: &Value) -> Response<Full<Bytes>> {
    reply(status, Bytes::from(body.to_string()))
}

async fn answer(state: &State, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let body = request
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let scripted = {
        let mut scripted = state.scripted.lock().unwrap();
        let at = scripted
            .iter()
            .position(|s| path.contains(&s.path_contains));
        at.and_then(|i| scripted.remove(i))
    };
    let parsed_body = (method == "PUT").then(|| serde_json::from_slice::<Value>(&body).ok());
    state.requests.lock().unwrap().push(Recorded {
        method: method.clone(),
        path: path.clone(),
        body: if state.keep_bodies {
            body
        } else {
            Bytes::new()
        },
        at: Instant::now(),
    });
    loop {
        let released = state.released.notified();
        let held = state.held.lock().unwrap().clone();
        match held {
            Some(held) if path.contains(&held) => released.await,
            _ => break,
        }
    }
    if let Some(s) = scripted {
        let mut response = json_reply(s.status, &s.body);
        for (name, value) in s.headers {
            response.headers_mut().insert(
                hyper::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        return response;
    }
    let parts: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    match (method.as_str(), parts.as_slice()) {
        ("GET", ["gateway"]) => json_reply(200, &json!({ "url": state.gateway_url })),
        ("GET", ["gateway", "bot"]) => json_reply(
            200,
            &json!({
                "url": state.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1
                }
            }),
        ),
        ("GET", ["users", "@me"]) => json_reply(200, &fixture("user_me")),
        ("GET", ["applications", "@me"]) | ("GET", ["oauth2", "applications", "@me"]) => {
            json_reply(200, &fixture("application"))
        }
        ("PUT", ["applications", app, "commands"]) => {
            json_reply(200, &registered(parsed_body.flatten(), app, None))
        }
        ("PUT", ["applications", app, "guilds", guild, "commands"]) => {
            json_reply(200, &registered(parsed_body.flatten(), app, Some(guild)))
        }
        ("POST", ["channels", _, "messages"]) | ("POST", ["webhooks", _, _]) => {
            reply(200, state.message.clone())
        }
        ("POST", ["interactions", _, _, "callback"]) => {
            let mut response = reply(204, Bytes::new());
            response.headers_mut().remove("content-type");
            response
        }
        ("POST", ["users", "@me", "channels"]) => reply(200, state.dm_channel.clone()),
        ("DELETE", ["webhooks", _, _, "messages", _]) => {
            let mut response = reply(204, Bytes::new());
            response.headers_mut().remove("content-type");
            response
        }
        // A person's message, whatever its id (tests script a 404 for a deleted one).
        ("GET", ["channels", channel, "messages", id]) => {
            let mut message = fixture("message_create");
            message["id"] = json!(id);
            message["channel_id"] = json!(channel);
            json_reply(200, &message)
        }
        ("DELETE", ["channels", _, "messages", _]) => {
            let mut response = reply(204, Bytes::new());
            response.headers_mut().remove("content-type");
            response
        }
        _ => json_reply(404, &json!({ "message": "404: Not Found", "code": 0 })),
    }
}

/// The application command objects Discord returns for a bulk overwrite.
fn registered(body: Option<Value>, app: &str, guild: Option<&str>) -> Value {
    let commands = body.and_then(|b| b.as_array().cloned()).unwrap_or_default();
    let objects: Vec<Value> = commands
        .into_iter()
        .enumerate()
        .map(|(n, mut c)| {
            let object = c.as_object_mut().expect("command objects");
            object.insert("id".into(), json!(format!("16000000000000001{n:02}")));
            object.insert("application_id".into(), json!(app));
            object.insert("version".into(), json!("1600000000000000900"));
            object.insert("default_member_permissions".into(), Value::Null);
            object.insert("nsfw".into(), json!(false));
            object.entry("type").or_insert(json!(1));
            object.entry("options").or_insert(json!([]));
            if let Some(guild) = guild {
                object.insert("guild_id".into(), json!(guild));
            } else {
                object.insert("integration_types".into(), json!([0]));
                object.insert("contexts".into(), Value::Null);
            }
            c
        })
        .collect();
    Value::Array(objects)
}
