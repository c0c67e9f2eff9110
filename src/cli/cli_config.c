/* cli_config — see cli_config.h. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli_config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"

#define CONFIG_MAX_BYTES 65536
#define CONFIG_LINE_MAX 4096

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

int cli_config_path(struct buf *out)
{
	const char *xdg = env_nonempty("XDG_CONFIG_HOME");
	const char *home = env_nonempty("HOME");
	/* The XDG spec says a relative XDG_CONFIG_HOME is to be ignored. */
	if (xdg && xdg[0] == '/') {
		buf_printf(out, "%s/kodo/config", xdg);
		return 0;
	}
	if (home) {
		buf_printf(out, "%s/.config/kodo/config", home);
		return 0;
	}
	return -1;
}

int cli_url_normalize(const char *url, struct buf *out, struct buf *err)
{
	if (strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0) {
		buf_printf(err, "the server URL must start with http:// or "
				"https:// (got '%.200s')", url);
		return -1;
	}
	size_t n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	if (strchr(url, '?') || strchr(url, '#') || strpbrk(url, " \t\r\n")) {
		buf_printf(err, "the server URL must be a plain base URL "
				"(got '%.200s')", url);
		return -1;
	}
	buf_append(out, url, n);
	return 0;
}

static char *trimmed(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* One "key=value" line; sets the settings still missing. */
static int apply_line(struct cli_conf *c, char *line, const char *path,
		      int lineno, struct buf *err)
{
	char *s = trimmed(line);
	if (*s == '\0' || *s == '#')
		return 0;
	char *eq = strchr(s, '=');
	if (!eq) {
		buf_printf(err, "%s:%d: expected key=value", path, lineno);
		return -1;
	}
	*eq = '\0';
	const char *key = trimmed(s);
	const char *value = trimmed(eq + 1);
	if (*value == '\0')
		return 0;
	/* Unknown keys are ignored so that a newer kodo's file still works. */
	if (strcmp(key, "url") == 0 && !c->url) {
		c->url = xstrdup(value);
		c->url_from = "config file";
	} else if (strcmp(key, "token") == 0 && !c->token) {
		c->token = xstrdup(value);
		c->token_from = "config file";
	} else if (strcmp(key, "org") == 0 && !c->org) {
		c->org = xstrdup(value);
		c->org_from = "config file";
	}
	return 0;
}

static int read_file(struct cli_conf *c, const char *path, struct buf *err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		buf_printf(err, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	/* Like ssh with its keys: say so when others may read the token. */
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
		fprintf(stderr,
			"kodo: warning: %s can be read by others (mode %03o); "
			"run: chmod 600 %s\n",
			path, (unsigned)(st.st_mode & 0777), path);
	char line[CONFIG_LINE_MAX];
	int lineno = 0, rc = 0;
	size_t total = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		total += strlen(line);
		if (total > CONFIG_MAX_BYTES ||
		    (!strchr(line, '\n') && !feof(f))) {
			buf_printf(err, "%s:%d: line or file too long", path,
				   lineno);
			rc = -1;
			break;
		}
		rc = apply_line(c, line, path, lineno, err);
	}
	if (rc == 0 && ferror(f)) {
		buf_printf(err, "cannot read %s", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

static void take(char **dst, const char **from, const char *value,
		 const char *source)
{
	if (*dst || !value)
		return;
	*dst = xstrdup(value);
	*from = source;
}

int cli_config_resolve(struct cli_conf *c, const char *flag_url,
		       const char *flag_token, const char *flag_org,
		       struct buf *err)
{
	take(&c->url, &c->url_from, flag_url, "--url");
	take(&c->token, &c->token_from, flag_token, "--token");
	take(&c->org, &c->org_from, flag_org, "--org");
	take(&c->url, &c->url_from, env_nonempty("KODO_URL"), "KODO_URL");
	take(&c->token, &c->token_from, env_nonempty("KODO_TOKEN"),
	     "KODO_TOKEN");
	take(&c->org, &c->org_from, env_nonempty("KODO_ORG"), "KODO_ORG");
	if (c->url && c->token && c->org)
		return 0;
	struct buf path = BUF_INIT;
	int rc = 0;
	if (cli_config_path(&path) == 0)
		rc = read_file(c, buf_str(&path), err);
	buf_cleanup(&path);
	return rc;
}

void cli_conf_cleanup(struct cli_conf *c)
{
	free(c->url);
	free(c->token);
	free(c->org);
	memset(c, 0, sizeof(*c));
}

/* mkdir -p for the folder of path; new folders get mode 0700. */
static int make_parents(const char *path, struct buf *err)
{
	char *dir = xstrdup(path);
	int rc = 0;
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; rc == 0; p++) {
			if (*p != '/' && *p != '\0')
				continue;
			char saved = *p;
			*p = '\0';
			if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
				buf_printf(err, "cannot create %s: %s", dir,
					   strerror(errno));
				rc = -1;
			}
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	free(dir);
	return rc;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static void sync_parent(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash) {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		int fd = open(dir, O_RDONLY | O_DIRECTORY);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	free(dir);
}

int cli_config_save(const char *path, const char *url, const char *token,
		    const char *org, struct buf *err)
{
	struct buf body = BUF_INIT, tmp = BUF_INIT;
	int fd = -1, rc = make_parents(path, err);
	if (rc)
		goto out;
	buf_puts(&body, "# Written by `kodo login`. Keep it private: it holds "
			"an API token.\n");
	buf_printf(&body, "url=%s\ntoken=%s\n", url, token);
	if (org)
		buf_printf(&body, "org=%s\n", org);
	buf_printf(&tmp, "%s.tmp-XXXXXX", path);
	/* mkstemp creates the file with mode 0600 before any byte is in it. */
	fd = mkstemp(tmp.data);
	if (fd < 0 || fchmod(fd, 0600) != 0 ||
	    write_all(fd, body.data, body.len) != 0 || fsync(fd) != 0) {
		buf_printf(err, "cannot write %s: %s", buf_str(&tmp),
			   strerror(errno));
		rc = -1;
		goto out;
	}
	if (close(fd) != 0 || rename(tmp.data, path) != 0) {
		fd = -1;
		buf_printf(err, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
		goto out;
	}
	fd = -1;
	sync_parent(path);
out:
	if (fd >= 0)
		close(fd);
	if (rc && tmp.len)
		unlink(tmp.data);
	buf_cleanup(&body);
	buf_cleanup(&tmp);
	return rc;
}
