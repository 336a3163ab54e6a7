//! Which addresses `config.json` may hold. A configuration is edited by hand on the server, and its addresses end
//! up in `href`s the investor taps and in requests the app makes: a `javascript:` or `data:` address there would
//! run code or show content of the editor's choosing inside the exchange's page. So each address field says what
//! it is for, and anything else stops the app at start with the configuration error page.

/// What an address of the configuration is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkUse {
    /// A link the investor opens (the external questionnaire, the client download): `https://`, `mailto:` or
    /// `tel:`.
    Link,
    /// An address the app fetches (the API base, the questions file, agreement texts): `https://`, or a path
    /// relative to the app (`/api/v1`, `quiz.json`, `agreements/…`).
    Resource,
}

/// Why an address is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkProblem {
    /// Spaces, control or direction characters, or characters that have no place in an address (`<`, `"`,
    /// `\` …): browsers drop or rewrite some of them, which can turn a harmless-looking address into another.
    #[error(
        "it contains a space, a control or direction character, or one of \" < > \\ ^ ` {{ | }}"
    )]
    Character,
    /// A scheme other than those of its use (`javascript:`, `data:`, `ftp:` …), or `http:` to a host that is
    /// not this computer.
    #[error(
        "it is not https:// (or http:// to this computer){}",
        " nor what else the key allows: a path of the app, mailto: or tel:"
    )]
    Scheme,
    /// `https:` without a host, with user information (`https://www.hbets.cn@example.com`), or an address
    /// starting with `//` (another host, whatever the page's scheme).
    #[error("it names no host, hides the host behind user information, or starts with //")]
    Host,
}

/// Characters of ASCII that never appear in an address as written (RFC 3986 leaves them out): browsers
/// percent-encode, drop or reinterpret them.
const FORBIDDEN_ASCII: &[char] = &['"', '<', '>', '\\', '^', '`', '{', '|', '}'];

/// The invisible characters that change the direction of text (U+202E shows `exe.txt` as `txt.exe`).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Hosts that are this computer, for which plain `http:` is accepted (development).
fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The scheme of an absolute address (lower-cased), as a browser finds it: letters, digits, `+`, `-`, `.`
/// before the first `:`, when that `:` comes before any `/`, `?` or `#`. `None` for a relative address.
fn scheme(url: &str) -> Option<String> {
    let end = url.find([':', '/', '?', '#'])?;
    if !url[end..].starts_with(':') {
        return None;
    }
    Some(url[..end].to_ascii_lowercase())
}

/// The host of `rest` (what follows `scheme://`), if it has one and no user information.
fn host(rest: &str) -> Result<&str, LinkProblem> {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(LinkProblem::Host);
    }
    let host = match authority.strip_prefix('[') {
        // An IPv6 literal keeps its brackets; the port follows them.
        Some(inner) => match inner.find(']') {
            Some(close) => &authority[..close + 2],
            None => return Err(LinkProblem::Host),
        },
        None => authority.split(':').next().unwrap_or(""),
    };
    if host.is_empty() {
        return Err(LinkProblem::Host);
    }
    Ok(host)
}

