/*
 * page_cache — see page_cache.h.
 *
 * Locks: the slug table has a read-write lock (readers on every view, a
 * writer only the first time a slug is seen). Each organization entry has
 * `lock`, held only to read or swap a body pointer and take a reference,
 * and `render`, held while one thread loads a snapshot and renders, so that
 * a burst of views after a change renders once.
 */
#include "http/page_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/changes.h"
#include "http/web_assets.h"
#include "util/alloc.h"
#include "util/log.h"

#define SLUG_BUCKETS 1024
#define INCIDENT_SLOTS 64
#define GZIP_MIN 64 /* below this, gzip cannot win */

struct org_pages {
	char slug[64];
	bool rooted;
	char org_id[ID_LEN];
	char base[80];
	pthread_mutex_t lock;	/* guards the body pointers */
	pthread_mutex_t render; /* one renderer at a time; guards snap */
	struct sp_snapshot snap;
	bool has_snap;
	uint64_t snap_gen;
	struct page_body *kinds[PAGE_KINDS];
	struct page_body *incidents[INCIDENT_SLOTS];
	struct org_pages *next; /* bucket chain */
};

struct page_cache {
	struct core *core;
	pthread_rwlock_t lock; /* guards the buckets */
	struct org_pages *buckets[SLUG_BUCKETS];
	struct page_body **assets; /* parallel to web_assets */
	char css_href[64], js_href[64];
};

static const struct {
	const char *content_type;
	bool timed; /* depends on the minute, not only on the data */
} kinds[PAGE_KINDS] = {
	[PAGE_HTML] = { "text/html; charset=utf-8", true },
	[PAGE_SUMMARY] = { "application/json", false },
	[PAGE_STATUS] = { "application/json", false },
	[PAGE_COMPONENTS] = { "application/json", false },
	[PAGE_INCIDENTS] = { "application/json", false },
	[PAGE_UNRESOLVED] = { "application/json", false },
	[PAGE_ATOM] = { "application/atom+xml; charset=utf-8", false },
	[PAGE_RSS] = { "application/rss+xml; charset=utf-8", false },
	[PAGE_INCIDENT] = { "text/html; charset=utf-8", false },
};

static uint64_t fnv64(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* --- bodies --- */

void page_body_ref(struct page_body *b)
{
	atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
}

void page_body_unref(void *p)
{
	struct page_body *b = p;
	if (!b || atomic_fetch_sub_explicit(&b->refs, 1,
					    memory_order_acq_rel) != 1)
		return;
	free(b->data);
	free(b->gz);
	free(b);
}

static void gzip_body(struct page_body *b)
{
	if (b->len < GZIP_MIN)
		return;
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	uLong cap = deflateBound(&zs, (uLong)b->len) + 32;
	char *out = xmalloc(cap);
	zs.next_in = (Bytef *)b->data;
	zs.avail_in = (uInt)b->len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)cap;
	int r = deflate(&zs, Z_FINISH);
	size_t n = cap - zs.avail_out;
	deflateEnd(&zs);
	if (r != Z_STREAM_END || n >= b->len) {
		free(out);
		return;
	}
	b->gz = out;
	b->gz_len = n;
}

/* Takes the bytes of text; computes the gzip form and the ETags. */
static struct page_body *body_new(enum page_kind kind, int status,
				  struct buf *text, uint64_t gen,
				  int64_t minute)
{
	struct page_body *b = xcalloc(1, sizeof(*b));
	atomic_init(&b->refs, 1);
	b->kind = kind;
	b->status = status;
	b->content_type = kinds[kind].content_type;
	b->gen = gen;
	b->minute = minute;
	b->data = buf_detach(text, &b->len);
	if (!b->data)
		b->data = xstrdup("");
	uint64_t h = fnv64(b->data, b->len);
	snprintf(b->etag, sizeof(b->etag), "\"%016llx\"", (unsigned long long)h);
	snprintf(b->etag_gz, sizeof(b->etag_gz), "\"%016llx-gz\"",
		 (unsigned long long)h);
	gzip_body(b);
	return b;
}

/* --- assets --- */

static void assets_init(struct page_cache *pc)
{
	pc->assets = xcalloc(web_assets_count + 1, sizeof(*pc->assets));
	for (size_t i = 0; i < web_assets_count; i++) {
		const struct web_asset *a = &web_assets[i];
		struct buf text = BUF_INIT;
		buf_append(&text, a->data, a->len);
		struct page_body *b = body_new(PAGE_HTML, 200, &text, 0, -1);
		b->content_type = a->content_type;
		pc->assets[i] = b;
		/* The version in the URL lets browsers keep it for a day. */
		char *href = strcmp(a->name, "status.css") == 0 ? pc->css_href
			     : strcmp(a->name, "status.js") == 0 ? pc->js_href
								  : NULL;
		if (href)
			snprintf(href, sizeof(pc->css_href), "/assets/%s?v=%.8s",
				 a->name, b->etag + 1);
	}
}

