/*
 * markdown — see markdown.h. One pass over cmark's tree with its iterator
 * (no recursion, so deep nesting costs no stack), one case per node type.
 */
#include "util/markdown.h"

#include <cmark.h>
#include <stdbool.h>
#include <string.h>

#include "util/html.h"

static const char LINK_REL[] = " rel=\"nofollow noopener noreferrer ugc\"";

/* cmark's tight lists show their items' paragraphs without <p>. */
static bool in_tight_list(cmark_node *para)
{
	cmark_node *item = cmark_node_parent(para);
	cmark_node *list = item ? cmark_node_parent(item) : NULL;
	return list && cmark_node_get_type(item) == CMARK_NODE_ITEM &&
	       cmark_node_get_list_tight(list);
}

static void open_link(struct buf *out, const char *url)
{
	buf_puts(out, "<a href=\"");
	html_escape_attr(out, url);
	buf_putc(out, '"');
	buf_puts(out, LINK_REL);
	buf_putc(out, '>');
}

static void literal(struct buf *out, cmark_node *n)
{
	html_escape(out, cmark_node_get_literal(n));
}

/* A raw HTML node, shown as the text the author typed. */
static void raw_html(struct buf *out, cmark_node *n, bool block)
{
	const char *s = cmark_node_get_literal(n);
	size_t len = s ? strlen(s) : 0;
	while (block && len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	if (block)
		buf_puts(out, "<p>");
	if (s)
		html_escape_n(out, s, len);
	if (block)
		buf_puts(out, "</p>\n");
}

static void list_tag(struct buf *out, cmark_node *n, bool enter)
{
	bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
	if (!enter) {
		buf_puts(out, ordered ? "</ol>\n" : "</ul>\n");
		return;
	}
	int start = cmark_node_get_list_start(n);
	if (ordered && start != 1)
		buf_printf(out, "<ol start=\"%d\">\n", start);
	else
		buf_puts(out, ordered ? "<ol>\n" : "<ul>\n");
}

static void link_tag(struct buf *out, cmark_node *n, bool enter)
{
	const char *url = cmark_node_get_url(n);
	if (!url || !html_url_safe(url))
		return; /* the link's text is rendered without the link */
	if (enter)
		open_link(out, url);
	else
		buf_puts(out, "</a>");
}

static void simple(struct buf *out, bool enter, const char *open,
		   const char *close)
{
	buf_puts(out, enter ? open : close);
}

static void render_node(struct buf *out, cmark_node *n, bool enter)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		if (!in_tight_list(n))
			simple(out, enter, "<p>", "</p>\n");
		break;
	case CMARK_NODE_HEADING:
		simple(out, enter, "<p><strong>", "</strong></p>\n");
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		simple(out, enter, "<blockquote>\n", "</blockquote>\n");
		break;
	case CMARK_NODE_LIST: list_tag(out, n, enter); break;
	case CMARK_NODE_ITEM: simple(out, enter, "<li>", "</li>\n"); break;
	case CMARK_NODE_EMPH: simple(out, enter, "<em>", "</em>"); break;
	case CMARK_NODE_STRONG:
		simple(out, enter, "<strong>", "</strong>");
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE: link_tag(out, n, enter); break;
	case CMARK_NODE_CODE_BLOCK:
		buf_puts(out, "<pre><code>");
		literal(out, n);
		buf_puts(out, "</code></pre>\n");
		break;
	case CMARK_NODE_CODE:
		buf_puts(out, "<code>");
		literal(out, n);
		buf_puts(out, "</code>");
		break;
	case CMARK_NODE_TEXT: literal(out, n); break;
	case CMARK_NODE_SOFTBREAK: buf_putc(out, '\n'); break;
	case CMARK_NODE_LINEBREAK: buf_puts(out, "<br>\n"); break;
	case CMARK_NODE_THEMATIC_BREAK: buf_puts(out, "<hr>\n"); break;
	case CMARK_NODE_HTML_BLOCK: raw_html(out, n, true); break;
	case CMARK_NODE_HTML_INLINE: raw_html(out, n, false); break;
	default: break; /* document, custom nodes: nothing of their own */
	}
}

void markdown_to_html(const char *md, struct buf *out)
{
	if (!md)
		return;
	cmark_node *doc = cmark_parse_document(md, strlen(md),
					       CMARK_OPT_SAFE |
						       CMARK_OPT_VALIDATE_UTF8);
	if (!doc)
		return;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		render_node(out, cmark_iter_get_node(it),
			    ev == CMARK_EVENT_ENTER);
	cmark_iter_free(it);
	cmark_node_free(doc);
}
