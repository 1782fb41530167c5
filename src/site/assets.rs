//! The site's two static files: the style sheet and the optional search script. They are
//! files of their own (`style.css`, `search.js` beside this module) so they are edited as CSS
//! and JavaScript, and built into the binary so the site needs nothing at run time.
//!
//! The style sheet carries the accessibility the markup cannot: visible focus, contrast well
//! above WCAG AA, badges that read as words, a layout that reflows down to 320 px, and print
//! styles that drop navigation and print each link's address.

/// Where the style sheet lives.
pub const STYLE: &str = "style.css";

/// Where the search script lives.
pub const SCRIPT: &str = "search.js";

const STYLE_BODY: &str = include_str!("style.css");
const SCRIPT_BODY: &str = include_str!("search.js");

/// Every static file: path, content type, bytes.
pub fn files() -> [(&'static str, &'static str, &'static [u8]); 2] {
    [
        (STYLE, "text/css; charset=utf-8", STYLE_BODY.as_bytes()),
        (
            SCRIPT,
            "text/javascript; charset=utf-8",
            SCRIPT_BODY.as_bytes(),
        ),
    ]
}
