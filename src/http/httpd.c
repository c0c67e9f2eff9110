/*
 * httpd — see httpd.h. The event loops, connections and responses; the
 * parsing rules live in httpd_parse.c.
 *
 * Each worker owns an epoll instance, its listening socket (or its share
 * of one), and its connections; nothing is locked. A connection is added
 * once, edge-triggered for both directions, and never modified, so the hot
 * path is one recv, the handler, and one sendmsg (status line, header block
 * and body in one writev). Requests on a connection are answered strictly
 * one at a time: the next pipelined request is not parsed until the answer
 * before it is fully written, which keeps order and bounds memory.
 *
 * A connection's input buffer is reused for every request; it holds the
 * head, then the body (chunked bodies are decoded in place), so a request
 * costs no allocation once the buffer has grown to fit.
 *
 * Timeouts are three lists per worker, one per duration (header, idle,
 * linger): a connection re-armed goes to the tail, so each list stays in
 * deadline order and expiry only looks at heads.
 *
 * A request whose handler may block is parked: its connection goes, by a
 * mutex-guarded queue, to the blocking pool, and the worker forgets it (no
 * reads, no timers) until a pool thread posts it back to the worker's
 * mailbox and knocks on its eventfd. Only the handler's fields (req, resp,
 * query) are touched by the pool thread meanwhile.
 */
#define _GNU_SOURCE
#include "http/httpd.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "http/httpd_parse.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/log.h"

#define IN_START 4096           /* a new connection's input buffer */
#define IN_KEEP (64 * 1024)     /* larger buffers shrink back when idle */
#define IN_MIN_ROOM 1024        /* grow rather than read less than this */
#define CHUNK_SLACK (16 * 1024) /* a partial chunk line or trailer */
#define LINGER_MS 2000          /* reading leftovers after a last answer */
#define ACCEPT_PAUSE_MS 100     /* after EMFILE: let connections close */
#define MAX_EVENTS 128
#define ACCEPT_BATCH 16 /* SO_REUSEPORT: the socket is this worker's alone */

/* EV_DEAD: a closed connection whose memory waits for the end of the
 * epoll batch, since a later event of the same batch may still name it. */
enum ev_kind { EV_LISTEN, EV_WAKE, EV_CONN, EV_DEAD };

/* The first member of everything registered with epoll. */
struct ev {
	enum ev_kind kind;
	int fd;
};

enum conn_state {
	CS_HEAD,   /* reading a request head */
	CS_BODY,   /* reading its body */
	CS_LINGER, /* answered for the last time: discard input until EOF */
};

enum timer_kind { TM_HEADER, TM_IDLE, TM_LINGER, TM_KINDS, TM_NONE };

struct httpd_resp {
	int status;
	bool close;        /* the handler asked for Connection: close */
	struct buf head;   /* header lines; ours are added after the handler's */
	const char *body;
	size_t body_len;
	char *owned;                  /* free()d when sent */
	void (*release)(void *owner); /* called once when sent */
	void *owner;
	struct buf copy;   /* httpd_resp_body_copy and refusals */
	/* sending */
	const char *status_line;
	size_t status_len;
	char status_buf[32];
	size_t sent;
	bool active;    /* queued, not yet fully written */
	bool interim;   /* a 100 Continue: the request goes on after it */
	bool send_body; /* not for HEAD, 204, 304 */
};

struct worker;

struct httpd_conn {
	struct ev ev;
	struct worker *w;
	enum conn_state state;
	bool readable; /* an edge was seen and recv has not said EAGAIN */
	bool rdhup;    /* the peer closed its side: read to the end */
	bool closing;  /* close after the answer being sent */
	bool refused;  /* the module refused the request: always linger */
	char *in;
	size_t in_len, in_cap;
	struct httpd_field *fields;
	struct httpd_scan scan;
	struct httpd_head head;
	struct httpd_chunked chunked;
	size_t body_end;   /* Content-Length: end of the body in `in` */
	size_t wpos, rpos; /* chunked: decoded end, raw position */
	struct httpd_req req;
	struct buf query;  /* decoded pairs, on first httpd_query */
	bool query_ready;
	struct httpd_resp resp;
	size_t consumed;   /* bytes of the request being answered */
	size_t nul_off;    /* where the body's NUL was lent; SIZE_MAX: none */
	char nul_saved;
	bool parked;       /* its handler runs on the blocking pool */
	struct httpd_conn *qnext; /* in the pool's queue or a mailbox */
	enum timer_kind tkind;
	int64_t deadline;
	struct httpd_conn *tprev, *tnext;
	struct httpd_conn *prev, *next; /* the worker's connections */
	struct httpd_conn *dead_next;	/* the worker's closed ones */
};

struct timer_list {
	struct httpd_conn *head, *tail;
	int64_t span_ms;
};

struct worker {
	struct httpd *h;
	unsigned index;
	pthread_t thread;
	bool started;
	int epfd;
	struct ev listen_ev; /* fd: this worker's listening socket */
	struct ev wake_ev;   /* an eventfd: stop, or mail from the pool */
	bool listening, stopping;
	bool expired;        /* past the drain deadline */
	pthread_mutex_t mail_lock;
	struct httpd_conn *mail_head, *mail_tail; /* back from the pool */
	unsigned parked;
	int64_t accept_resume; /* after EMFILE, 0 otherwise */
	struct httpd_conn *conns;
	struct httpd_conn *dead; /* closed this turn; freed after it */
	struct timer_list timers[TM_KINDS];
	int64_t now; /* monotonic ms, refreshed each turn and after handlers */
	int64_t date_sec;
	char date[64]; /* "Date: …\r\n" */
	size_t date_len;
	char discard[16384];
	struct epoll_event events[MAX_EVENTS];
};

/* The blocking pool: a FIFO of parked connections and its threads. */
struct pool {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct httpd_conn *head, *tail;
	bool stopping;
	pthread_t *threads;
	unsigned started;
};

