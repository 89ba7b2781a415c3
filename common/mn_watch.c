#include "mn_watch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mn_parse.h"

#ifdef __linux__

#include <dirent.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define FOLDER_EVENTS                                                                              \
	(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |        \
	 IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

/* One watched folder: its path as the roots give it, and what it is relative to. */
struct folder {
	int wd;
	char *path;
	char *base;
	const char *only; /* a root that is a file: the one name that matters here */
};

struct mn_watch {
	int fd;
	struct folder *folders;
	size_t nfolders, cap;
	const struct mn_root *roots;
	size_t nroots;
	struct mn_root *batch;
	size_t nbatch, batch_cap;
};

/* The path to hand the system: base/path for a relative path with a base. */
static char *sys_path(const char *path, const char *base)
{
	struct mn_buf b = MN_BUF_INIT;

	if (base && path[0] != '/')
		mn_buf_addf(&b, "%s/%s", base, path);
	else
		mn_buf_adds(&b, path);
	return mn_buf_detach(&b);
}

static char *join(const char *dir, const char *name)
{
	struct mn_buf b = MN_BUF_INIT;
	size_t len = strlen(dir);

	mn_buf_adds(&b, dir);
	if (len && dir[len - 1] != '/')
		mn_buf_addc(&b, '/');
	mn_buf_adds(&b, name);
	return mn_buf_detach(&b);
}

static struct folder *find_wd(struct mn_watch *w, int wd)
{
	size_t i;

	for (i = 0; i < w->nfolders; i++)
		if (w->folders[i].wd == wd)
			return &w->folders[i];
	return NULL;
}

static void drop_folder(struct mn_watch *w, size_t i)
{
	free(w->folders[i].path);
	free(w->folders[i].base);
	w->folders[i] = w->folders[--w->nfolders];
}

/* Adds a watch on a folder and, unless only is set, on its sub-folders. */
static void add_folder(struct mn_watch *w, const char *path, const char *base, const char *only)
{
	char *sys = sys_path(path, base);
	int wd = inotify_add_watch(w->fd, sys, FOLDER_EVENTS);
	struct folder *f;
	DIR *dir;
	struct dirent *de;

	/* The same folder twice (a link loop, or two roots) gives the same wd. */
	if (wd < 0 || find_wd(w, wd)) {
		free(sys);
		return;
	}
	MN_GROW(w->folders, w->nfolders + 1, w->cap);
	f = &w->folders[w->nfolders++];
	f->wd = wd;
	f->path = mn_xstrdup(path);
	f->base = base ? mn_xstrdup(base) : NULL;
	f->only = only;
	if (only) {
		free(sys);
		return;
	}
	dir = opendir(sys);
	while (dir && (de = readdir(dir)) != NULL) {
		struct stat st;
		char *child, *child_sys;

		if (de->d_name[0] == '.')
			continue;
		child = join(path, de->d_name);
		child_sys = sys_path(child, base);
		if (stat(child_sys, &st) == 0 && S_ISDIR(st.st_mode))
			add_folder(w, child, base, NULL);
		free(child_sys);
		free(child);
	}
	if (dir)
		closedir(dir);
	free(sys);
}

/* Stops watching the folders at or under path (it moved or went away). */
static void drop_under(struct mn_watch *w, const char *path, const char *base)
{
	size_t i = 0, n = strlen(path);

	while (i < w->nfolders) {
		struct folder *f = &w->folders[i];

		if (!strcmp(f->base ? f->base : "", base ? base : "") &&
		    !strncmp(f->path, path, n) && (f->path[n] == '\0' || f->path[n] == '/')) {
			inotify_rm_watch(w->fd, f->wd);
			drop_folder(w, i);
		} else {
			i++;
		}
	}
}

static void add_to_batch(struct mn_watch *w, const char *path, const char *base)
{
	size_t i;

	for (i = 0; i < w->nbatch; i++)
		if (!strcmp(w->batch[i].path, path) &&
		    !strcmp(w->batch[i].base ? w->batch[i].base : "", base ? base : ""))
			return;
	MN_GROW(w->batch, w->nbatch + 1, w->batch_cap);
	w->batch[w->nbatch].path = mn_xstrdup(path);
	w->batch[w->nbatch].base = base ? mn_xstrdup(base) : NULL;
	w->nbatch++;
}

int mn_watch_open(struct mn_watch **out, const struct mn_root *roots, size_t n, struct mn_err *err)
{
	struct mn_watch *w;
	size_t i;

	*out = NULL;
	w = mn_xcalloc(1, sizeof(*w));
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		mn_err_set(err, MN_ERR_IO, "cannot watch for changes: %s", strerror(errno));
		free(w);
		return err->status;
	}
	w->roots = roots;
	w->nroots = n;
	for (i = 0; i < n; i++) {
		char *sys = sys_path(roots[i].path, roots[i].base);
		struct stat st;

		if (stat(sys, &st) == 0 && S_ISDIR(st.st_mode)) {
			add_folder(w, roots[i].path, roots[i].base, NULL);
		} else {
			/* A file (or a root yet to appear): watch the folder it is in. */
			const char *slash = strrchr(roots[i].path, '/');
			char *dir = slash ? mn_xstrndup(roots[i].path,
							slash == roots[i].path
							    ? 1
							    : (size_t)(slash - roots[i].path))
					  : mn_xstrdup(".");

			add_folder(w, dir, roots[i].base, slash ? slash + 1 : roots[i].path);
			free(dir);
		}
		free(sys);
	}
	if (!w->nfolders) {
		mn_err_set(err, MN_ERR_IO, "cannot watch for changes: no folder could be watched");
		mn_watch_close(w);
		return err->status;
	}
	*out = w;
	return MN_OK;
}

