//! Just enough cookie handling: read one by name, write one with safe attributes.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`, Secure when served over TLS.
pub fn set(name: &str, value: &str, secure: bool, max_age_secs: Option<u64>) -> String {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        cookie.push_str("; Secure");
    }
    if let Some(age) = max_age_secs {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    cookie
}

pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", secure, Some(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn finds_a_cookie_among_several_headers() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("a=1; haven_lang=es"));
        headers.append(COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(get(&headers, "haven_lang"), Some("es"));
        assert_eq!(get(&headers, "b"), Some("2"));
        assert_eq!(get(&headers, "missing"), None);
    }

    #[test]
    fn secure_cookies_say_so() {
        assert!(set("s", "v", true, None).contains("; Secure"));
        assert!(!set("s", "v", false, None).contains("Secure"));
        assert!(clear("s", false).contains("Max-Age=0"));
    }
}