struct httpd {
	struct httpd_config cfg;
	struct httpd_limits lim;
	httpd_handler_fn handler;
	void *arg;
	int port;
	int shared_fd; /* HTTPD_ACCEPT_SHARED, else -1 */
	struct worker *workers;
	unsigned n_workers;
	struct pool pool;
	atomic_int n_conns;
	atomic_bool stopping;
	_Atomic int64_t drain_deadline;
};

static void conn_close(struct httpd_conn *c);
static void conn_run(struct httpd_conn *c);

/* -- time ----------------------------------------------------------------- */

static void worker_tick(struct worker *w)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed",
					  "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr",
					    "May", "Jun", "Jul", "Aug",
					    "Sep", "Oct", "Nov", "Dec" };
	w->now = clock_mono_ms();
	int64_t sec = clock_now(w->h->cfg.clock) / 1000;
	if (sec == w->date_sec)
		return;
	w->date_sec = sec;
	time_t t = (time_t)sec;
	struct tm tm;
	gmtime_r(&t, &tm);
	int n = snprintf(w->date, sizeof(w->date),
			 "Date: %s, %02d %s %04d %02d:%02d:%02d GMT\r\n",
			 days[tm.tm_wday % 7], tm.tm_mday,
			 months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour,
			 tm.tm_min, tm.tm_sec);
	w->date_len = n > 0 && (size_t)n < sizeof(w->date) ? (size_t)n : 0;
}

static void timer_unlink(struct httpd_conn *c)
{
	if (c->tkind == TM_NONE)
		return;
	struct timer_list *l = &c->w->timers[c->tkind];
	if (c->tprev)
		c->tprev->tnext = c->tnext;
	else
		l->head = c->tnext;
	if (c->tnext)
		c->tnext->tprev = c->tprev;
	else
		l->tail = c->tprev;
	c->tprev = c->tnext = NULL;
	c->tkind = TM_NONE;
}

/* (Re)arms c's deadline: now + the list's span, at the list's tail. */
static void timer_set(struct httpd_conn *c, enum timer_kind kind)
{
	timer_unlink(c);
	struct timer_list *l = &c->w->timers[kind];
	c->tkind = kind;
	c->deadline = c->w->now + l->span_ms;
	c->tprev = l->tail;
	if (l->tail)
		l->tail->tnext = c;
	else
		l->head = c;
	l->tail = c;
}

/* Progress on a body or an answer pushes the inactivity deadline. */
static void timer_progress(struct httpd_conn *c)
{
	if (c->tkind == TM_IDLE)
		timer_set(c, TM_IDLE);
}

static void timers_expire(struct worker *w)
{
	for (int k = 0; k < TM_KINDS; k++) {
		struct httpd_conn *c;
		while ((c = w->timers[k].head) && c->deadline <= w->now)
			conn_close(c);
	}
}

static int worker_timeout(const struct worker *w)
{
	int64_t next = INT64_MAX;
	for (int k = 0; k < TM_KINDS; k++)
		if (w->timers[k].head && w->timers[k].head->deadline < next)
			next = w->timers[k].head->deadline;
	if (w->accept_resume && w->accept_resume < next)
		next = w->accept_resume;
	if (w->stopping && !w->expired) {
		int64_t d = atomic_load(&w->h->drain_deadline);
		if (d < next)
			next = d;
	}
	if (next == INT64_MAX)
		return -1;
	int64_t ms = next - clock_mono_ms();
	return ms < 0 ? 0 : ms > 60000 ? 60000 : (int)ms;
}

/* -- responses ------------------------------------------------------------ */

static void resp_release(struct httpd_resp *r)
{
	free(r->owned);
	if (r->release)
		r->release(r->owner);
	r->owned = NULL;
	r->release = NULL;
	r->owner = NULL;
	r->body = NULL;
	r->body_len = 0;
}

static void resp_reset(struct httpd_resp *r)
{
	resp_release(r);
	buf_reset(&r->head);
	r->status = 500;
	r->close = false;
	r->sent = 0;
	r->active = false;
	r->interim = false;
	r->send_body = false;
}

void httpd_resp_status(struct httpd_resp *resp, int status)
{
	resp->status = status;
}

static bool value_ok(const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return false;
	return true;
}

int httpd_resp_header(struct httpd_resp *resp, const char *name,
		      const char *value)
{
	if (!httpd_is_token(name) || !value || !value_ok(value) ||
	    strcasecmp(name, "Content-Length") == 0 ||
	    strcasecmp(name, "Transfer-Encoding") == 0 ||
	    strcasecmp(name, "Date") == 0)
		return KODO_EINVAL;
	if (strcasecmp(name, "Connection") == 0) {
		/* The module owns the connection; it only honours "close". */
		if (strcasecmp(value, "close") == 0)
			resp->close = true;
		return 0;
	}
	buf_puts(&resp->head, name);
	buf_append(&resp->head, ": ", 2);
	buf_puts(&resp->head, value);
	buf_append(&resp->head, "\r\n", 2);
	return 0;
}

void httpd_resp_body_owned(struct httpd_resp *resp, char *data, size_t len)
{
	resp_release(resp);
	resp->owned = data;
	resp->body = data;
	resp->body_len = data ? len : 0;
}

void httpd_resp_body_copy(struct httpd_resp *resp, const void *data,
			  size_t len)
{
	resp_release(resp);
	buf_reset(&resp->copy);
	if (data)
		buf_append(&resp->copy, data, len);
	resp->body = resp->copy.data;
	resp->body_len = resp->copy.len;
}

void httpd_resp_body_shared(struct httpd_resp *resp, const void *data,
			    size_t len, void (*release)(void *owner),
			    void *owner)
{
	resp_release(resp);
	resp->body = data;
	resp->body_len = data ? len : 0;
	resp->release = release;
	resp->owner = owner;
}

