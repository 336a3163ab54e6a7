//! E-mail address (邮箱): a practical syntax check and a hint for typos of popular providers.

use thiserror::Error;

/// Longest accepted address (RFC 5321 path limit).
pub const EMAIL_MAX_CHARS: usize = 254;
const LOCAL_MAX_CHARS: usize = 64;

/// Popular providers that typo hints point to, most used first (ties go to the earlier one).
pub const POPULAR_EMAIL_DOMAINS: [&str; 12] = [
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "sohu.com",
    "foxmail.com",
    "yeah.net",
    "139.com",
    "aliyun.com",
    "outlook.com",
    "gmail.com",
    "hotmail.com",
];

/// Real domains close to a popular one, which must not be "corrected".
const OTHER_KNOWN_DOMAINS: [&str; 20] = [
    "vip.qq.com",
    "vip.163.com",
    "vip.126.com",
    "vip.sina.com",
    "sina.cn",
    "188.com",
    "189.cn",
    "163.net",
    "263.net",
    "21cn.com",
    "tom.com",
    "wo.cn",
    "live.com",
    "live.cn",
    "msn.com",
    "icloud.com",
    "me.com",
    "yahoo.com",
    "hotmail.co.uk",
    "outlook.cn",
];

/// Why an e-mail address was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum EmailError {
    #[error("e-mail address is empty")]
    Empty,
    #[error("e-mail address is longer than {EMAIL_MAX_CHARS} characters")]
    TooLong,
    #[error("e-mail address contains spaces")]
    Whitespace,
    /// No `@`, or more than one.
    #[error("e-mail address needs exactly one @")]
    MissingAt,
    /// The part before the `@` is empty, too long or has characters addresses do not use.
    #[error("invalid part before the @")]
    LocalPart,
    /// The part after the `@` is not a domain name with a top-level domain.
    #[error("invalid domain after the @")]
    Domain,
}

impl EmailError {
    /// Stable code for the API and the locale files.
    pub fn code(&self) -> &'static str {
        match self {
            EmailError::Empty => "email_empty",
            EmailError::TooLong => "email_too_long",
            EmailError::Whitespace => "email_whitespace",
            EmailError::MissingAt => "email_missing_at",
            EmailError::LocalPart => "email_local_part",
            EmailError::Domain => "email_domain",
        }
    }
}

/// Turns what Chinese input methods type for `@` and `.` into ASCII.
fn normalize_punctuation(c: char) -> char {
    match c {
        '＠' => '@',
        '。' | '．' => '.',
        _ => c,
    }
}

fn valid_local(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~.-";
    !local.is_empty()
        && local.len() <= LOCAL_MAX_CHARS
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || SPECIALS.contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let tld_ok = |t: &str| {
        t.len() >= 2 && (t.chars().all(|c| c.is_ascii_alphabetic()) || t.starts_with("xn--"))
    };
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels.last().is_some_and(|t| tld_ok(t))
}