/* Turns one inotify event into paths of the batch; returns 1 on overflow. */
static int take_event(struct mn_watch *w, const struct inotify_event *ev)
{
	struct folder *f;
	char *path, *base;
	int isdir = (ev->mask & IN_ISDIR) != 0;

	if (ev->mask & IN_Q_OVERFLOW)
		return 1;
	f = find_wd(w, ev->wd);
	if (!f)
		return 0;
	if (ev->mask & IN_IGNORED) {
		drop_folder(w, (size_t)(f - w->folders));
		return 0;
	}
	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
		/* The parent's event names it; a root that went is looked at again. */
		add_to_batch(w, f->path, f->base);
		return 0;
	}
	if (!ev->len || ev->name[0] == '.')
		return 0;
	if (f->only && strcmp(f->only, ev->name))
		return 0;
	if (!isdir && !mn_parse_accepts(ev->name))
		return 0;
	/* Folders are added and dropped below, which moves f: copy what is needed. */
	path = join(f->path, ev->name);
	base = f->base ? mn_xstrdup(f->base) : NULL;
	if (isdir && (ev->mask & (IN_MOVED_FROM | IN_DELETE)))
		drop_under(w, path, base);
	if (isdir && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
		add_folder(w, path, base, NULL);
	add_to_batch(w, path, base);
	free(base);
	free(path);
	return 0;
}

int mn_watch_wait(struct mn_watch *w, int quiet_ms, int max_ms, const volatile sig_atomic_t *stop,
		  struct mn_root **out, size_t *n, struct mn_err *err)
{
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	double first = -1, last = -1;
	int overflow = 0;
	size_t i;

	*out = NULL;
	*n = 0;
	while (!(stop && *stop)) {
		struct pollfd pfd = {w->fd, POLLIN, 0};
		double now = mn_now_ms();
		int timeout = 250, ready;
		ssize_t len;

		if (first >= 0) {
			double left = quiet_ms - (now - last);

			if (now - first >= max_ms || left <= 0)
				break;
			if (left < timeout)
				timeout = (int)left + 1;
		}
		ready = poll(&pfd, 1, timeout);
		if (ready < 0 && errno != EINTR) {
			mn_err_set(err, MN_ERR_IO, "cannot watch for changes: %s", strerror(errno));
			break;
		}
		if (ready <= 0)
			continue;
		while ((len = read(w->fd, buf, sizeof(buf))) > 0) {
			char *p = buf;

			while (p < buf + len) {
				const struct inotify_event *ev = (const struct inotify_event *)p;

				overflow |= take_event(w, ev);
				p += sizeof(*ev) + ev->len;
			}
		}
		if (w->nbatch || overflow) {
			last = mn_now_ms();
			if (first < 0)
				first = last;
		}
	}
	if (overflow)
		for (i = 0; i < w->nroots; i++)
			add_to_batch(w, w->roots[i].path, w->roots[i].base);
	if ((stop && *stop) || err->status) {
		mn_roots_free(w->batch, w->nbatch);
	} else {
		*out = w->batch;
		*n = w->nbatch;
	}
	w->batch = NULL;
	w->nbatch = w->batch_cap = 0;
	return err->status;
}

size_t mn_watch_count(const struct mn_watch *w)
{
	return w->nfolders;
}

void mn_watch_close(struct mn_watch *w)
{
	if (!w)
		return;
	while (w->nfolders)
		drop_folder(w, w->nfolders - 1);
	free(w->folders);
	mn_roots_free(w->batch, w->nbatch);
	close(w->fd);
	free(w);
}

#else /* no inotify */

struct mn_watch {
	int unused;
};

int mn_watch_open(struct mn_watch **out, const struct mn_root *roots, size_t n, struct mn_err *err)
{
	(void)roots;
	(void)n;
	*out = NULL;
	return mn_err_set(err, MN_ERR_USAGE, "--watch needs inotify, which only Linux has");
}

int mn_watch_wait(struct mn_watch *w, int quiet_ms, int max_ms, const volatile sig_atomic_t *stop,
		  struct mn_root **out, size_t *n, struct mn_err *err)
{
	(void)w, (void)quiet_ms, (void)max_ms, (void)stop;
	*out = NULL;
	*n = 0;
	return mn_err_set(err, MN_ERR_USAGE, "--watch needs inotify, which only Linux has");
}

size_t mn_watch_count(const struct mn_watch *w)
{
	(void)w;
	return 0;
}

void mn_watch_close(struct mn_watch *w)
{
	(void)w;
}

#endif