#define STATUS(code, text) \
	case code: return "HTTP/1.1 " #code " " text "\r\n"

static const char *status_text(int status)
{
	switch (status) {
	STATUS(100, "Continue");
	STATUS(200, "OK");
	STATUS(201, "Created");
	STATUS(202, "Accepted");
	STATUS(204, "No Content");
	STATUS(206, "Partial Content");
	STATUS(301, "Moved Permanently");
	STATUS(302, "Found");
	STATUS(303, "See Other");
	STATUS(304, "Not Modified");
	STATUS(307, "Temporary Redirect");
	STATUS(308, "Permanent Redirect");
	STATUS(400, "Bad Request");
	STATUS(401, "Unauthorized");
	STATUS(403, "Forbidden");
	STATUS(404, "Not Found");
	STATUS(405, "Method Not Allowed");
	STATUS(406, "Not Acceptable");
	STATUS(408, "Request Timeout");
	STATUS(409, "Conflict");
	STATUS(410, "Gone");
	STATUS(411, "Length Required");
	STATUS(412, "Precondition Failed");
	STATUS(413, "Content Too Large");
	STATUS(414, "URI Too Long");
	STATUS(415, "Unsupported Media Type");
	STATUS(416, "Range Not Satisfiable");
	STATUS(417, "Expectation Failed");
	STATUS(422, "Unprocessable Content");
	STATUS(429, "Too Many Requests");
	STATUS(431, "Request Header Fields Too Large");
	STATUS(500, "Internal Server Error");
	STATUS(501, "Not Implemented");
	STATUS(502, "Bad Gateway");
	STATUS(503, "Service Unavailable");
	STATUS(504, "Gateway Timeout");
	STATUS(505, "HTTP Version Not Supported");
	default: return NULL;
	}
}

static void resp_status_line(struct httpd_resp *r)
{
	if (r->status < 200 || r->status > 599)
		r->status = 500;
	r->status_line = status_text(r->status);
	if (!r->status_line) {
		/* The reason phrase is optional; the space before it is not. */
		int n = snprintf(r->status_buf, sizeof(r->status_buf),
				 "HTTP/1.1 %d \r\n", r->status);
		r->status_line = r->status_buf;
		r->status_len = (size_t)n;
		return;
	}
	r->status_len = strlen(r->status_line);
}

static void put_size(struct buf *b, size_t v)
{
	char digits[24];
	size_t i = sizeof(digits);
	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_append(b, digits + i, sizeof(digits) - i);
}

/* Adds the module's own fields to what the handler set and queues r. */
static void resp_finish(struct httpd_conn *c)
{
	struct httpd_resp *r = &c->resp;
	struct worker *w = c->w;
	resp_status_line(r);
	bool no_body = r->status == 204 || r->status == 304;
	if (no_body)
		resp_release(r);
	if (r->close || !c->head.keep_alive ||
	    atomic_load_explicit(&w->h->stopping, memory_order_relaxed))
		c->closing = true;
	buf_append(&r->head, w->date, w->date_len);
	if (!no_body) {
		buf_append(&r->head, "Content-Length: ", 16);
		put_size(&r->head, r->body_len);
		buf_append(&r->head, "\r\n", 2);
	}
	if (c->closing)
		buf_puts(&r->head, "Connection: close\r\n");
	else if (c->head.minor == 0)
		buf_puts(&r->head, "Connection: keep-alive\r\n");
	buf_append(&r->head, "\r\n", 2);
	r->send_body = !no_body && !c->head.is_head && r->body_len > 0;
	r->sent = 0;
	r->active = true;
}

/* A refusal by the module itself: JSON error, then the connection ends. */
static void conn_refuse(struct httpd_conn *c, const struct httpd_fail *f)
{
	struct httpd_resp *r = &c->resp;
	resp_reset(r);
	r->status = f->status;
	httpd_resp_header(r, "Content-Type", "application/json");
	buf_reset(&r->copy);
	buf_printf(&r->copy, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}",
		   f->code, f->message);
	r->body = r->copy.data;
	r->body_len = r->copy.len;
	c->head.is_head = false;
	c->closing = true;
	c->refused = true;
	resp_finish(c);
}

static void conn_continue(struct httpd_conn *c)
{
	struct httpd_resp *r = &c->resp;
	resp_reset(r);
	r->interim = true;
	r->status = 100;
	r->status_line = status_text(100);
	r->status_len = strlen(r->status_line);
	buf_append(&r->head, "\r\n", 2);
	r->active = true;
}

/*
 * Writes what is left of the queued answer. Returns 1 when all is out, 0
 * when the socket is full (EPOLLOUT will call again), -1 on error.
 */
static int conn_flush(struct httpd_conn *c)
{
	struct httpd_resp *r = &c->resp;
	for (;;) {
		struct iovec part[3] = {
			{ (void *)r->status_line, r->status_len },
			{ r->head.data, r->head.len },
			{ (void *)r->body, r->send_body ? r->body_len : 0 },
		};
		struct iovec iov[3];
		int n = 0;
		size_t skip = r->sent, total = 0;
		for (int i = 0; i < 3; i++) {
			total += part[i].iov_len;
			if (skip >= part[i].iov_len) {
				skip -= part[i].iov_len;
				continue;
			}
			iov[n].iov_base = (char *)part[i].iov_base + skip;
			iov[n].iov_len = part[i].iov_len - skip;
			skip = 0;
			n++;
		}
		if (n == 0)
			return 1;
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)n };
		ssize_t k = sendmsg(c->ev.fd, &msg, MSG_NOSIGNAL);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		}
		r->sent += (size_t)k;
		timer_progress(c);
		if (r->sent == total)
			return 1;
	}
}

/* -- connections ---------------------------------------------------------- */