/// Validates an e-mail address and returns it trimmed with the domain lower-cased
/// (full-width `＠` and `。` typed by input methods become `@` and `.`).
///
/// Practical syntax `local@domain.tld`: one `@`, an ASCII local part of at most 64 characters without
/// leading, trailing or doubled dots, a domain of at least two labels with an alphabetic top-level domain,
/// at most 254 characters in all, no spaces.
pub fn validate_email(input: &str) -> Result<String, EmailError> {
    let trimmed: String = input.trim().chars().map(normalize_punctuation).collect();
    if trimmed.is_empty() {
        return Err(EmailError::Empty);
    }
    if trimmed.chars().count() > EMAIL_MAX_CHARS {
        return Err(EmailError::TooLong);
    }
    if trimmed.chars().any(char::is_whitespace) {
        return Err(EmailError::Whitespace);
    }
    let mut parts = trimmed.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(EmailError::MissingAt);
    };
    if !valid_local(local) {
        return Err(EmailError::LocalPart);
    }
    let domain = domain.to_ascii_lowercase();
    if !valid_domain(&domain) {
        return Err(EmailError::Domain);
    }
    Ok(format!("{local}@{domain}"))
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// For an address whose domain looks like a typo of a popular provider, the corrected address
/// (`a@qq.con` → `a@qq.com`, `a@gmial.com` → `a@gmail.com`, `a@163` → `a@163.com`).
///
/// `None` when the domain is a known one, or no popular domain is within 1 edit (2 edits for domains
/// of 7 or more characters; a transposition counts as one edit).
pub fn suggest_email_domain(email: &str) -> Option<String> {
    let email: String = email.trim().chars().map(normalize_punctuation).collect();
    let (local, domain) = email.rsplit_once('@')?;
    let domain = domain.to_lowercase();
    if local.is_empty()
        || domain.is_empty()
        || POPULAR_EMAIL_DOMAINS.contains(&domain.as_str())
        || OTHER_KNOWN_DOMAINS.contains(&domain.as_str())
    {
        return None;
    }
    // "a@qq", "a@gmail": the provider without its top-level domain.
    if let Some(known) = POPULAR_EMAIL_DOMAINS
        .iter()
        .find(|d| d.split('.').next() == Some(domain.as_str()))
    {
        return Some(format!("{local}@{known}"));
    }
    let max = if domain.chars().count() >= 7 { 2 } else { 1 };
    POPULAR_EMAIL_DOMAINS
        .iter()
        .map(|d| (edit_distance(&domain, d), *d))
        .filter(|(dist, _)| (1..=max).contains(dist))
        .min_by_key(|(dist, _)| *dist)
        .map(|(_, d)| format!("{local}@{d}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_practical_addresses() {
        assert_eq!(
            validate_email("zhangsan@qq.com").as_deref(),
            Ok("zhangsan@qq.com")
        );
        assert_eq!(
            validate_email("  Zhang.San@QQ.COM ").as_deref(),
            Ok("Zhang.San@qq.com")
        );
        assert_eq!(
            validate_email("a+tag@mail.hbets.cn").as_deref(),
            Ok("a+tag@mail.hbets.cn")
        );
        assert_eq!(
            validate_email("o'neil@example.co.uk").as_deref(),
            Ok("o'neil@example.co.uk")
        );
        assert_eq!(
            validate_email("zhangsan＠163。com").as_deref(),
            Ok("zhangsan@163.com")
        );
        assert_eq!(
            validate_email("x@xn--fiqs8s.xn--fiqs8s").as_deref(),
            Ok("x@xn--fiqs8s.xn--fiqs8s")
        );
    }

    #[test]
    fn refuses_broken_addresses() {
        assert_eq!(validate_email(""), Err(EmailError::Empty));
        assert_eq!(validate_email("   "), Err(EmailError::Empty));
        assert_eq!(
            validate_email("zhangsan.qq.com"),
            Err(EmailError::MissingAt)
        );
        assert_eq!(validate_email("a@b@qq.com"), Err(EmailError::MissingAt));
        assert_eq!(
            validate_email("zhang san@qq.com"),
            Err(EmailError::Whitespace)
        );
        assert_eq!(validate_email("@qq.com"), Err(EmailError::LocalPart));
        assert_eq!(validate_email(".a@qq.com"), Err(EmailError::LocalPart));
        assert_eq!(validate_email("a..b@qq.com"), Err(EmailError::LocalPart));
        assert_eq!(validate_email("<a>@qq.com"), Err(EmailError::LocalPart));
        assert_eq!(validate_email("张三@qq.com"), Err(EmailError::LocalPart));
        assert_eq!(
            validate_email(&format!("{}@qq.com", "a".repeat(65))),
            Err(EmailError::LocalPart)
        );
        assert_eq!(validate_email("a@qq"), Err(EmailError::Domain));
        assert_eq!(validate_email("a@qq."), Err(EmailError::Domain));
        assert_eq!(validate_email("a@.qq.com"), Err(EmailError::Domain));
        assert_eq!(validate_email("a@qq..com"), Err(EmailError::Domain));
        assert_eq!(validate_email("a@-qq.com"), Err(EmailError::Domain));
        assert_eq!(validate_email("a@qq.c"), Err(EmailError::Domain));
        assert_eq!(validate_email("a@qq.c0m"), Err(EmailError::Domain));
        assert_eq!(validate_email("a@qq_mail.com"), Err(EmailError::Domain));
        let long = format!("a@{}.com", "b".repeat(250));
        assert_eq!(validate_email(&long), Err(EmailError::TooLong));
        assert_eq!(EmailError::Domain.code(), "email_domain");
    }

    #[test]
    fn typo_hints() {
        let s = |e: &str| suggest_email_domain(e);
        assert_eq!(s("a@qq.con").as_deref(), Some("a@qq.com"));
        assert_eq!(s("a@qq.co").as_deref(), Some("a@qq.com"));
        assert_eq!(s("a@qqcom").as_deref(), Some("a@qq.com"));
        assert_eq!(s("a@qq").as_deref(), Some("a@qq.com"));
        assert_eq!(s("a@163.cm").as_deref(), Some("a@163.com"));
        assert_eq!(s("a@163.con").as_deref(), Some("a@163.com"));
        assert_eq!(s("a@126.cpm").as_deref(), Some("a@126.com"));
        assert_eq!(s("a@gmial.com").as_deref(), Some("a@gmail.com"));
        assert_eq!(s("a@gmail.cmo").as_deref(), Some("a@gmail.com"));
        assert_eq!(s("a@hotmial.com").as_deref(), Some("a@hotmail.com"));
        assert_eq!(s("a@foxmial.com").as_deref(), Some("a@foxmail.com"));
        assert_eq!(s("a@sian.com").as_deref(), Some("a@sina.com"));
        assert_eq!(s("a@yeah.ent").as_deref(), Some("a@yeah.net"));
        assert_eq!(s("a@outlok.com").as_deref(), Some("a@outlook.com"));
        assert_eq!(s("Li.Si@QQ.CON").as_deref(), Some("Li.Si@qq.com"));
        // Known domains and unrelated ones get no hint.
        assert_eq!(s("a@qq.com"), None);
        assert_eq!(s("a@QQ.com"), None);
        assert_eq!(s("a@sina.cn"), None);
        assert_eq!(s("a@vip.qq.com"), None);
        assert_eq!(s("a@hbets.cn"), None);
        assert_eq!(s("a@example.com"), None);
        assert_eq!(s("a@company.com.cn"), None);
        assert_eq!(s("qq.com"), None);
        assert_eq!(s("@qq.con"), None);
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("gmial.com", "gmail.com"), 1);
        assert_eq!(edit_distance("qq.con", "qq.com"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("163.com", "126.com"), 2);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn never_panics(s in "\\PC{0,60}|.{0,60}|[a-z.@]{0,30}") {
            if let Ok(e) = validate_email(&s) {
                prop_assert_eq!(validate_email(&e), Ok(e.clone()));
                prop_assert_eq!(e.matches('@').count(), 1);
            }
            if let Some(fixed) = suggest_email_domain(&s) {
                prop_assert_eq!(suggest_email_domain(&fixed), None);
            }
        }

        #[test]
        fn plain_addresses_pass(
            local in "[a-z0-9_+-]{1,10}(\\.[a-z0-9_+-]{1,10}){0,2}",
            domain in "([a-z0-9]{1,10}\\.){1,2}[a-z]{2,6}",
        ) {
            let e = format!("{local}@{domain}");
            prop_assert_eq!(validate_email(&e), Ok(e.clone()));
        }
    }
}
