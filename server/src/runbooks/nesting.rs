//! How deeply rendered HTML nests, measured the way the sanitizer's parser will build it.
//!
//! Why this exists: html5ever, the parser ammonia sanitizes with, looks through its stack of
//! open elements for many tags, so its cost is the input's length times its nesting depth.
//! 64 KB of `> - ` (a quote in a list in a quote…) or of `<div><span>` took seconds, and a
//! 2 MB runbook would have taken many minutes. Pages are refused past [`MAX_DEPTH`] instead.
//!
//! The same parser, building its tree in `markup5ever_rcdom`, also finds a node's place among
//! its siblings by walking them when it moves a node or inserts one beside another (foster
//! parenting out of a table, re-nesting misnested formatting): 64 KB of `<table><div>` took
//! 16 ms, 512 KB a second. That work is counted too, against a budget linear in the input.
//!
//! The depth is measured with html5ever itself (the same fragment context ammonia uses), over
//! a tree that records only parents, so raw HTML, foster parenting out of tables and the
//! re-opening of formatting elements count exactly as they will nest. The measurement stops
//! within one chunk of passing the limit, so it is linear too.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::sync::LazyLock;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, QualName, local_name, ns, parse_fragment};

/// The deepest nesting a page may have. Runbooks need a handful of levels (a list in a quote
/// in a list is 6 elements); 128 leaves room for any real page and bounds the parser's cost.
pub const MAX_DEPTH: usize = 128;

/// How much HTML is parsed between two looks at the depth: past the limit, at most this much
/// more is parsed, at a cost bounded by the limit too.
const CHUNK: usize = 1024;

/// Sibling walks allowed per byte of HTML (plus a floor for small pages); ordinary pages need
/// none, as nothing is moved or foster-parented in well-formed HTML.
const WALKS_PER_BYTE: usize = 16;

/// The byte offset in `html` near which the nesting passes [`MAX_DEPTH`], or the parser's
/// sibling walks pass their budget, if either does.
pub fn too_deep_at(html: &str) -> Option<usize> {
    let exceeded = Rc::new(Cell::new(false));
    let sink = Gauge {
        document: Node::new(None),
        exceeded: exceeded.clone(),
        walks: Cell::new(0),
        budget: WALKS_PER_BYTE * html.len() + 65_536,
    };
    let mut parser = parse_fragment(
        sink,
        Default::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        vec![],
        false,
    );
    let mut start = 0;
    while start < html.len() {
        let mut end = (start + CHUNK).min(html.len());
        while !html.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&html[start..end]));
        if exceeded.get() {
            return Some(start);
        }
        start = end;
    }
    parser.finish();
    exceeded.get().then_some(html.len())
}

/// An element (or the document, or a template's contents) and where it hangs.
struct Node {
    name: Option<QualName>,
    parent: RefCell<Weak<Node>>,
    children: RefCell<Vec<Rc<Node>>>,
    contents: RefCell<Option<Rc<Node>>>,
}

impl Node {
    fn new(name: Option<QualName>) -> Rc<Self> {
        Rc::new(Self {
            name,
            parent: RefCell::new(Weak::new()),
            children: RefCell::new(Vec::new()),
            contents: RefCell::new(None),
        })
    }

    /// The number of ancestors, counting no further than just past the limit.
    fn depth(self: &Rc<Self>) -> usize {
        let mut depth = 0;
        let mut at = self.parent.borrow().upgrade();
        while let Some(node) = at {
            depth += 1;
            if depth > MAX_DEPTH {
                break;
            }
            at = node.parent.borrow().upgrade();
        }
        depth
    }
}

struct Gauge {
    document: Rc<Node>,
    exceeded: Rc<Cell<bool>>,
    /// Siblings the real tree would walk past so far.
    walks: Cell<usize>,
    budget: usize,
}

impl Gauge {
    /// Counts a walk over `siblings` nodes; past the budget the page is refused. Once refused,
    /// the gauge does nothing more, so the rest of the chunk costs little.
    fn walk(&self, siblings: usize) -> bool {
        if self.exceeded.get() {
            return false;
        }
        self.walks.set(self.walks.get() + siblings);
        if self.walks.get() > self.budget {
            self.exceeded.set(true);
            return false;
        }
        true
    }

    fn attach(&self, parent: &Rc<Node>, child: &Rc<Node>) {
        if self.exceeded.get() {
            return;
        }
        self.detach(child);
        *child.parent.borrow_mut() = Rc::downgrade(parent);
        parent.children.borrow_mut().push(child.clone());
        if parent.depth() + 1 > MAX_DEPTH {
            self.exceeded.set(true);
        }
    }

    fn detach(&self, child: &Rc<Node>) {
        let old = child.parent.replace(Weak::new()).upgrade();
        if let Some(old) = old {
            let siblings = old.children.borrow().len();
            if self.walk(siblings) {
                old.children.borrow_mut().retain(|c| !Rc::ptr_eq(c, child));
            }
        }
    }
}

impl TreeSink for Gauge {
    type Handle = Rc<Node>;
    type Output = ();
    type ElemName<'a> = &'a QualName;

    fn finish(self) {}