struct page_body *page_cache_asset(struct page_cache *pc, const char *name)
{
	for (size_t i = 0; i < web_assets_count; i++) {
		if (strcmp(web_assets[i].name, name) == 0) {
			page_body_ref(pc->assets[i]);
			return pc->assets[i];
		}
	}
	return NULL;
}

/* --- lifecycle --- */

struct page_cache *page_cache_new(struct core *core)
{
	struct page_cache *pc = xcalloc(1, sizeof(*pc));
	pc->core = core;
	pthread_rwlock_init(&pc->lock, NULL);
	assets_init(pc);
	return pc;
}

static void org_pages_free(struct org_pages *op)
{
	for (int k = 0; k < PAGE_KINDS; k++)
		page_body_unref(op->kinds[k]);
	for (int i = 0; i < INCIDENT_SLOTS; i++)
		page_body_unref(op->incidents[i]);
	if (op->has_snap)
		statuspage_snapshot_cleanup(&op->snap);
	pthread_mutex_destroy(&op->lock);
	pthread_mutex_destroy(&op->render);
	free(op);
}

void page_cache_free(struct page_cache *pc)
{
	if (!pc)
		return;
	for (size_t b = 0; b < SLUG_BUCKETS; b++) {
		struct org_pages *op = pc->buckets[b];
		while (op) {
			struct org_pages *next = op->next;
			org_pages_free(op);
			op = next;
		}
	}
	for (size_t i = 0; i < web_assets_count; i++)
		page_body_unref(pc->assets[i]);
	free(pc->assets);
	pthread_rwlock_destroy(&pc->lock);
	free(pc);
}

/* --- organizations by slug --- */

static size_t bucket_of(const char *slug, bool rooted)
{
	return (fnv64(slug, strlen(slug)) + rooted) % SLUG_BUCKETS;
}

static struct org_pages *find(struct page_cache *pc, const char *slug,
			      bool rooted)
{
	struct org_pages *op = pc->buckets[bucket_of(slug, rooted)];
	while (op && (op->rooted != rooted || strcmp(op->slug, slug) != 0))
		op = op->next;
	return op;
}

static struct org_pages *org_pages_new(const struct org *org, bool rooted)
{
	struct org_pages *op = xcalloc(1, sizeof(*op));
	snprintf(op->slug, sizeof(op->slug), "%s", org->slug);
	op->rooted = rooted;
	memcpy(op->org_id, org->id, ID_LEN);
	if (!rooted)
		snprintf(op->base, sizeof(op->base), "/status/%s", org->slug);
	pthread_mutex_init(&op->lock, NULL);
	pthread_mutex_init(&op->render, NULL);
	return op;
}

/* The entry of slug, looked up in the store the first time only. */
static struct org_pages *org_of(struct page_cache *pc, const char *slug,
				bool rooted, int *rc)
{
	pthread_rwlock_rdlock(&pc->lock);
	struct org_pages *op = find(pc, slug, rooted);
	pthread_rwlock_unlock(&pc->lock);
	if (op)
		return op;
	struct org org;
	*rc = statuspage_org_by_slug(pc->core, slug, &org);
	if (*rc)
		return NULL;
	pthread_rwlock_wrlock(&pc->lock);
	op = find(pc, slug, rooted);
	if (!op) {
		op = org_pages_new(&org, rooted);
		size_t b = bucket_of(slug, rooted);
		op->next = pc->buckets[b];
		pc->buckets[b] = op;
	}
	pthread_rwlock_unlock(&pc->lock);
	org_cleanup(&org);
	return op;
}

/* --- rendering --- */

static int64_t minute_of(enum page_kind kind, int64_t now)
{
	return kinds[kind].timed ? now / 60000 : -1;
}

static bool fresh(const struct page_body *b, uint64_t gen, int64_t minute)
{
	return b && b->gen >= gen && b->minute == minute;
}

/* The slot where kind (or incident id) lives. Caller holds op->lock. */
static struct page_body **do_slot(struct org_pages *op, enum page_kind kind,
				  const char *incident_id)
{
	if (kind != PAGE_INCIDENT)
		return &op->kinds[kind];
	size_t i = fnv64(incident_id, strlen(incident_id)) % INCIDENT_SLOTS;
	return &op->incidents[i];
}

/*
 * A new reference to the body in its slot when it is fresh. When it is
 * current with the data but from an earlier minute, *dated gets a reference
 * instead (NULL otherwise): it may be served while another thread renders.
 */
