//! The site over HTTP: which file a request path names, and the response with its caching
//! headers. Read-only: `GET` and `HEAD`, anything else is refused.
//!
//! Pages change only when the index does, but that can be any time, so caches must ask each
//! time (`Cache-Control: no-cache`) and the entity tag makes asking cheap: a matching
//! `If-None-Match` gets `304 Not Modified` and no body. The content security policy allows
//! nothing but the site's own style sheet and script, as a second line behind escaping.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;

use super::{File, Site, HOME, HTML, NOT_FOUND};

/// Who may load what on a page: only the site's own files.
const POLICY: &str =
    "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; \
                      img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The file a request path names (`/` is the home page), if the site has it.
pub fn file_for<'a>(site: &'a Site, path: &str) -> Option<&'a File> {
    let relative = path.strip_prefix('/').unwrap_or(path);
    let relative = if relative.is_empty() { HOME } else { relative };
    // The 404 page is for unknown paths, never a page of its own.
    if relative == NOT_FOUND {
        return None;
    }
    site.get(relative)
}

/// Whether a request only reads.
pub fn is_read(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD
}

/// The response for a read of `path`, or `None` when the site has no such file (or the method
/// is not a read) so the caller can try other routes.
pub fn respond(site: &Site, method: &Method, path: &str, headers: &HeaderMap) -> Option<Response> {
    if !is_read(method) {
        return None;
    }
    let file = file_for(site, path)?;
    if matches_etag(headers, &file.etag) {
        return Some(with_headers(StatusCode::NOT_MODIFIED, file, Body::empty()));
    }
    Some(with_headers(
        StatusCode::OK,
        file,
        Body::from(file.body.clone()),
    ))
}

/// `404 Not Found` with the site's small HTML page.
pub fn not_found(site: &Site) -> Response {
    match site.get(NOT_FOUND) {
        Some(file) => with_headers(StatusCode::NOT_FOUND, file, Body::from(file.body.clone())),
        None => {
            let mut response = Response::new(Body::from("not found"));
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        }
    }
}

/// `405 Method Not Allowed` for a write to one of the site's paths.
pub fn read_only() -> Response {
    let mut response = Response::new(Body::from("this page is read-only"));
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

fn with_headers(status: StatusCode, file: &File, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    if let Ok(etag) = HeaderValue::from_str(&file.etag) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if file.content_type == HTML {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(POLICY),
        );
    }
    response
}

/// Whether `If-None-Match` names `etag` (or `*`); weak tags compare by their value, as RFC 9110
/// asks for this header.
fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static(value));
        h
    }

    /// Lists, weak tags and `*` match; other tags do not.
    #[test]
    fn if_none_match() {
        let tag = "\"abc\"";
        assert!(matches_etag(&headers("\"x\", \"abc\""), tag));
        assert!(matches_etag(&headers("W/\"abc\""), tag));
        assert!(matches_etag(&headers("*"), tag));
        assert!(!matches_etag(&headers("\"abd\""), tag));
        assert!(!matches_etag(&HeaderMap::new(), tag));
    }
}
