//! Risk tiers: 3 (low) is approved automatically when policy passes, 2 needs one approval
//! by an owner of the template or an approver, 1 (high) needs two distinct approvals with
//! at least one security reviewer. Policy escalations only ever raise the risk.

use crate::policy::{Finding, Level};

/// The tier after escalations: the lowest number (highest risk) of the template's base
/// tier and every escalation.
pub fn effective(base: u8, findings: &[Finding]) -> u8 {
    findings
        .iter()
        .filter(|f| f.level == Level::Escalate)
        .filter_map(|f| f.tier)
        .fold(base, u8::min)
        .clamp(1, 3)
}

/// Who must approve a request of this tier, in words.
pub fn approval_rule(tier: u8, owners: &[String]) -> String {
    match tier {
        3 => "Approved automatically when policy passes; the evidence is recorded.".to_string(),
        2 => format!(
            "One approval by an owner of the template ({}) or an approver.",
            owners.join(", ")
        ),
        _ => "Two approvals by different people, at least one of them a security reviewer."
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escalation(tier: u8) -> Finding {
        Finding {
            level: Level::Escalate,
            policy: "p".into(),
            rule: "r".into(),
            message: "m".into(),
            fix: None,
            tier: Some(tier),
        }
    }

    #[test]
    fn escalations_raise_the_risk_and_never_lower_it() {
        assert_eq!(effective(3, &[]), 3);
        assert_eq!(effective(3, &[escalation(2)]), 2);
        assert_eq!(effective(2, &[escalation(2), escalation(1)]), 1);
        assert_eq!(effective(1, &[escalation(2)]), 1);
    }
}
