//! The page's static files, read from a folder on each request (so a
//! rebuilt `pkg/` is picked up without a restart).

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The page's Content-Security-Policy: scripts only from this origin (plus
/// WebAssembly compilation), no inline script or style, DoH to any endpoint
/// the user chooses. Even if DNS text were ever inserted as HTML, it could
/// not run.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
                   connect-src *; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        // Required by WebAssembly.instantiateStreaming.
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Maps a URL path to a file under `root`, refusing anything that could leave
/// it (`..`, absolute parts, hidden files) or that is not plain text.
pub(crate) fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let rel = url_path.trim_start_matches('/');
    let rel = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    if rel.contains('\\') || rel.contains('%') || rel.contains('\0') {
        return None;
    }
    let mut path = root.to_path_buf();
    for c in Path::new(&rel).components() {
        match c {
            Component::Normal(part) if !part.to_string_lossy().starts_with('.') => path.push(part),
            _ => return None,
        }
    }
    Some(path)
}

/// Answers GET/HEAD for a file under `root`; `/` is `index.html`.
pub(crate) async fn respond(root: Arc<PathBuf>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let Some(path) = resolve(&root, req.uri().path()) else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            let mut r = if req.method() == Method::HEAD { Body::empty() } else { Body::from(bytes) }.into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&path)));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
            h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            r
        }
        Err(_) => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_under_the_root() {
        let root = Path::new("/srv/web");
        assert_eq!(resolve(root, "/"), Some(PathBuf::from("/srv/web/index.html")));
        assert_eq!(resolve(root, "/pkg/spf_wasm.js"), Some(PathBuf::from("/srv/web/pkg/spf_wasm.js")));
        assert_eq!(resolve(root, "/pkg/"), Some(PathBuf::from("/srv/web/pkg/index.html")));
        for bad in ["/../etc/passwd", "/pkg/../../x", "/.git/config", "/a\\b", "/%2e%2e/x", "//etc/passwd"] {
            // "//etc/passwd" trims to "etc/passwd", which stays under the root.
            if bad == "//etc/passwd" {
                assert_eq!(resolve(root, bad), Some(PathBuf::from("/srv/web/etc/passwd")));
            } else {
                assert_eq!(resolve(root, bad), None, "{bad}");
            }
        }
    }
}
