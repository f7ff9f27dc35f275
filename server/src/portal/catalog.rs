//! The catalog for the pages and the JSON API alike: the template list, a template's
//! schema, and the dry run. The caller becomes a [`Requester`] once; both adapters answer
//! with the same views, so they answer alike.

use std::collections::BTreeMap;
use std::sync::Arc;

use app::dto::{
    CatalogPage, CatalogQuery, FileProblem, ParamView, PolicyResult, PreviewView, RenderedFileView,
    TemplateCard, TemplateView,
};
use app::error::PortalError;
use serde_json::Value;

use crate::access::{Denied, Guard, Principal};
use crate::auth::Identity;
use crate::auth::authz::{Action, Resource};
use crate::catalog::params::{Param, ParamKind};
use crate::catalog::{Catalog, Template};
use crate::requests::preview::{Planner, Preview, PreviewError};
use crate::requests::tier;

/// Someone allowed to request templates. Only [`Templates::requester`] makes one.
pub struct Requester<'a> {
    who: &'a Identity,
}

/// The catalog use cases.
#[derive(Clone)]
pub struct Templates {
    planner: Arc<Planner>,
    guard: Guard,
}

impl Templates {
    pub fn new(planner: Arc<Planner>, guard: Guard) -> Self {
        Self { planner, guard }
    }

    /// The caller as a requester, or why they may not request (audited like every refusal).
    pub async fn requester<'a>(&self, principal: &'a Principal) -> Result<Requester<'a>, Denied> {
        let who = self
            .guard
            .require(
                principal,
                Action::RequestTemplates,
                Resource::Portal,
                "catalog",
            )
            .await?;
        Ok(Requester { who })
    }

    /// The catalog filtered by words, kind and tag, and the full views of the templates
    /// on the page (for the JSON API).
    pub fn list(
        &self,
        _requester: &Requester<'_>,
        query: &CatalogQuery,
    ) -> (CatalogPage, Vec<TemplateView>) {
        let catalog = &self.planner.catalog;
        let page = catalog_page(catalog, query);
        let views = page
            .templates
            .iter()
            .filter_map(|card| catalog.get(&card.id))
            .map(|t| template_view(t))
            .collect();
        (page, views)
    }

    /// One template's schema.
    pub fn template(
        &self,
        _requester: &Requester<'_>,
        id: &str,
    ) -> Result<TemplateView, PortalError> {
        let template = self.planner.catalog.get(id).ok_or(PortalError::NotFound)?;
        Ok(template_view(template))
    }

    /// The template a form is for, to read its parameters' kinds.
    pub fn get(&self, id: &str) -> Option<&Template> {
        self.planner.catalog.get(id).map(|t| &**t)
    }

    /// The dry run: what the request would render and what policy says, without storing.
    pub async fn preview(
        &self,
        requester: &Requester<'_>,
        id: &str,
        values: BTreeMap<String, Value>,
    ) -> Result<PreviewView, PortalError> {
        preview_view(&self.planner, requester.who, id, values).await
    }
}