static struct page_body *cached(struct org_pages *op, enum page_kind kind,
				const char *incident_id, uint64_t gen,
				int64_t minute, struct page_body **dated)
{
	pthread_mutex_lock(&op->lock);
	struct page_body *b = *do_slot(op, kind, incident_id);
	if (b && kind == PAGE_INCIDENT && strcmp(b->incident_id, incident_id))
		b = NULL;
	if (dated)
		*dated = NULL;
	if (fresh(b, gen, minute)) {
		page_body_ref(b);
	} else {
		if (dated && b && b->gen >= gen) {
			page_body_ref(b);
			*dated = b;
		}
		b = NULL;
	}
	pthread_mutex_unlock(&op->lock);
	return b;
}

/* Caller holds op->render. Reloads the snapshot when data changed. */
static int do_snapshot(struct page_cache *pc, struct org_pages *op,
		       uint64_t gen)
{
	if (op->has_snap && op->snap_gen >= gen)
		return 0;
	struct sp_snapshot snap;
	int rc = statuspage_load(pc->core, op->org_id, &snap);
	if (rc) {
		log_error("status page of %s: cannot load (%d)", op->slug, rc);
		return rc;
	}
	if (op->has_snap)
		statuspage_snapshot_cleanup(&op->snap);
	op->snap = snap;
	op->has_snap = true;
	op->snap_gen = gen;
	return 0;
}

static void render_incident(struct page_cache *pc, struct org_pages *op,
			    const struct public_view *v, const char *id,
			    struct buf *out, int *status)
{
	struct incident inc;
	int rc = statuspage_incident(pc->core, &op->snap, id, &inc);
	if (rc) {
		*status = 404;
		public_render_not_found(v, out);
		return;
	}
	*status = 200;
	public_render_incident(v, &inc, out);
	incident_cleanup(&inc);
}

/* Caller holds op->render and has a fresh snapshot. */
static struct page_body *do_render(struct page_cache *pc,
				   struct org_pages *op, enum page_kind kind,
				   const char *incident_id, uint64_t gen,
				   int64_t now)
{
	struct public_view v = { &op->snap, op->base, now, pc->css_href,
				 pc->js_href };
	struct buf out = BUF_INIT;
	int status = 200;
	switch (kind) {
	case PAGE_HTML: public_render_html(&v, &out); break;
	case PAGE_ATOM:
	case PAGE_RSS: feeds_render(kind, &v, &out); break;
	case PAGE_INCIDENT:
		render_incident(pc, op, &v, incident_id, &out, &status);
		break;
	default: public_v2_render(kind, &v, &out); break;
	}
	struct page_body *b =
		body_new(kind, status, &out, gen, minute_of(kind, now));
	if (incident_id)
		snprintf(b->incident_id, sizeof(b->incident_id), "%s",
			 incident_id);
	buf_cleanup(&out);
	return b;
}

static struct page_body *render(struct page_cache *pc, struct org_pages *op,
				enum page_kind kind, const char *incident_id,
				int *rc)
{
	pthread_mutex_lock(&op->render);
	/* Read the generation before the data: a later write makes it stale. */
	uint64_t gen = changes_generation(pc->core->changes, op->org_id);
	int64_t now = clock_now(pc->core->clock);
	int64_t minute = minute_of(kind, now);
	/* Another thread may have rendered it while this one waited. */
	struct page_body *b = cached(op, kind, incident_id, gen, minute, NULL);
	if (!b && (*rc = do_snapshot(pc, op, gen)) == 0) {
		b = do_render(pc, op, kind, incident_id, gen, now);
		page_body_ref(b); /* one for the slot, one for the caller */
		pthread_mutex_lock(&op->lock);
		struct page_body **slot = do_slot(op, kind, incident_id);
		struct page_body *old = *slot;
		*slot = b;
		pthread_mutex_unlock(&op->lock);
		page_body_unref(old);
	}
	pthread_mutex_unlock(&op->render);
	return b;
}

struct page_body *page_cache_get(struct page_cache *pc, const char *slug,
				 bool rooted, enum page_kind kind,
				 const char *incident_id, int *rc)
{
	*rc = 0;
	struct org_pages *op = org_of(pc, slug, rooted, rc);
	if (!op)
		return NULL;
	uint64_t gen = changes_generation(pc->core->changes, op->org_id);
	int64_t minute = minute_of(kind, clock_now(pc->core->clock));
	struct page_body *dated = NULL;
	struct page_body *b = cached(op, kind, incident_id, gen, minute, &dated);
	if (b)
		return b;
	/* Only the clock moved: one thread renders, the others keep serving
	 * the page of the previous minute (its data is current). */
	if (dated && pthread_mutex_trylock(&op->render) != 0)
		return dated;
	if (dated)
		pthread_mutex_unlock(&op->render);
	page_body_unref(dated);
	return render(pc, op, kind, incident_id, rc);
}