static void conn_free(struct httpd_conn *c)
{
	resp_release(&c->resp);
	buf_cleanup(&c->resp.head);
	buf_cleanup(&c->resp.copy);
	buf_cleanup(&c->query);
	free(c->in);
	free(c->fields);
	free(c);
}

static void conn_close(struct httpd_conn *c)
{
	struct worker *w = c->w;
	timer_unlink(c);
	if (c->prev)
		c->prev->next = c->next;
	else
		w->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	close(c->ev.fd); /* also leaves the epoll set */
	atomic_fetch_sub(&w->h->n_conns, 1);
	c->ev.kind = EV_DEAD;
	c->dead_next = w->dead;
	w->dead = c;
}

/* Frees the connections closed since the last call: between epoll
 * batches, when no event can name them any more. */
static void worker_reap(struct worker *w)
{
	while (w->dead) {
		struct httpd_conn *c = w->dead;
		w->dead = c->dead_next;
		conn_free(c);
	}
}

/* Before a new request: the parser starts over at buffer offset 0. */
static void conn_next_request(struct httpd_conn *c)
{
	c->state = CS_HEAD;
	httpd_scan_init(&c->scan, c->fields);
	memset(&c->head, 0, sizeof(c->head));
	c->head.keep_alive = true;
	c->query_ready = false;
	if (c->in_len == 0 && c->in_cap > IN_KEEP) {
		free(c->in);
		c->in = xmalloc(IN_START);
		c->in_cap = IN_START;
	}
	timer_set(c, c->in_len ? TM_HEADER : TM_IDLE);
}

static void conn_open(struct worker *w, int fd)
{
	struct httpd_conn *c = xcalloc(1, sizeof(*c));
	c->ev.kind = EV_CONN;
	c->ev.fd = fd;
	c->w = w;
	c->tkind = TM_NONE;
	c->in = xmalloc(IN_START);
	c->in_cap = IN_START;
	c->fields = xcalloc(w->h->lim.max_fields, sizeof(*c->fields));
	c->resp.status = 500;
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->next = w->conns;
	if (w->conns)
		w->conns->prev = c;
	w->conns = c;
	conn_next_request(c);
	timer_set(c, TM_HEADER); /* a silent new connection is a slowloris */
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP |
					    EPOLLET,
				  .data.ptr = &c->ev };
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		log_warn("httpd: epoll_ctl: %s", strerror(errno));
		conn_close(c);
	}
}

/* The most the input buffer may hold in the current state. */
static size_t conn_in_limit(const struct httpd_conn *c)
{
	const struct httpd_limits *lim = &c->w->h->lim;
	if (c->state == CS_HEAD)
		return lim->max_head + 1; /* one more byte is enough for 431 */
	if (c->head.framing == HTTPD_BODY_LENGTH)
		return c->body_end + 1; /* + the NUL put after the body */
	return c->scan.head_len + lim->max_body + CHUNK_SLACK;
}

static void conn_reserve(struct httpd_conn *c, size_t want)
{
	if (want <= c->in_cap)
		return;
	c->in = xrealloc(c->in, want);
	c->in_cap = want;
	if (c->state == CS_BODY) /* the head's strings moved along */
		httpd_head_rebase(&c->head, c->in);
}

/*
 * Reads once. Returns 1 with new bytes, 0 when there is nothing to read
 * now, -1 when the connection was closed (EOF, error, or no room).
 */
static int conn_read(struct httpd_conn *c)
{
	size_t limit = conn_in_limit(c);
	if (c->in_cap - c->in_len < IN_MIN_ROOM && c->in_cap < limit) {
		size_t want = c->in_cap * 2;
		conn_reserve(c, want < limit ? want : limit);
	}
	size_t room = c->in_cap - c->in_len;
	if (room == 0) { /* cannot happen: the parser refuses first */
		conn_close(c);
		return -1;
	}
	ssize_t n = recv(c->ev.fd, c->in + c->in_len, room, 0);
	if (n > 0) {
		c->in_len += (size_t)n;
		/* A short read drained the socket: the next byte brings a new
		 * edge. Not after RDHUP, whose EOF brings none. */
		if ((size_t)n < room && !c->rdhup)
			c->readable = false;
		if (c->state == CS_HEAD && c->tkind == TM_IDLE)
			timer_set(c, TM_HEADER);
		timer_progress(c);
		return 1;
	}
	if (n < 0 && errno == EINTR)
		return 1;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		c->readable = false;
		return 0;
	}
	conn_close(c);
	return -1;
}

/* After the handler, on the worker: the request's bytes go, the answer is
 * queued. */
static void conn_handled(struct httpd_conn *c)
{
	if (c->nul_off != SIZE_MAX)
		c->in[c->nul_off] = c->nul_saved;
	worker_tick(c->w); /* the handler may have blocked */
	memmove(c->in, c->in + c->consumed, c->in_len - c->consumed);
	c->in_len -= c->consumed;
	resp_finish(c);
}

static void pool_push(struct pool *p, struct httpd_conn *c)
{
	c->qnext = NULL;
	pthread_mutex_lock(&p->lock);
	if (p->tail)
		p->tail->qnext = c;
	else
		p->head = c;
	p->tail = c;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->lock);
}

/* The worker lets go of c until the pool posts it back. */
static void conn_park(struct httpd_conn *c)
{
	c->parked = true;
	timer_unlink(c);
	c->w->parked++;
	pool_push(&c->w->h->pool, c);
}

/*
 * Calls the handler for the request in [0, end), here or on the pool, and
 * (here) queues its answer. The body gets a NUL after it: the byte there
 * may be the next request's, so it is lent and given back afterwards.
 */
