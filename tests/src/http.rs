//! Plain HTTP/1.1 requests on loopback outside the browser (ureq, blocking): the test
//! server's answers as they are (no redirect followed, no status turned into an error)
//! and chromedriver's readiness.

use std::time::Duration;

use http::HeaderMap;

/// A GET of `url`: (status, headers, body); panics when there is no answer.
pub fn http_get(url: &str) -> (u16, HeaderMap, Vec<u8>) {
    try_http_get(url).unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

/// [`http_get`] returning connection and protocol errors.
pub fn try_http_get(url: &str) -> Result<(u16, HeaderMap, Vec<u8>), ureq::Error> {
    get_with(url, &[("Accept", "text/html")])
}

/// A GET of `url` with extra request headers.
pub fn get_with(
    url: &str,
    headers: &[(&str, &str)],
) -> Result<(u16, HeaderMap, Vec<u8>), ureq::Error> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut request = agent.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut reply = request.call()?;
    let status = reply.status().as_u16();
    let head = reply.headers().clone();
    // Pages of the real corpus run to megabytes; ureq's default cap is 10 MB.
    let body = reply
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_vec()?;
    Ok((status, head, body))
}
