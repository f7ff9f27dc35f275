//! Line diffs for reviewers: what a draft or a revision changes, with a little context.

use similar::{ChangeTag, TextDiff};

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub change: Change,
    pub text: String,
    /// 1-based line numbers in the old and the new text.
    pub old: Option<usize>,
    pub new: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
    /// Unchanged lines left out between hunks.
    Gap,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Change::Same => "same",
            Change::Added => "add",
            Change::Removed => "del",
            Change::Gap => "gap",
        }
    }
}

/// The changes from `old` to `new` in hunks with `context` lines around each.
pub fn lines(old: &str, new: &str, context: usize) -> Vec<Line> {
    let diff = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(context).iter().enumerate() {
        if i > 0 {
            out.push(Line {
                change: Change::Gap,
                text: String::new(),
                old: None,
                new: None,
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                out.push(Line {
                    change: match change.tag() {
                        ChangeTag::Equal => Change::Same,
                        ChangeTag::Insert => Change::Added,
                        ChangeTag::Delete => Change::Removed,
                    },
                    text: change.value().trim_end_matches(['\n', '\r']).to_string(),
                    old: change.old_index().map(|n| n + 1),
                    new: change.new_index().map(|n| n + 1),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_hunks_with_context_are_shown() {
        let old = (1..=20).map(|n| format!("l{n}\n")).collect::<String>();
        let new = old.replace("l3\n", "l3\nadded\n").replace("l18\n", "");
        let d = lines(&old, &new, 1);
        let changed: Vec<(&str, &str)> = d
            .iter()
            .filter(|l| l.change != Change::Same)
            .map(|l| (l.change.name(), l.text.as_str()))
            .collect();
        assert_eq!(changed, vec![("add", "added"), ("gap", ""), ("del", "l18")]);
        assert!(lines("same\n", "same\n", 3).is_empty());
    }
}