static void conn_dispatch(struct httpd_conn *c, char *body, size_t len,
			  size_t end)
{
	struct httpd *h = c->w->h;
	struct httpd_req *req = &c->req;
	req->method = c->head.method;
	req->path = c->head.path;
	req->path_len = c->head.path_len;
	req->query = c->head.query;
	req->version_minor = c->head.minor;
	req->conn_ = c;
	req->body = body ? body : "";
	req->body_len = len;
	c->nul_off = SIZE_MAX;
	if (body) {
		c->nul_off = (size_t)(body - c->in) + len;
		c->nul_saved = body[len];
		body[len] = '\0';
	}
	c->consumed = end;
	resp_reset(&c->resp);
	if (h->cfg.may_block && h->cfg.may_block(h->arg, req)) {
		conn_park(c);
		return;
	}
	h->handler(h->arg, req, &c->resp);
	conn_handled(c);
}

static bool conn_body_chunked(struct httpd_conn *c)
{
	const struct httpd_limits *lim = &c->w->h->lim;
	struct httpd_fail fail;
	int rc = httpd_chunked_decode(&c->chunked, c->in, &c->wpos, &c->rpos,
				      c->in_len, lim, &fail);
	if (rc == HTTPD_SCAN_FAIL) {
		conn_refuse(c, &fail);
		return true;
	}
	if (rc == HTTPD_SCAN_DONE) {
		size_t start = c->scan.head_len;
		/* The NUL lands on spent framing ("0\r\n\r\n" at least). */
		conn_dispatch(c, c->in + start, c->wpos - start, c->rpos);
		return true;
	}
	/* Drop the spent framing so the buffer holds body + a partial line. */
	memmove(c->in + c->wpos, c->in + c->rpos, c->in_len - c->rpos);
	c->in_len -= c->rpos - c->wpos;
	c->rpos = c->wpos;
	return false;
}

static bool conn_body(struct httpd_conn *c)
{
	if (c->head.framing == HTTPD_BODY_CHUNKED)
		return conn_body_chunked(c);
	if (c->in_len < c->body_end)
		return false;
	conn_reserve(c, c->body_end + 1); /* room for the NUL */
	size_t start = c->scan.head_len;
	conn_dispatch(c, c->in + start, c->body_end - start, c->body_end);
	return true;
}

static bool conn_begin_body(struct httpd_conn *c)
{
	size_t head_len = c->scan.head_len;
	timer_set(c, TM_IDLE);
	if (c->head.framing == HTTPD_BODY_NONE ||
	    (c->head.framing == HTTPD_BODY_LENGTH &&
	     c->head.content_length == 0)) {
		conn_dispatch(c, NULL, 0, head_len);
		return true;
	}
	c->state = CS_BODY;
	if (c->head.framing == HTTPD_BODY_LENGTH) {
		/* The buffer grows as bytes come, not as announced. */
		c->body_end = head_len + (size_t)c->head.content_length;
	} else {
		httpd_chunked_init(&c->chunked);
		c->wpos = c->rpos = head_len;
	}
	/* RFC 9110 10.1.1: 100 only for a body we will read, not yet sent. */
	if (c->head.expect_continue && c->in_len == head_len) {
		conn_continue(c);
		return true;
	}
	return conn_body(c);
}

/* Parses what is buffered. True when an answer was queued. */
static bool conn_advance(struct httpd_conn *c)
{
	if (c->state == CS_BODY)
		return conn_body(c);
	if (c->in_len == 0)
		return false;
	const struct httpd_limits *lim = &c->w->h->lim;
	int rc = httpd_head_scan(&c->scan, c->in, c->in_len, lim);
	if (rc == HTTPD_SCAN_MORE)
		return false;
	if (rc == HTTPD_SCAN_FAIL) {
		conn_refuse(c, &c->scan.fail);
		return true;
	}
	struct httpd_fail fail;
	if (httpd_head_finish(&c->scan, c->in, lim, &c->head, &fail) != 0) {
		conn_refuse(c, &fail);
		return true;
	}
	return conn_begin_body(c);
}

/* Discards input until EOF; the linger timer bounds the wait. */
static void conn_linger(struct httpd_conn *c)
{
	for (;;) {
		ssize_t n = recv(c->ev.fd, c->w->discard, sizeof(c->w->discard),
				 0);
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		conn_close(c);
		return;
	}
}

/*
 * After the last answer. Closing with unread input would send RST, which
 * can destroy the answer before the client reads it, so unless nothing is
 * pending, half-close and drain first.
 */
static void conn_end(struct httpd_conn *c)
{
	if (!c->refused && c->in_len == 0 && !c->rdhup) {
		ssize_t n = recv(c->ev.fd, c->w->discard, 1, MSG_PEEK);
		if (n == 0 ||
		    (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) {
			conn_close(c);
			return;
		}
	}
	shutdown(c->ev.fd, SHUT_WR);
	c->state = CS_LINGER;
	c->in_len = 0;
	timer_set(c, TM_LINGER);
	conn_linger(c);
}

/* The queued answer is out. Returns false when c is gone. */
static bool conn_answered(struct httpd_conn *c)
{
	struct httpd_resp *r = &c->resp;
	bool interim = r->interim;
	resp_reset(r);
	if (interim)
		return true;
	if (c->closing) {
		conn_end(c);
		return false;
	}
	conn_next_request(c);
	return true;
}

/* Moves c as far as its buffered and readable bytes allow. */
static void conn_run(struct httpd_conn *c)
{
	for (;;) {
		if (c->parked)
			return;
		if (c->state == CS_LINGER) {
			conn_linger(c);
			return;
		}
		if (c->resp.active) {
			int rc = conn_flush(c);
			if (rc < 0) {
				conn_close(c);
				return;
			}
			if (rc == 0 || !conn_answered(c))
				return;
			continue;
		}
		if (conn_advance(c))
			continue;
		if (!c->readable || conn_read(c) <= 0)
			return;
	}
}

static void conn_event(struct httpd_conn *c, uint32_t events)
{
	if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		c->rdhup = true;
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		c->readable = true;
	conn_run(c);
}

/* -- workers -------------------------------------------------------------- */

static void worker_unlisten(struct worker *w)
{
	if (!w->listening)
		return;
	epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->listen_ev.fd, NULL);
	w->listening = false;
}

