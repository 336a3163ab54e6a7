//! Checks of the stylesheets under `style/` (tests only), the rules README's designers' section states:
//! every rule is scoped under the app's root class (so the app leaves another site's page alone), every colour,
//! space, radius and font comes from a design token of `style/tokens.css` (so a theme changes them all), every
//! breakpoint names its token. (`tools/bundle-css.sh` fails the build on a stylesheet `style/order.txt` forgets.)

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    fn style_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("style")
    }

    /// Every stylesheet but the tokens: (file name, text).
    fn stylesheets() -> Vec<(String, String)> {
        let mut sheets: Vec<(String, String)> = std::fs::read_dir(style_dir())
            .expect("style/")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "css"))
            .map(|path| {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&path).expect("readable"))
            })
            .filter(|(name, _)| name != "tokens.css")
            .collect();
        sheets.sort();
        sheets
    }

    fn without_comments(css: &str) -> String {
        let mut out = String::new();
        let mut rest = css;
        while let Some(start) = rest.find("/*") {
            out.push_str(&rest[..start]);
            rest = rest[start..]
                .find("*/")
                .map_or("", |end| &rest[start + end + 2..]);
        }
        out.push_str(rest);
        out
    }

    /// The rules' selector lists and declaration blocks, at-rule blocks opened (keyframes left out).
    fn rules(css: &str) -> Vec<(String, String)> {
        let mut rules = Vec::new();
        let mut rest = css;
        while let Some(open) = rest.find('{') {
            let prelude = rest[..open]
                .trim()
                .trim_start_matches('}')
                .trim()
                .to_string();
            if prelude.starts_with("@media") || prelude.starts_with("@supports") {
                rest = &rest[open + 1..];
                continue;
            }
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            if prelude.starts_with("@keyframes") {
                // Its blocks end at the second closing brace after the last one inside.
                let mut depth = 0;
                let mut end = open;
                for (i, c) in rest[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + i;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &rest[end + 1..];
                continue;
            }
            rules.push((prelude, rest[open + 1..close].to_string()));
            rest = rest.get(close + 1..).unwrap_or("");
        }
        rules
    }

    #[test]
    fn every_rule_is_scoped_under_the_root_class() {
        for (name, css) in stylesheets() {
            if name == "standalone.css" {
                continue;
            }
            for (selectors, _) in rules(&without_comments(&css)) {
                for selector in selectors.split(',').map(str::trim) {
                    assert!(
                        selector.starts_with(".hbets-kaihu") || selector == ":host",
                        "{name}: `{selector}` is not under .hbets-kaihu"
                    );
                }
            }
        }
    }

    /// Properties whose values must be design tokens (or 0, auto and the like).
    const TOKEN_PROPERTIES: &[&str] = &[
        "margin",
        "margin-top",
        "margin-right",
        "margin-bottom",
        "margin-left",
        "padding",
        "padding-top",
        "padding-right",
        "padding-bottom",
        "padding-left",
        "gap",
        "row-gap",
        "column-gap",
        "border-radius",
        "font-family",
        "font-size",
        "font-weight",
        "line-height",
        "letter-spacing",
        "outline-offset",
    ];

    /// What may stand beside tokens in those values.
    const PLAIN: &[&str] = &["", "0", "auto", "inherit", "none", "calc", "+", "-", "*"];

    #[test]
    fn colours_spaces_radii_and_fonts_are_tokens() {
        for (name, css) in stylesheets() {
            for (selectors, block) in rules(&without_comments(&css)) {
                for declaration in block.split(';').map(str::trim).filter(|d| !d.is_empty()) {
                    let (property, value) = declaration
                        .split_once(':')
                        .unwrap_or_else(|| panic!("{name}: `{declaration}`"));
                    let (property, value) = (property.trim(), value.trim());
                    let at = format!("{name}: {selectors} {{ {property}: {value} }}");
                    let lower = value.to_ascii_lowercase();
                    assert!(
                        !lower.contains('#') && !lower.contains("rgb(") && !lower.contains("hsl("),
                        "a colour that is not a token: {at}"
                    );
                    if !TOKEN_PROPERTIES.contains(&property) {
                        continue;
                    }
                    let mut plain = value.to_string();
                    while let Some(start) = plain.find("var(") {
                        let end = plain[start..]
                            .find(')')
                            .map_or(plain.len(), |e| start + e + 1);
                        plain.replace_range(start..end, " ");
                    }
                    for word in plain.split(|c: char| c.is_whitespace() || "(),".contains(c)) {
                        assert!(PLAIN.contains(&word), "`{word}` is not a token: {at}");
                    }
                }
            }
        }
    }

    #[test]
    fn breakpoints_name_their_tokens() {
        let tokens = std::fs::read_to_string(style_dir().join("tokens.css")).expect("tokens.css");
        for (name, css) in stylesheets() {
            for line in css.lines().filter(|l| l.trim_start().starts_with("@media")) {
                let Some(width) = line.split("-width:").nth(1) else {
                    continue;
                };
                let width = width.split(')').next().unwrap_or("").trim();
                let token = line
                    .split("/* ")
                    .nth(1)
                    .and_then(|rest| rest.split(" */").next())
                    .unwrap_or_else(|| panic!("{name}: `{line}` names no breakpoint token"));
                assert!(
                    tokens.contains(&format!("{token}: {width};")),
                    "{name}: `{line}`: {token} is not {width} in tokens.css"
                );
            }
        }
    }
}
