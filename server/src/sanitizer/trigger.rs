//! One pass over the text that finds the lines the per-line detectors must look at.

use super::lines::line_around;
use super::{Detector, OptionsError};

/// The per-line detectors as one automaton: one pass over the text finds the lines worth a
/// closer look, instead of one pass per pattern; a second automaton with overlapping
/// semantics says which of them may match on such a line, and only those run.
///
/// The automata hold a relaxed form of each pattern ([`relaxed`]): counted repetitions like
/// `[A-Za-z0-9]{32,64}` multiply the states of a union of forty patterns, and the lazy DFA
/// then spends most of its time building states it throws away. The relaxed form matches
/// wherever the pattern does, so no line or detector is missed; the exact pattern decides.
pub(super) struct LineTrigger {
    first: regex_automata::meta::Regex,
    all: regex_automata::meta::Regex,
    /// Pattern `p` of both automata is detector `detectors[p]`.
    detectors: Vec<usize>,
}

/// Counted repetitions up to this stay as written: they add few states, and opening them
/// (`(?:[0-9]{1,3}\.){3}` as `(?:[0-9]+\.)+`) would wake the detectors on far more lines.
const SMALL_COUNT: u32 = 4;

/// `pattern` with every larger counted repetition made open (`X{m,n}` as `X+`, or `X*` when
/// `m` is 0) and no capture groups: it matches at least wherever `pattern` matches.
pub(super) fn relaxed(pattern: &str) -> Result<regex_syntax::hir::Hir, String> {
    fn relax(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
        use regex_syntax::hir::{Hir, HirKind};
        match hir.kind() {
            HirKind::Repetition(r) => {
                let mut r = r.clone();
                r.sub = Box::new(relax(&r.sub));
                if r.min > SMALL_COUNT || r.max.is_some_and(|m| m > SMALL_COUNT) {
                    r.min = r.min.min(1);
                    r.max = None;
                }
                Hir::repetition(r)
            }
            HirKind::Capture(c) => relax(&c.sub),
            HirKind::Concat(subs) => Hir::concat(subs.iter().map(relax).collect()),
            HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(relax).collect()),
            _ => hir.clone(),
        }
    }
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    Ok(relax(&hir))
}

impl LineTrigger {
    pub(super) fn new(
        all_detectors: &[Detector],
        detectors: Vec<usize>,
    ) -> Result<Self, OptionsError> {
        let failed = |reason: String| OptionsError::Pattern {
            name: "per-line detectors".into(),
            reason,
        };
        let patterns = detectors
            .iter()
            .map(|i| relaxed(all_detectors[*i].regex.as_str()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(failed)?;
        let build = |kind| {
            regex_automata::meta::Regex::builder()
                .configure(
                    regex_automata::meta::Config::new()
                        .match_kind(kind)
                        .nfa_size_limit(Some(64 << 20))
                        .hybrid_cache_capacity(16 << 20),
                )
                .build_many_from_hir(&patterns)
                .map_err(|e| failed(e.to_string()))
        };
        Ok(Self {
            first: build(regex_automata::MatchKind::LeftmostFirst)?,
            all: build(regex_automata::MatchKind::All)?,
            detectors,
        })
    }

    /// Calls `f(line start, line end, detector)` for each detector matching on each line.
    pub(super) fn for_each_line(&self, text: &str, mut f: impl FnMut(usize, usize, usize)) {
        let mut hits = regex_automata::PatternSet::new(self.detectors.len());
        let input = regex_automata::Input::new(text);
        let mut at = 0;
        while at < text.len() {
            let Some(m) = self.first.search(&input.clone().range(at..)) else {
                break;
            };
            let (start, end, next) = line_around(text, m.start());
            hits.clear();
            self.all
                .which_overlapping_matches(&input.clone().range(start..end), &mut hits);
            for pattern in hits.iter() {
                f(start, end, self.detectors[pattern.as_usize()]);
            }
            at = next;
        }
    }
}