static int worker_listen(struct worker *w)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &w->listen_ev };
	if (w->h->shared_fd >= 0)
		ev.events |= EPOLLEXCLUSIVE;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->listen_ev.fd, &ev) != 0)
		return -1;
	w->listening = true;
	return 0;
}

static bool accept_refuse(struct httpd *h, int fd)
{
	int max = (int)h->cfg.max_connections;
	if (atomic_fetch_add(&h->n_conns, 1) < max)
		return false;
	atomic_fetch_sub(&h->n_conns, 1);
	close(fd);
	return true;
}

/* A shared listener hands out one connection per wakeup, so that a burst
 * of connections spreads over the workers instead of piling on the first
 * one awake. */
static void worker_accept(struct worker *w)
{
	int batch = w->h->shared_fd >= 0 ? 1 : ACCEPT_BATCH;
	for (int i = 0; i < batch; i++) {
		int fd = accept4(w->listen_ev.fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			if (!accept_refuse(w->h, fd))
				conn_open(w, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			/* Level-triggered: stop listening or spin. */
			log_warn("httpd: accept: %s; pausing", strerror(errno));
			worker_unlisten(w);
			w->accept_resume = w->now + ACCEPT_PAUSE_MS;
		} else if (errno == EINVAL) {
			worker_unlisten(w); /* shut down by httpd_stop */
		}
		return;
	}
}

/* Idle connections (nothing received, nothing to send) close at once. */
static void worker_begin_stop(struct worker *w)
{
	w->stopping = true;
	worker_unlisten(w);
	w->accept_resume = 0;
	struct httpd_conn *c = w->conns, *next;
	for (; c; c = next) {
		next = c->next;
		if (!c->parked &&
		    (c->state == CS_LINGER || (c->state == CS_HEAD &&
					       c->in_len == 0 && !c->resp.active)))
			conn_close(c);
	}
}

/* Past the drain deadline: all but the connections in a handler go. */
static void worker_expire(struct worker *w)
{
	w->expired = true;
	struct httpd_conn *c = w->conns, *next;
	for (; c; c = next) {
		next = c->next;
		if (!c->parked)
			conn_close(c);
	}
}

/* Back from the pool: answer, and go on with the connection. */
static void conn_unpark(struct httpd_conn *c)
{
	struct worker *w = c->w;
	c->parked = false;
	w->parked--;
	conn_handled(c);
	timer_set(c, TM_IDLE);
	if (w->expired) { /* one try to deliver, no more waiting */
		conn_flush(c);
		conn_close(c);
		return;
	}
	conn_run(c);
}

/* Pool threads: handlers that may block, one request at a time each. */
static void worker_post(struct worker *w, struct httpd_conn *c)
{
	c->qnext = NULL;
	pthread_mutex_lock(&w->mail_lock);
	bool knock = !w->mail_head; /* else a knock is already pending */
	if (w->mail_tail)
		w->mail_tail->qnext = c;
	else
		w->mail_head = c;
	w->mail_tail = c;
	pthread_mutex_unlock(&w->mail_lock);
	if (knock) {
		uint64_t one = 1;
		ssize_t n = write(w->wake_ev.fd, &one, sizeof(one));
		(void)n;
	}
}

static void *pool_main(void *arg)
{
	struct httpd *h = arg;
	struct pool *p = &h->pool;
	pthread_setname_np(pthread_self(), "httpd-blocking");
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->cv, &p->lock);
		struct httpd_conn *c = p->head;
		if (!c)
			break;
		p->head = c->qnext;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		h->handler(h->arg, &c->req, &c->resp);
		worker_post(c->w, c);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* The eventfd: connections back from the pool, or httpd_stop. */
static void worker_wake(struct worker *w)
{
	uint64_t v;
	ssize_t n = read(w->wake_ev.fd, &v, sizeof(v));
	(void)n;
	pthread_mutex_lock(&w->mail_lock);
	struct httpd_conn *c = w->mail_head;
	w->mail_head = w->mail_tail = NULL;
	pthread_mutex_unlock(&w->mail_lock);
	while (c) {
		struct httpd_conn *next = c->qnext;
		conn_unpark(c);
		c = next;
	}
	if (!w->stopping && atomic_load(&w->h->stopping))
		worker_begin_stop(w);
}

static void worker_event(struct worker *w, struct epoll_event *e)
{
	struct ev *ev = e->data.ptr;
	if (ev->kind == EV_CONN)
		conn_event((struct httpd_conn *)ev, e->events);
	else if (ev->kind == EV_LISTEN)
		worker_accept(w);
	else if (ev->kind == EV_WAKE)
		worker_wake(w);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char name[16];
	snprintf(name, sizeof(name), "httpd-w%u", w->index % 10000);
	pthread_setname_np(pthread_self(), name);
	for (;;) {
		int n = epoll_wait(w->epfd, w->events, MAX_EVENTS,
				   worker_timeout(w));
		if (n < 0 && errno != EINTR) {
			/* Only a bug gets here (EBADF, EFAULT, EINVAL). */
			log_error("httpd: epoll_wait: %s", strerror(errno));
			abort();
		}
		worker_tick(w);
		for (int i = 0; i < n; i++)
			worker_event(w, &w->events[i]);
		timers_expire(w);
		worker_reap(w);
		if (w->accept_resume && w->now >= w->accept_resume &&
		    !w->stopping) {
			w->accept_resume = 0;
			worker_listen(w);
		}
		if (w->stopping && !w->expired &&
		    w->now >= atomic_load(&w->h->drain_deadline))
			worker_expire(w);
		worker_reap(w);
		/* Parked connections are the pool's: wait for them. */
		if (w->stopping && !w->conns)
			break;
	}
	worker_reap(w);
	return NULL;
}

/* -- start and stop ------------------------------------------------------- */

static int resolve_listen(const char *listen, struct addrinfo **out,
			  struct kerr *err)
{
	const char *colon = listen ? strrchr(listen, ':') : NULL;
	if (!colon || !colon[1])
		return kerr_set(err, KODO_EINVAL, "listen",
				"the listen address must be HOST:PORT, got "
				"\"%s\"", listen ? listen : "");
	char host[256];
	size_t hlen = (size_t)(colon - listen);
	if (hlen >= sizeof(host))
		return kerr_set(err, KODO_EINVAL, "listen", "host too long");
	memcpy(host, listen, hlen);
	host[hlen] = '\0';
	if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
		memmove(host, host + 1, hlen - 2);
		host[hlen - 2] = '\0';
	}
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	int rc = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, out);
	if (rc != 0)
		return kerr_set(err, KODO_EINVAL, "listen", "cannot resolve %s: %s",
				listen, gai_strerror(rc));
	return 0;
}

