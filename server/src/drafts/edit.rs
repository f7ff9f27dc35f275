//! Small, predictable edits to a runbook file's text: a line in the front matter, an entry at
//! the top or the bottom of a `##` section (created at the end when missing). Everything not
//! edited stays byte for byte, so the reviewer's diff shows only what the draft adds.

use chrono::NaiveDate;

use crate::runbooks::names::AlertName;

/// The front matter (between the `---` lines, exclusive) and where the body starts, as byte
/// ranges; `None` when the file has no closed front matter.
fn front_matter_bounds(text: &str) -> Option<(usize, usize, usize)> {
    let first = text.find('\n')?;
    if text[..first].trim_end() != "---" {
        return None;
    }
    let mut offset = first + 1;
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((first + 1, offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

/// Sets `last_reviewed:` in the front matter.
pub fn set_last_reviewed(text: &str, date: NaiveDate) -> String {
    set_front_matter_line(text, "last_reviewed", &date.to_string())
}

fn set_front_matter_line(text: &str, key: &str, value: &str) -> String {
    let Some((start, end, _)) = front_matter_bounds(text) else {
        return text.to_string();
    };
    let yaml = &text[start..end];
    let prefix = format!("{key}:");
    let mut out = String::with_capacity(text.len() + 32);
    out.push_str(&text[..start]);
    let mut found = false;
    for line in yaml.split_inclusive('\n') {
        if !found && line.starts_with(&prefix) {
            found = true;
            out.push_str(&format!("{key}: {value}\n"));
        } else {
            out.push_str(line);
        }
    }
    if !found {
        out.push_str(&format!("{key}: {value}\n"));
    }
    out.push_str(&text[end..]);
    out
}

/// Adds alerts to the front matter's `alerts` list (flow `[a, b]` or block style), keeping
/// the names already there.
pub fn add_alerts(text: &str, new: &[AlertName]) -> String {
    if new.is_empty() {
        return text.to_string();
    }
    let Some((start, end, _)) = front_matter_bounds(text) else {
        return text.to_string();
    };
    let yaml = &text[start..end];
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let names = new.iter().map(|a| a.as_ref()).collect::<Vec<_>>();
    let mut out_yaml = String::new();
    let mut done = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if !done && line.starts_with("alerts:") {
            done = true;
            let value = line["alerts:".len()..].trim();
            if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                let mut all: Vec<&str> = inner
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                all.extend(names.iter().copied());
                out_yaml.push_str(&format!("alerts: [{}]\n", all.join(", ")));
                i += 1;
                continue;
            }
            // Block style: keep the items, then add ours with the same indent.
            out_yaml.push_str(line);
            i += 1;
            let mut indent = "  ".to_string();
            while i < lines.len() && lines[i].trim_start().starts_with("- ") {
                let l = lines[i];
                indent = l[..l.len() - l.trim_start().len()].to_string();
                out_yaml.push_str(l);
                i += 1;
            }
            for n in &names {
                out_yaml.push_str(&format!("{indent}- {n}\n"));
            }
            continue;
        }
        out_yaml.push_str(line);
        i += 1;
    }
    if !done {
        out_yaml.push_str(&format!("alerts: [{}]\n", names.join(", ")));
    }
    format!("{}{}{}", &text[..start], out_yaml, &text[end..])
}

/// A `##` section of the body, as byte offsets into the whole text.
struct Section {
    /// End of the heading line (where content starts).
    content_start: usize,
    /// Start of the next `#`/`##` heading, or the end of the text.
    end: usize,
}

/// ATX heading level and text of a line, outside code.
fn heading(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_end();
    let level = t.bytes().take_while(|b| *b == b'#').count();
    if (1..=6).contains(&level) && t[level..].starts_with(' ') {
        Some((level, t[level..].trim().trim_end_matches('#').trim()))
    } else {
        None
    }
}

fn find_section(text: &str, matches: &dyn Fn(&str) -> bool) -> Option<Section> {
    let body_start = front_matter_bounds(text).map(|b| b.2).unwrap_or(0);
    let mut offset = body_start;
    let mut in_code = false;
    let mut open: Option<usize> = None;
    for line in text[body_start..].split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_code = !in_code;
        } else if !in_code && let Some((level, title)) = heading(line) {
            if let Some(content_start) = open
                && level <= 2
            {
                return Some(Section {
                    content_start,
                    end: offset,
                });
            }
            if level == 2 && open.is_none() && matches(&title.to_ascii_lowercase()) {
                open = Some(offset + line.len());
            }
        }
        offset += line.len();
    }
    open.map(|content_start| Section {
        content_start,
        end: text.len(),
    })
}