/// The catalog filtered by words, kind and tag.
fn catalog_page(catalog: &Catalog, query: &CatalogQuery) -> CatalogPage {
    let words: Vec<String> = query.q.split_whitespace().map(str::to_lowercase).collect();
    let templates = catalog
        .templates
        .values()
        .filter(|t| query.kind.is_empty() || t.kind.name() == query.kind)
        .filter(|t| query.tag.is_empty() || t.tags.iter().any(|g| g == &query.tag))
        .filter(|t| {
            let text = format!(
                "{} {} {} {}",
                t.id,
                t.title,
                t.description,
                t.tags.join(" ")
            )
            .to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .map(|t| card(t))
        .collect();
    let mut tags: Vec<String> = catalog
        .templates
        .values()
        .flat_map(|t| t.tags.iter().cloned())
        .collect();
    tags.sort();
    tags.dedup();
    CatalogPage {
        templates,
        total: catalog.templates.len(),
        kinds: vec!["pipeline".into(), "sandbox".into()],
        tags,
        problems: catalog
            .problems
            .iter()
            .map(|p| FileProblem {
                file: p.file.clone(),
                line: None,
                reason: p.reason.clone(),
            })
            .collect(),
    }
}

fn card(t: &Template) -> TemplateCard {
    TemplateCard {
        id: t.id.clone(),
        version: t.version.clone(),
        title: t.title.clone(),
        description: t.description.clone(),
        kind: t.kind.name().to_string(),
        tier: t.tier,
        owners: t.owners.clone(),
        tags: t.tags.clone(),
    }
}

fn template_view(t: &Template) -> TemplateView {
    TemplateView {
        card: card(t),
        digest: t.digest.clone(),
        approval: tier::approval_rule(t.tier, &t.owners),
        parameters: t.params.iter().map(param_view).collect(),
        files: t.files.iter().map(|f| f.path.clone()).collect(),
    }
}

fn param_view(p: &Param) -> ParamView {
    let mut view = ParamView {
        name: p.name.clone(),
        label: p.label.clone(),
        description: p.description.clone(),
        required: p.required,
        kind: String::new(),
        pattern: None,
        item_pattern: None,
        min_length: None,
        max_length: None,
        min: None,
        max: None,
        min_items: None,
        max_items: None,
        values: Vec::new(),
        default: p.default.as_ref().map(Param::form_text),
        example: p.example.clone(),
    };
    match &p.kind {
        ParamKind::String {
            pattern,
            min_length,
            max_length,
        } => {
            view.kind = "string".into();
            view.pattern = pattern.as_ref().map(|p| p.source.clone());
            view.min_length = Some(*min_length);
            view.max_length = Some(*max_length);
        }
        ParamKind::Enum { values } => {
            view.kind = "enum".into();
            view.values = values.clone();
        }
        ParamKind::Bool => view.kind = "bool".into(),
        ParamKind::Integer { min, max } => {
            view.kind = "integer".into();
            view.min = Some(*min);
            view.max = Some(*max);
        }
        ParamKind::List {
            item_pattern,
            item_max_length,
            min_items,
            max_items,
        } => {
            view.kind = "list".into();
            view.item_pattern = item_pattern.as_ref().map(|p| p.source.clone());
            view.max_length = Some(*item_max_length);
            view.min_items = Some(*min_items);
            view.max_items = Some(*max_items);
        }
    }
    view
}

/// Values as a form shows them: what was submitted, as typed.
fn form_values(submitted: &BTreeMap<String, Value>) -> BTreeMap<String, String> {
    submitted
        .iter()
        .map(|(k, v)| (k.clone(), Param::form_text(v)))
        .collect()
}

/// Runs the dry run and turns every outcome into a view: bad fields, a template that
/// cannot render and a policy failure are all shown on the page, never lost.
async fn preview_view(
    planner: &Planner,
    who: &Identity,
    template_id: &str,
    submitted: BTreeMap<String, Value>,
) -> Result<PreviewView, PortalError> {
    let template = planner
        .catalog
        .get(template_id)
        .cloned()
        .ok_or(PortalError::NotFound)?;
    let mut view = PreviewView {
        template: template_view(&template),
        values: form_values(&submitted),
        field_errors: BTreeMap::new(),
        files: Vec::new(),
        policy: Vec::new(),
        tier: None,
        approval: None,
        blocked: true,
        error: None,
        policy_digest: planner.policies.digest.clone(),
    };
    match planner.preview(who, template_id, &submitted).await {
        Ok(preview) => fill(&mut view, preview),
        Err(PreviewError::UnknownTemplate(_)) => return Err(PortalError::NotFound),
        Err(PreviewError::Invalid(errors)) => view.field_errors = errors.0,
        Err(PreviewError::Render(e)) => {
            tracing::error!(template = template_id, error = %e, "a template failed to render");
            view.error = Some(format!(
                "The template could not render ({e}). Its owners ({}) have been told in the server log.",
                template.owners.join(", ")
            ));
        }
        Err(PreviewError::Policy(e)) => {
            tracing::error!(template = template_id, error = %e, "policy evaluation failed");
            view.error = Some(
                "The policies could not be evaluated, so the request cannot go ahead. Try again; if it persists, tell the platform team."
                    .into(),
            );
        }
    }
    Ok(view)
}

fn fill(view: &mut PreviewView, preview: Preview) {
    view.approval = Some(preview.approval_rule());
    view.tier = Some(preview.tier);
    view.blocked = preview.blocked;
    // The normalized values (defaults filled in) are what the form shows next.
    view.values = form_values(&preview.values);
    view.files = preview
        .files
        .into_iter()
        .map(|f| RenderedFileView {
            path: f.path,
            content: f.content,
        })
        .collect();
    view.policy = preview
        .findings
        .into_iter()
        .map(|f| PolicyResult {
            level: f.level.name().to_string(),
            policy: f.policy,
            rule: f.rule,
            message: f.message,
            fix: f.fix,
            tier: f.tier,
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_filters_by_words_kind_and_tag() {
        let catalog =
            Catalog::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog"))
                .unwrap();
        let all = catalog_page(&catalog, &CatalogQuery::default());
        assert_eq!(all.templates.len(), all.total);
        let sandboxes = catalog_page(
            &catalog,
            &CatalogQuery {
                kind: "sandbox".into(),
                ..Default::default()
            },
        );
        assert_eq!(
            sandboxes
                .templates
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>(),
            vec!["sandbox-environment"]
        );
        let words = catalog_page(
            &catalog,
            &CatalogQuery {
                q: "TERRAFORM apply".into(),
                ..Default::default()
            },
        );
        assert_eq!(words.templates.len(), 1);
        let tag = catalog_page(
            &catalog,
            &CatalogQuery {
                tag: "rust".into(),
                ..Default::default()
            },
        );
        assert!(
            tag.templates
                .iter()
                .all(|t| t.tags.contains(&"rust".to_string()))
        );
        assert!(!tag.templates.is_empty());
    }
}