    fn parse_error(&self, _msg: std::borrow::Cow<'static, str>) {}

    fn get_document(&self) -> Rc<Node> {
        self.document.clone()
    }

    fn elem_name<'a>(&'a self, target: &'a Rc<Node>) -> &'a QualName {
        static NONE: LazyLock<QualName> =
            LazyLock::new(|| QualName::new(None, ns!(html), local_name!("")));
        target.name.as_ref().unwrap_or(&NONE)
    }

    fn create_element(
        &self,
        name: QualName,
        _attrs: Vec<Attribute>,
        flags: ElementFlags,
    ) -> Rc<Node> {
        let node = Node::new(Some(name));
        if flags.template {
            let contents = Node::new(None);
            *contents.parent.borrow_mut() = Rc::downgrade(&node);
            *node.contents.borrow_mut() = Some(contents);
        }
        node
    }

    fn create_comment(&self, _text: StrTendril) -> Rc<Node> {
        Node::new(None)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Rc<Node> {
        Node::new(None)
    }

    fn append(&self, parent: &Rc<Node>, child: NodeOrText<Rc<Node>>) {
        if let NodeOrText::AppendNode(child) = child {
            self.attach(parent, &child);
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &Rc<Node>,
        prev_element: &Rc<Node>,
        child: NodeOrText<Rc<Node>>,
    ) {
        match element.parent.borrow().upgrade() {
            Some(parent) => self.append_before_sibling_of(&parent, child),
            None => self.append(prev_element, child),
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Rc<Node>) -> Rc<Node> {
        target
            .contents
            .borrow()
            .clone()
            .unwrap_or_else(|| target.clone())
    }

    fn same_node(&self, x: &Rc<Node>, y: &Rc<Node>) -> bool {
        Rc::ptr_eq(x, y)
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Rc<Node>, new_node: NodeOrText<Rc<Node>>) {
        if let Some(parent) = sibling.parent.borrow().upgrade() {
            self.append_before_sibling_of(&parent, new_node);
        }
    }

    fn add_attrs_if_missing(&self, _target: &Rc<Node>, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &Rc<Node>) {
        self.detach(target);
    }

    fn reparent_children(&self, node: &Rc<Node>, new_parent: &Rc<Node>) {
        let moved = std::mem::take(&mut *node.children.borrow_mut());
        if !self.walk(moved.len()) {
            return;
        }
        for child in moved {
            *child.parent.borrow_mut() = Weak::new();
            self.attach(new_parent, &child);
        }
    }
}

impl Gauge {
    /// Where a node goes beside a sibling: under the same parent, which is all depth needs.
    fn append_before_sibling_of(&self, parent: &Rc<Node>, child: NodeOrText<Rc<Node>>) {
        let siblings = parent.children.borrow().len();
        if !self.walk(siblings) {
            return;
        }
        if let NodeOrText::AppendNode(child) = child {
            self.attach(parent, &child);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_pass() {
        let page = "<h2 id=\"a\">A</h2><ul><li><p>one <b>two</b></p><blockquote><p>q</p></blockquote></li></ul><table><tr><td>x</td></tr></table>";
        assert_eq!(too_deep_at(&page.repeat(500)), None);
        assert_eq!(too_deep_at(&"<p>a</p>".repeat(10_000)), None);
    }

    #[test]
    fn deep_nesting_is_found_however_it_is_built() {
        let deep = MAX_DEPTH + 10;
        // Plain elements, elements the HTML parser closes by itself when they are never
        // closed (it does not close these), formatting elements it re-opens in every
        // paragraph, and elements foster-parented out of unclosed tables.
        for page in [
            "<div>".repeat(deep),
            "<span a=\"b\">".repeat(deep),
            (0..deep)
                .map(|i| format!("<b class=\"c{i}\">"))
                .collect::<String>()
                + "<p>x</p>",
            "<table>".to_string() + &"<div>".repeat(deep),
            "<blockquote><ul><li>".repeat(deep / 3 + 1),
        ] {
            assert!(too_deep_at(&page).is_some(), "{}", &page[..40]);
        }
    }

    #[test]
    fn reopened_formatting_elements_count_where_they_nest() {
        // Each </p> closes the <b>s, and the next paragraph re-opens all of them.
        let formatting: String = (0..MAX_DEPTH + 5)
            .map(|i| format!("<p><b class=\"c{i}\">x</p>"))
            .collect();
        assert!(too_deep_at(&formatting).is_some());
    }

    #[test]
    fn walking_ever_more_siblings_is_refused() {
        // Each div is foster-parented before its table, among all the earlier tables and divs.
        assert!(too_deep_at(&"<table><div>".repeat(20_000)).is_some());
    }

    #[test]
    fn closed_elements_do_not_add_up() {
        assert_eq!(
            too_deep_at(&"<div><span>x</span></div>".repeat(5_000)),
            None
        );
        // A table start tag inside a table closes the first: siblings, not nesting.
        assert_eq!(too_deep_at(&"<table><div>".repeat(100)), None);
        assert_eq!(too_deep_at(&"</b><i>x</i>".repeat(5_000)), None);
    }
}