static void addr_set_port(struct sockaddr_storage *ss, int port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
}

static int addr_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* A bound socket; listening unless probe. Returns the fd or -1 (errno). */
static int bind_socket(const struct sockaddr_storage *ss, socklen_t len,
		       bool reuseport, bool probe, int backlog)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK |
					       SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuseport)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) != 0 ||
	    (!probe && listen(fd, backlog) != 0)) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * Binds the listening sockets: one shared, or one per worker with
 * SO_REUSEPORT. A plain bind comes first, so that a second server started
 * on a port in use fails instead of silently sharing its connections.
 */
static int open_listeners(struct httpd *h, struct kerr *err)
{
	struct addrinfo *ai = NULL;
	int rc = resolve_listen(h->cfg.listen, &ai, err);
	if (rc)
		return rc;
	struct sockaddr_storage ss;
	socklen_t len = (socklen_t)ai->ai_addrlen;
	memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	bool shared = h->cfg.accept == HTTPD_ACCEPT_SHARED;
	int backlog = (int)h->cfg.backlog;
	int fd = bind_socket(&ss, len, false, !shared, backlog);
	if (fd >= 0) {
		h->port = addr_port(fd);
		addr_set_port(&ss, h->port);
		if (shared)
			h->shared_fd = fd;
		else
			close(fd);
	}
	for (unsigned i = 0; fd >= 0 && i < h->n_workers; i++) {
		struct worker *w = &h->workers[i];
		w->listen_ev.fd = shared ? h->shared_fd
					 : bind_socket(&ss, len, true, false,
						       backlog);
		fd = w->listen_ev.fd;
	}
	if (fd < 0)
		return kerr_set(err, KODO_EIO, "listen", "cannot listen on %s: %s",
				h->cfg.listen, strerror(errno));
	return 0;
}

static void apply_defaults(struct httpd_config *c)
{
	if (!c->threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		c->threads = n > 0 ? (unsigned)n : 1;
	}
	if (!c->max_connections)
		c->max_connections = 1024;
	if (!c->max_header_bytes)
		c->max_header_bytes = 32 * 1024;
	if (!c->max_line_bytes)
		c->max_line_bytes = 8 * 1024;
	if (!c->max_headers)
		c->max_headers = 100;
	if (!c->max_body_bytes)
		c->max_body_bytes = 1024 * 1024;
	if (!c->header_timeout_ms)
		c->header_timeout_ms = 10000;
	if (!c->idle_timeout_ms)
		c->idle_timeout_ms = 60000;
	if (!c->backlog)
		c->backlog = 1024;
	if (c->accept == HTTPD_ACCEPT_DEFAULT)
		c->accept = HTTPD_ACCEPT_REUSEPORT;
	if (!c->clock)
		c->clock = clock_system();
	if (c->may_block && !c->blocking_threads)
		c->blocking_threads = 64;
	if (!c->may_block)
		c->blocking_threads = 0;
}

static int check_config(const struct httpd_config *c, struct kerr *err)
{
	if (c->threads > 1024)
		return kerr_set(err, KODO_EINVAL, "threads", "at most 1024");
	if (c->max_connections > 1000000)
		return kerr_set(err, KODO_EINVAL, "max_connections",
				"at most 1000000");
	if (c->max_header_bytes > 1024 * 1024 ||
	    c->max_line_bytes + 4 > c->max_header_bytes)
		return kerr_set(err, KODO_EINVAL, "max_header_bytes",
				"at most 1 MiB, and more than the request line");
	if (c->max_headers > 10000)
		return kerr_set(err, KODO_EINVAL, "max_headers", "at most 10000");
	if (c->max_body_bytes > 1024UL * 1024 * 1024)
		return kerr_set(err, KODO_EINVAL, "max_body_bytes",
				"at most 1 GiB");
	if (c->accept > HTTPD_ACCEPT_SHARED)
		return kerr_set(err, KODO_EINVAL, "accept", "unknown mode");
	if (c->blocking_threads > 4096)
		return kerr_set(err, KODO_EINVAL, "blocking_threads",
				"at most 4096");
	return 0;
}

static int worker_init(struct httpd *h, struct worker *w, unsigned index)
{
	const struct httpd_config *cfg = &h->cfg;
	w->h = h;
	w->index = index;
	w->date_sec = -1;
	w->listen_ev.kind = EV_LISTEN;
	w->wake_ev.kind = EV_WAKE;
	w->timers[TM_HEADER].span_ms = cfg->header_timeout_ms;
	w->timers[TM_IDLE].span_ms = cfg->idle_timeout_ms;
	w->timers[TM_LINGER].span_ms = LINGER_MS;
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	w->wake_ev.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->epfd < 0 || w->wake_ev.fd < 0)
		return -1;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &w->wake_ev };
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->wake_ev.fd, &ev) != 0 ||
	    worker_listen(w) != 0)
		return -1;
	worker_tick(w);
	return 0;
}