/// Whether `url` may stand in a configuration field of `use_`. Nothing is trimmed: a space or control character
/// anywhere refuses the address.
pub fn check_link(url: &str, use_: LinkUse) -> Result<(), LinkProblem> {
    if url.is_empty()
        || url.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || is_bidi_control(c)
                || FORBIDDEN_ASCII.contains(&c)
        })
    {
        return Err(LinkProblem::Character);
    }
    let Some(scheme) = scheme(url) else {
        // A relative address: a path of the app's own origin, never `//host`.
        return match use_ {
            LinkUse::Resource if url.starts_with("//") => Err(LinkProblem::Host),
            LinkUse::Resource => Ok(()),
            LinkUse::Link => Err(LinkProblem::Scheme),
        };
    };
    let rest = &url[scheme.len() + 1..];
    match scheme.as_str() {
        "https" => {
            let rest = rest.strip_prefix("//").ok_or(LinkProblem::Host)?;
            host(rest).map(|_| ())
        }
        "http" => {
            let rest = rest.strip_prefix("//").ok_or(LinkProblem::Host)?;
            if is_loopback(host(rest)?) {
                Ok(())
            } else {
                Err(LinkProblem::Scheme)
            }
        }
        "mailto" | "tel" if use_ == LinkUse::Link && !rest.is_empty() => Ok(()),
        _ => Err(LinkProblem::Scheme),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn what_each_use_accepts() {
        let links = [
            "https://ks.wjx.top/vm/PSauGR7.aspx",
            "https://www.hbets.cn/",
            "HTTPS://WWW.HBETS.CN/下载",
            "https://[2001:db8::1]:8443/client",
            "http://127.0.0.1:8080/client.exe",
            "http://localhost:8081/",
            "http://[::1]/",
            "mailto:hbtjs@hbets.cn",
            "tel:027-86657683",
        ];
        for url in links {
            assert_eq!(check_link(url, LinkUse::Link), Ok(()), "{url}");
        }
        let resources = [
            "/api/v1",
            "quiz.json",
            "agreements/market-entry.zh-CN.txt",
            "./agreements/入市协议书.txt",
            "../shared/quiz.json",
            "https://kaihu.example.cn/api/v1",
            "http://127.0.0.1:8080/api/v1",
        ];
        for url in resources {
            assert_eq!(check_link(url, LinkUse::Resource), Ok(()), "{url}");
        }
        // A path is not a link the investor opens.
        assert_eq!(
            check_link("quiz.json", LinkUse::Link),
            Err(LinkProblem::Scheme)
        );
        // Nor is an e-mail address something the app fetches.
        assert_eq!(
            check_link("mailto:hbtjs@hbets.cn", LinkUse::Resource),
            Err(LinkProblem::Scheme)
        );
    }

    #[test]
    fn scripts_data_and_look_alikes_are_refused() {
        let refused = [
            ("javascript:alert(1)", LinkProblem::Scheme),
            ("JavaScript:alert(1)", LinkProblem::Scheme),
            (
                "data:text/html,<script>alert(1)</script>",
                LinkProblem::Character,
            ),
            ("data:text/html;base64,PHNjcmlwdD4=", LinkProblem::Scheme),
            ("vbscript:msgbox(1)", LinkProblem::Scheme),
            ("blob:https://www.hbets.cn/1", LinkProblem::Scheme),
            ("file:///etc/passwd", LinkProblem::Scheme),
            ("ftp://ftp.hbets.cn/client.exe", LinkProblem::Scheme),
            ("http://www.hbets.cn/", LinkProblem::Scheme),
            ("http://127.0.0.1.example.cn/", LinkProblem::Scheme),
            // Browsers drop tabs and newlines inside an address, and spaces and controls around it.
            ("java\tscript:alert(1)", LinkProblem::Character),
            ("java\nscript:alert(1)", LinkProblem::Character),
            (" javascript:alert(1)", LinkProblem::Character),
            ("\u{0}javascript:alert(1)", LinkProblem::Character),
            (
                "https://www.hbets.cn/\u{202e}exe.txt",
                LinkProblem::Character,
            ),
            ("https://www.hbets.cn/\"><script>", LinkProblem::Character),
            // Another host than it looks like, or none at all.
            ("https://www.hbets.cn@example.com/", LinkProblem::Host),
            ("https:www.example.com", LinkProblem::Host),
            ("https://", LinkProblem::Host),
            ("https:///path", LinkProblem::Host),
            ("//example.com/api", LinkProblem::Host),
            ("/\\example.com/api", LinkProblem::Character),
            ("mailto:", LinkProblem::Scheme),
            ("", LinkProblem::Character),
        ];
        for (url, problem) in refused {
            assert_eq!(check_link(url, LinkUse::Resource), Err(problem), "{url:?}");
            assert!(check_link(url, LinkUse::Link).is_err(), "{url:?}");
        }
    }

    /// The schemes a browser would find in an accepted address.
    fn allowed_start(url: &str, use_: LinkUse) -> bool {
        let lower = url.to_ascii_lowercase();
        let absolute = lower.starts_with("https://")
            || lower.starts_with("http://localhost")
            || lower.starts_with("http://127.")
            || lower.starts_with("http://[::1]");
        match use_ {
            LinkUse::Link => absolute || lower.starts_with("mailto:") || lower.starts_with("tel:"),
            LinkUse::Resource => absolute || scheme(url).is_none() && !url.starts_with("//"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::test_cases()))]

        #[test]
        fn an_accepted_address_has_an_allowed_scheme_and_no_stray_characters(
            url in prop_oneof![
                any::<String>(),
                "[a-zA-Z:/\\\\ \t\"<>@.\\[\\]0-9?#%-]{0,40}",
                "(javascript|data|https?|mailto|tel|JAVASCRIPT|Https)?:?/{0,3}[a-z0-9.@:\\[\\]]{0,20}(/[^ ]{0,10})?",
            ],
            link in any::<bool>(),
        ) {
            let use_ = if link { LinkUse::Link } else { LinkUse::Resource };
            if check_link(&url, use_).is_ok() {
                prop_assert!(allowed_start(&url, use_), "{url:?} accepted as {use_:?}");
                prop_assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control() || is_bidi_control(c)));
            }
        }
    }
}