fn with_newline(text: &str) -> String {
    if text.is_empty() || text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

/// Adds `block` as the first thing in the section (newest entries first), or a new section
/// named `title` at the end of the file.
pub fn prepend_to_section(
    text: &str,
    matches: &dyn Fn(&str) -> bool,
    title: &str,
    block: &str,
) -> String {
    let block = with_newline(block.trim_matches('\n'));
    match find_section(text, matches) {
        Some(s) => {
            let rest = &text[s.content_start..];
            let skip = rest.len() - rest.trim_start_matches(['\n', '\r']).len();
            let at = s.content_start + skip;
            // An intro paragraph stays above the entries: insert before the first sub-heading
            // or list when the section opens with prose.
            let insert_at = first_entry_offset(text, at, s.end);
            let head = &text[..insert_at];
            let gap = if head.ends_with("\n\n") || head.is_empty() {
                ""
            } else if head.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            format!("{head}{gap}{block}\n{}", &text[insert_at..])
        }
        None => append_section(text, title, &block),
    }
}

/// Where the entries of a section begin: its first sub-heading or list item; else its end.
fn first_entry_offset(text: &str, from: usize, end: usize) -> usize {
    let mut offset = from;
    let mut in_code = false;
    for line in text[from..end].split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_code = !in_code;
        } else if !in_code
            && (t.starts_with('#')
                || t.starts_with("- ")
                || t.starts_with("* ")
                || t.starts_with("1. "))
        {
            return offset;
        }
        offset += line.len();
    }
    end
}

/// Adds `block` as the last thing in the section, or a new section at the end of the file.
pub fn append_to_section(
    text: &str,
    matches: &dyn Fn(&str) -> bool,
    title: &str,
    block: &str,
) -> String {
    let block = with_newline(block.trim_matches('\n'));
    match find_section(text, matches) {
        Some(s) => {
            let before = text[..s.end].trim_end_matches(['\n', '\r']);
            let after = &text[s.end..];
            let sep = if after.is_empty() { "" } else { "\n" };
            format!("{before}\n\n{block}{sep}{after}")
        }
        None => append_section(text, title, &block),
    }
}

fn append_section(text: &str, title: &str, block: &str) -> String {
    format!(
        "{}\n\n## {title}\n\n{block}",
        text.trim_end_matches(['\n', '\r'])
    )
}

/// The `(level, heading)` list of a Markdown body, outside code blocks: what must survive an
/// edit.
pub fn headings(text: &str) -> Vec<(usize, String)> {
    let body_start = front_matter_bounds(text).map(|b| b.2).unwrap_or(0);
    let mut in_code = false;
    let mut out = Vec::new();
    for line in text[body_start..].lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_code = !in_code;
        } else if !in_code && let Some((level, title)) = heading(line) {
            out.push((level, title.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RB: &str = "---\ntitle: T\nservice: s\nowners: [team-a]\nalerts: [A1]\nvisibility: internal\nlast_reviewed: 2026-01-01\n---\n# T\n\nIntro.\n\n## Rollback\n\nRoll back with care.\n\n### Old\n\n1. step\n\n## Notes\n\n```\n## not a heading\n```\n";

    fn is(name: &'static str) -> impl Fn(&str) -> bool {
        move |h: &str| h == name
    }

    #[test]
    fn front_matter_lines_are_set_and_alerts_added() {
        let t = set_last_reviewed(RB, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert!(t.contains("last_reviewed: 2026-11-27\n"));
        assert!(!t.contains("2026-01-01"));
        let t = add_alerts(&t, &[AlertName::parse("NewAlert").unwrap()]);
        assert!(t.contains("alerts: [A1, NewAlert]\n"), "{t}");
        let block = "---\ntitle: T\nalerts:\n    - A1\nowners: [x]\n---\nbody\n";
        let t = add_alerts(block, &[AlertName::parse("B2").unwrap()]);
        assert!(t.contains("alerts:\n    - A1\n    - B2\nowners"), "{t}");
        let none = "---\ntitle: T\n---\nbody\n";
        assert!(add_alerts(none, &[AlertName::parse("C3").unwrap()]).contains("alerts: [C3]\n---"));
    }

    #[test]
    fn entries_go_first_in_a_section_below_its_intro() {
        let t = prepend_to_section(RB, &is("rollback"), "Rollback", "### New\n\n1. undo");
        let rollback = t.find("## Rollback").unwrap();
        let intro = t.find("Roll back with care.").unwrap();
        let new = t.find("### New").unwrap();
        let old = t.find("### Old").unwrap();
        assert!(rollback < intro && intro < new && new < old, "{t}");
        assert!(t.ends_with("```\n## not a heading\n```\n"));
    }

    #[test]
    fn appended_entries_close_their_section_and_missing_sections_are_created() {
        let t = append_to_section(RB, &is("rollback"), "Rollback", "- last");
        assert!(t.contains("1. step\n\n- last\n\n## Notes"), "{t}");
        let t = append_to_section(RB, &is("known issues"), "Known issues", "- slow");
        assert!(t.ends_with("```\n\n## Known issues\n\n- slow\n"), "{t}");
        // A heading inside a code block is not a section.
        let t = append_to_section(RB, &is("not a heading"), "X", "- y");
        assert!(t.ends_with("## X\n\n- y\n"));
    }

    #[test]
    fn headings_ignore_code() {
        let h = headings(RB);
        assert_eq!(
            h,
            vec![
                (1, "T".to_string()),
                (2, "Rollback".to_string()),
                (3, "Old".to_string()),
                (2, "Notes".to_string())
            ]
        );
    }
}