static void httpd_free(struct httpd *h)
{
	for (unsigned i = 0; i < h->n_workers; i++) {
		struct worker *w = &h->workers[i];
		pthread_mutex_destroy(&w->mail_lock);
		if (w->epfd >= 0)
			close(w->epfd);
		if (w->wake_ev.fd >= 0)
			close(w->wake_ev.fd);
		if (w->listen_ev.fd >= 0 && w->listen_ev.fd != h->shared_fd)
			close(w->listen_ev.fd);
	}
	if (h->shared_fd >= 0)
		close(h->shared_fd);
	pthread_mutex_destroy(&h->pool.lock);
	pthread_cond_destroy(&h->pool.cv);
	free(h->pool.threads);
	free(h->workers);
	free((char *)h->cfg.listen);
	free(h);
}

static struct httpd *httpd_alloc(const struct httpd_config *cfg)
{
	struct httpd *h = xcalloc(1, sizeof(*h));
	h->cfg = *cfg;
	h->cfg.listen = xstrdup(cfg->listen ? cfg->listen : "");
	apply_defaults(&h->cfg);
	h->shared_fd = -1;
	atomic_init(&h->n_conns, 0);
	atomic_init(&h->stopping, false);
	atomic_init(&h->drain_deadline, 0);
	pthread_mutex_init(&h->pool.lock, NULL);
	pthread_cond_init(&h->pool.cv, NULL);
	return h;
}

/* After check_config: the sizes are sane. */
static void httpd_alloc_threads(struct httpd *h)
{
	h->pool.threads = xcalloc(h->cfg.blocking_threads + 1,
				  sizeof(*h->pool.threads));
	h->n_workers = h->cfg.threads;
	h->workers = xcalloc(h->n_workers, sizeof(*h->workers));
	for (unsigned i = 0; i < h->n_workers; i++) {
		struct worker *w = &h->workers[i];
		w->epfd = w->wake_ev.fd = w->listen_ev.fd = -1;
		pthread_mutex_init(&w->mail_lock, NULL);
	}
}

static int httpd_spawn(struct httpd *h, struct kerr *err)
{
	for (unsigned i = 0; i < h->n_workers; i++) {
		struct worker *w = &h->workers[i];
		if (worker_init(h, w, i) != 0)
			return kerr_set(err, KODO_EIO, NULL,
					"cannot set up worker %u: %s", i,
					strerror(errno));
	}
	struct pool *p = &h->pool;
	for (; p->started < h->cfg.blocking_threads; p->started++)
		if (pthread_create(&p->threads[p->started], NULL, pool_main,
				   h) != 0)
			return kerr_set(err, KODO_EIO, NULL,
					"cannot start blocking thread %u",
					p->started);
	for (unsigned i = 0; i < h->n_workers; i++) {
		struct worker *w = &h->workers[i];
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
			return kerr_set(err, KODO_EIO, NULL,
					"cannot start worker %u", i);
		w->started = true;
	}
	return 0;
}

struct httpd *httpd_start(const struct httpd_config *cfg,
			  httpd_handler_fn handler, void *arg,
			  struct kerr *err)
{
	struct httpd *h = httpd_alloc(cfg);
	h->handler = handler;
	h->arg = arg;
	h->lim.max_line = h->cfg.max_line_bytes;
	h->lim.max_head = h->cfg.max_header_bytes;
	h->lim.max_fields = h->cfg.max_headers;
	h->lim.max_body = h->cfg.max_body_bytes;
	int rc = check_config(&h->cfg, err);
	if (rc) {
		httpd_free(h);
		return NULL;
	}
	httpd_alloc_threads(h);
	rc = open_listeners(h, err);
	if (rc == 0)
		rc = httpd_spawn(h, err);
	if (rc) {
		httpd_stop(h, 0);
		return NULL;
	}
	return h;
}

int httpd_port(const struct httpd *h)
{
	return h->port;
}

void httpd_stop(struct httpd *h, int drain_timeout_ms)
{
	if (!h)
		return;
	atomic_store(&h->drain_deadline, clock_mono_ms() + drain_timeout_ms);
	atomic_store(&h->stopping, true);
	/* Refuse new connections now (Linux: a listener shut down for
	 * reading leaves the listen state) rather than at close. */
	for (unsigned i = 0; i < h->n_workers; i++)
		if (h->workers[i].listen_ev.fd >= 0)
			shutdown(h->workers[i].listen_ev.fd, SHUT_RD);
	for (unsigned i = 0; i < h->n_workers; i++) {
		uint64_t one = 1;
		if (h->workers[i].wake_ev.fd >= 0) {
			ssize_t n = write(h->workers[i].wake_ev.fd, &one,
					  sizeof(one));
			(void)n;
		}
	}
	for (unsigned i = 0; i < h->n_workers; i++)
		if (h->workers[i].started)
			pthread_join(h->workers[i].thread, NULL);
	/* No worker is left to park anything: the pool's queue is empty. */
	pthread_mutex_lock(&h->pool.lock);
	h->pool.stopping = true;
	pthread_cond_broadcast(&h->pool.cv);
	pthread_mutex_unlock(&h->pool.lock);
	for (unsigned i = 0; i < h->pool.started; i++)
		pthread_join(h->pool.threads[i], NULL);
	httpd_free(h);
}

/* -- request accessors ---------------------------------------------------- */

const char *httpd_header(const struct httpd_req *req, const char *name)
{
	return httpd_head_field(&req->conn_->head, name);
}

const char *httpd_query(const struct httpd_req *req, const char *name)
{
	struct httpd_conn *c = req->conn_;
	if (!c->query_ready) {
		httpd_query_decode(c->head.query, c->head.query_len, &c->query);
		c->query_ready = true;
	}
	return httpd_query_find(&c->query, name);
}
