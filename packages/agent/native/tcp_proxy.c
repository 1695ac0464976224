// The routing mesh's TCP data plane: one epoll loop on a thread of its own per mesh, accepting on the mesh's
// listeners, choosing a backend (least connections, ties round-robin: the rule of balancer.ts's pickBackend), and
// forwarding bytes both ways with backpressure and half-closes. JavaScript sets the routes and reads the counters;
// no JavaScript runs per connection.
//
// Why not libuv from JavaScript (what the mesh ran on before): per proxied connection that spent ≈ 35 µs of
// JavaScript and a longer kernel path than HAProxy's (libuv re-registers each socket with epoll several times, reads
// once more to learn of an EOF, and sends an answer and its FIN in two segments), 1.3–1.5× HAProxy's CPU per new
// connection (docs/benchmarks.md, bench/mesh). Here each socket is registered once, edge-triggered, for everything
// it will ever report; EPOLLRDHUP tells of a peer's FIN with its last data, which then leaves with our FIN in one
// segment (MSG_MORE, then shutdown); no syscall is spent only to hear EAGAIN. Measured: 15 syscalls per proxied
// connection against HAProxy's 18, and 0.76–0.93× its CPU per connection.
//
// Threads: the loop holds `mu` while it handles a batch of events; every call from JavaScript takes `mu` too, so
// the two never touch the same state at once. What JavaScript closes meanwhile (a listener, its connections) is
// marked dead and freed by the loop after its batch, as events for it may already have been collected.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <node_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define READ_BUFFER (64 * 1024)
#define MAX_EVENTS 256
#define TASK_BUCKETS 1024
#define LISTENER_REST_MS 100
#define ACCEPT_BATCH 16

enum kind { K_WAKE, K_LISTENER, K_SIDE };

// A backend task. Referenced by the routes that list it and by the connections open to it (`load`); freed when
// neither is left.
typedef struct task {
  struct task *next;  // in its hash bucket
  uint32_t hash;
  int refs;
  int load;
  char id[];
} task_t;

typedef struct {
  task_t *task;
  struct sockaddr_storage addr;
  socklen_t addr_len;  // 0: not an IP address (a connect to it fails at once)
} backend_t;

typedef struct {
  backend_t *backends;
  int count, cap;
  int cursor;  // the index after the last backend chosen
} route_t;

struct conn;

typedef struct listener {
  uint8_t kind;
  uint8_t dead;
  int fd;
  int route;  // route id
  struct conn *conns;  // open connections, to end them when the listener closes
  uint64_t active, total, failures, bytes_in, bytes_out;
  uint64_t resume_at;  // resting after an accept failed (ms), or 0
  struct listener *next_dead;
} listener_t;

// One socket of a connection: what is read from it goes to the other side.
typedef struct side {
  uint8_t kind;
  uint8_t readable;  // epoll said so, and no read since found it empty
  uint8_t rdhup;     // the peer's FIN is in: a short read has taken its last data
  uint8_t eof;       // nothing more will be read from it
  uint8_t fin_sent;  // our FIN to it went out (after every byte for it)
  uint8_t fin_wait;  // our FIN waits for the stash to be written
  int fd;
  struct conn *conn;
  char *stash;       // bytes for this side the kernel did not take yet (its source is not read meanwhile)
  uint32_t stash_off, stash_len;
} side_t;

typedef struct conn {
  side_t client, backend;
  listener_t *listener;
  task_t *task;  // the backend's task, once chosen
  uint8_t connecting;
  uint8_t dead;
  task_t **tried;  // tasks that failed to connect, for this connection
  int tried_count;
  uint64_t deadline;  // of the connect, in ms
  struct conn *prev, *next;             // in the listener's list
  struct conn *tprev, *tnext;           // in the connect-timeout list (connecting only)
  struct conn *next_dead;
} conn_t;

typedef struct {
  pthread_mutex_t mu;
  pthread_t thread;
  int epfd;
  int wakefd;
  uint8_t wake_kind;
  volatile int stopping;
  int started;
  uint64_t connect_timeout_ms;
  listener_t **listeners;  // by id (a slot table: NULL where free)
  int listener_cap;
  route_t **routes;        // by id, the same
  int route_cap;
  task_t *tasks[TASK_BUCKETS];
  conn_t *thead, *ttail;  // connecting, oldest first (one timeout for all: appending keeps the order)
  int resting;            // some listener rests (resume_at)
  int reserve_fd;         // a descriptor kept to accept and turn away connections when out of them
  conn_t *dead_conns;
  listener_t *dead_listeners;
  char buffer[READ_BUFFER];
} proxy_t;

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

// ---- tasks ----

static uint32_t hash_of(const char *s) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
  return h;
}

static task_t *task_find(proxy_t *p, const char *id) {
  uint32_t h = hash_of(id);
  for (task_t *t = p->tasks[h % TASK_BUCKETS]; t; t = t->next)
    if (t->hash == h && strcmp(t->id, id) == 0) return t;
  return NULL;
}

static task_t *task_ref(proxy_t *p, const char *id) {
  task_t *t = task_find(p, id);
  if (!t) {
    size_t n = strlen(id);
    t = calloc(1, sizeof(task_t) + n + 1);
    if (!t) return NULL;
    memcpy(t->id, id, n + 1);
    t->hash = hash_of(id);
    t->next = p->tasks[t->hash % TASK_BUCKETS];
    p->tasks[t->hash % TASK_BUCKETS] = t;
  }
  t->refs++;
  return t;
}

static void task_maybe_free(proxy_t *p, task_t *t) {
  if (t->refs > 0 || t->load > 0) return;
  task_t **at = &p->tasks[t->hash % TASK_BUCKETS];
  while (*at != t) at = &(*at)->next;
  *at = t->next;
  free(t);
}

static void task_unref(proxy_t *p, task_t *t) {
  t->refs--;
  task_maybe_free(p, t);
}

static void task_release(proxy_t *p, task_t *t) {
  t->load--;
  task_maybe_free(p, t);
}

// ---- routes ----

static route_t *route_get(proxy_t *p, int id) {
  return id >= 0 && id < p->route_cap ? p->routes[id] : NULL;
}

// The first free slot of a table of pointers (listeners, routes), growing it when full; -1 when out of memory.
static int free_slot(void ***table, int *cap) {
  for (int id = 0; id < *cap; id++)
    if (!(*table)[id]) return id;
  int grown_cap = *cap ? *cap * 2 : 8;
  void **grown = realloc(*table, sizeof(void *) * (size_t)grown_cap);
  if (!grown) return -1;
  memset(grown + *cap, 0, sizeof(void *) * (size_t)(grown_cap - *cap));
  *table = grown;
  int id = *cap;
  *cap = grown_cap;
  return id;
}

static void route_clear(proxy_t *p, route_t *r) {
  for (int i = 0; i < r->count; i++) task_unref(p, r->backends[i].task);
  r->count = 0;
}

// An IPv4 or IPv6 address and a port as a socket address; its length, or 0 when `ip` is not an IP address.
static socklen_t socket_addr(const char *ip, int port, struct sockaddr_storage *out) {
  memset(out, 0, sizeof(*out));
  struct sockaddr_in *v4 = (struct sockaddr_in *)out;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
  if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    return sizeof(*v4);
  }
  if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    return sizeof(*v6);
  }
  return 0;
}

static int route_add(proxy_t *p, route_t *r, const char *task_id, const char *ip, int port) {
  if (r->count == r->cap) {
    int cap = r->cap ? r->cap * 2 : 8;
    backend_t *b = realloc(r->backends, sizeof(backend_t) * (size_t)cap);
    if (!b) return -ENOMEM;
    r->backends = b;
    r->cap = cap;
  }
  task_t *t = task_ref(p, task_id);
  if (!t) return -ENOMEM;
  backend_t *b = &r->backends[r->count++];
  b->task = t;
  b->addr_len = socket_addr(ip, port, &b->addr);
  return 0;
}

static void route_remove(proxy_t *p, route_t *r, const char *task_id) {
  int kept = 0;
  for (int i = 0; i < r->count; i++) {
    if (strcmp(r->backends[i].task->id, task_id) == 0) task_unref(p, r->backends[i].task);
    else r->backends[kept++] = r->backends[i];
  }
  r->count = kept;
}

static int tried(const conn_t *c, const task_t *t) {
  for (int i = 0; i < c->tried_count; i++)
    if (c->tried[i] == t) return 1;
  return 0;
}

// Least connections, ties round-robin: from the cursor on (wrapping), the first backend with the fewest open
// connections; an idle one ends the scan. As balancer.ts's pickBackend, which the UDP listeners use.
static backend_t *pick(route_t *r, const conn_t *c) {
  int n = r->count, best = -1, best_load = 0;
  if (n == 0) return NULL;
  int start = r->cursor % n;
  for (int i = 0; i < n; i++) {
    int idx = start + i < n ? start + i : start + i - n;
    backend_t *b = &r->backends[idx];
    if (c->tried_count && tried(c, b->task)) continue;
    if (best < 0 || b->task->load < best_load) {
      best = idx;
      best_load = b->task->load;
      if (best_load == 0) break;
    }
  }
  if (best < 0) return NULL;
  r->cursor = best + 1;
  return &r->backends[best];
}

// ---- connections ----

static void timeout_unlink(proxy_t *p, conn_t *c) {
  if (c->tprev) c->tprev->tnext = c->tnext;
  else if (p->thead == c) p->thead = c->tnext;
  else return;  // not in the list
  if (c->tnext) c->tnext->tprev = c->tprev;
  else p->ttail = c->tprev;
  c->tprev = c->tnext = NULL;
}

static void timeout_append(proxy_t *p, conn_t *c) {
  c->tprev = p->ttail;
  c->tnext = NULL;
  if (p->ttail) p->ttail->tnext = c;
  else p->thead = c;
  p->ttail = c;
}

static void reset_close(int fd) {
  struct linger lg = {1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  close(fd);
}

static void drop_backend(proxy_t *p, conn_t *c) {
  if (c->backend.fd >= 0) close(c->backend.fd);  // close also takes it out of epoll
  c->backend.fd = -1;
  if (c->task) task_release(p, c->task);
  c->task = NULL;
}

// Ends a connection at once (both sockets; the client gets a reset when `reset`). Freed after the loop's batch.
static void conn_close(proxy_t *p, conn_t *c, int reset) {
  if (c->dead) return;
  c->dead = 1;
  timeout_unlink(p, c);
  if (reset) reset_close(c->client.fd);
  else close(c->client.fd);
  c->client.fd = -1;
  drop_backend(p, c);
  for (int i = 0; i < c->tried_count; i++) task_unref(p, c->tried[i]);
  c->tried_count = 0;
  listener_t *l = c->listener;
  if (c->prev) c->prev->next = c->next;
  else l->conns = c->next;
  if (c->next) c->next->prev = c->prev;
  l->active--;
  c->next_dead = p->dead_conns;
  p->dead_conns = c;
}

static void conn_free(conn_t *c) {
  free(c->client.stash);
  free(c->backend.stash);
  free(c->tried);
  free(c);
}

static side_t *peer_of(side_t *s) {
  return s == &s->conn->client ? &s->conn->backend : &s->conn->client;
}

static void maybe_done(proxy_t *p, conn_t *c) {
  if (c->client.fin_sent && c->backend.fin_sent) conn_close(p, c, 0);
}

// Passes a FIN on to `to`, once every byte for it has been written. When `to` has ended too, the connection is over:
// closing its socket sends the FIN (nothing unread is left in it to turn that into a reset).
static void send_fin(proxy_t *p, side_t *to) {
  if (to->stash_len) {
    to->fin_wait = 1;
    return;
  }
  to->fin_wait = 0;
  if (!to->eof && shutdown(to->fd, SHUT_WR) < 0) {
    conn_close(p, to->conn, 0);
    return;
  }
  to->fin_sent = 1;
  maybe_done(p, to->conn);
}

static int stash(side_t *to, const char *data, uint32_t len) {
  to->stash = malloc(len);
  if (!to->stash) return -1;
  memcpy(to->stash, data, len);
  to->stash_off = 0;
  to->stash_len = len;
  return 0;
}

// Reads `from` while it has something (edge-triggered: until it is empty), writing each read to its peer; stops
// while the peer's kernel buffer is full (the rest is stashed, and `from` is read again once it is written). A short
// read emptied the socket: what arrives after it is a new event, so no read is spent to hear EAGAIN.
static void pump(proxy_t *p, side_t *from) {
  conn_t *c = from->conn;
  side_t *to = peer_of(from);
  while (!c->dead && from->readable && !from->eof && !to->stash_len) {
    ssize_t n = read(from->fd, p->buffer, READ_BUFFER);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) from->readable = 0;
      else conn_close(p, c, 0);
      return;
    }
    if (n == 0) {
      from->eof = 1;
      send_fin(p, to);
      return;
    }
    if (from == &c->client) c->listener->bytes_in += (uint64_t)n;
    else c->listener->bytes_out += (uint64_t)n;
    // After the peer's FIN a short read took everything: this is the last data, and our FIN follows it in the
    // same segment.
    int last = from->rdhup && n < READ_BUFFER;
    ssize_t w = send(to->fd, p->buffer, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT | (last ? MSG_MORE : 0));
    if (w < 0) {
      if (errno != EAGAIN) {
        conn_close(p, c, 0);
        return;
      }
      w = 0;
    }
    if (w < n && stash(to, p->buffer + w, (uint32_t)(n - w)) < 0) {
      conn_close(p, c, 0);
      return;
    }
    if (last) {
      from->eof = 1;
      send_fin(p, to);
      return;
    }
    if (n < READ_BUFFER) from->readable = 0;
  }
}

// `to` can take more: write what waits for it, then read its source again.
static void flush(proxy_t *p, side_t *to) {
  while (to->stash_len) {
    ssize_t w = send(to->fd, to->stash + to->stash_off, to->stash_len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) conn_close(p, to->conn, 0);
      return;
    }
    to->stash_off += (uint32_t)w;
    to->stash_len -= (uint32_t)w;
  }
  free(to->stash);
  to->stash = NULL;
  to->stash_off = 0;
  if (to->fin_wait) send_fin(p, to);
  if (!to->conn->dead) pump(p, peer_of(to));
}

static void connect_next(proxy_t *p, conn_t *c);

// The backend in use failed: closed, and not tried again for this connection. -1 when out of memory.
static int backend_failed(proxy_t *p, conn_t *c) {
  task_t **grown = realloc(c->tried, sizeof(task_t *) * (size_t)(c->tried_count + 1));
  if (grown) {
    c->tried = grown;
    c->tried[c->tried_count++] = c->task;
    c->task->refs++;  // kept while the connection lives, so no other task takes its address meanwhile
  }
  drop_backend(p, c);
  return grown ? 0 : -1;
}

static void connect_failed(proxy_t *p, conn_t *c) {
  timeout_unlink(p, c);
  if (backend_failed(p, c) == 0) {
    connect_next(p, c);
    return;
  }
  c->listener->failures++;
  conn_close(p, c, 1);
}

static void established(proxy_t *p, conn_t *c) {
  c->connecting = 0;
  timeout_unlink(p, c);
  pump(p, &c->backend);  // a backend may speak first
  if (!c->dead) pump(p, &c->client);  // what the client sent meanwhile waited in its socket
}

// Starts connecting to the backend; -1 when that cannot even start (not an IP address, out of descriptors…).
static int start_connect(proxy_t *p, conn_t *c, backend_t *b) {
  c->task = b->task;
  b->task->load++;
  // What a failed attempt's events said (a refusal comes with EPOLLRDHUP) is not this backend's.
  c->backend.readable = c->backend.rdhup = 0;
  int fd = b->addr_len ? socket(b->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) : -1;
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  c->backend.fd = fd;
  if (connect(fd, (struct sockaddr *)&b->addr, b->addr_len) < 0 && errno != EINPROGRESS) return -1;
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = &c->backend};
  if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) return -1;
  c->connecting = 1;
  c->deadline = now_ms() + p->connect_timeout_ms;
  timeout_append(p, c);
  return 0;  // EPOLLOUT tells the outcome (also of a connect that completed at once)
}

// Connects the connection to the next backend not tried yet; without one, the client gets a reset.
static void connect_next(proxy_t *p, conn_t *c) {
  route_t *r = route_get(p, c->listener->route);
  for (;;) {
    backend_t *b = r ? pick(r, c) : NULL;
    if (!b) break;
    if (start_connect(p, c, b) == 0) return;
    if (backend_failed(p, c) < 0) break;
  }
  c->listener->failures++;
  conn_close(p, c, 1);
}

// Accepts one connection; returns whether another may be waiting. The listener is level-triggered: up to
// ACCEPT_BATCH are taken per event (fewer wakeups than one each: 110 against 127 µs of CPU per short connection in
// bench/mesh), and epoll reports it again while more wait.
static int accept_one(proxy_t *p, listener_t *l) {
  int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    if (errno == EINTR || errno == ECONNABORTED) return 1;
    if (errno == EAGAIN) return 0;
    if ((errno == EMFILE || errno == ENFILE) && p->reserve_fd >= 0) {
      // Out of descriptors: the one kept in reserve lets the connection be accepted and turned away at once, rather
      // than left waiting in the backlog with no one to serve it.
      close(p->reserve_fd);
      fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd >= 0) {
        l->total++;
        l->failures++;
        reset_close(fd);
      }
      p->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
      return fd >= 0;
    }
    // Out of memory, or of descriptors with none in reserve: the connection waits in the backlog while the listener
    // rests (level-triggered, it would otherwise be reported again at once, forever).
    l->failures++;
    struct epoll_event none = {.events = 0, .data.ptr = l};
    if (epoll_ctl(p->epfd, EPOLL_CTL_MOD, l->fd, &none) == 0) {
      l->resume_at = now_ms() + LISTENER_REST_MS;
      p->resting = 1;
    }
    return 0;
  }
  l->total++;
  route_t *r = route_get(p, l->route);
  conn_t *c = r && r->count ? calloc(1, sizeof(conn_t)) : NULL;
  if (!c) {  // no backend: closed at once, never left hanging
    l->failures++;
    reset_close(fd);
    return 1;
  }
  c->listener = l;
  c->client = (side_t){.kind = K_SIDE, .fd = fd, .conn = c};
  c->backend = (side_t){.kind = K_SIDE, .fd = -1, .conn = c};
  c->next = l->conns;
  if (l->conns) l->conns->prev = c;
  l->conns = c;
  l->active++;
  // Registered once for all it will report (TCP_NODELAY it inherits from the listener); nothing is read from it
  // until a backend is connected.
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = &c->client};
  if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
    l->failures++;
    conn_close(p, c, 1);
    return 1;
  }
  connect_next(p, c);
  return 1;
}

static void on_side(proxy_t *p, side_t *s, uint32_t events) {
  conn_t *c = s->conn;
  if (c->dead) return;
  if (events & EPOLLRDHUP) s->rdhup = 1;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) s->readable = 1;
  if (c->connecting) {
    // A connect that failed reports an error (EPOLLERR, with EPOLLHUP when refused); one that succeeded only that
    // the socket is writable.
    if (s != &c->backend || !(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    if (events & (EPOLLERR | EPOLLHUP)) connect_failed(p, c);
    else established(p, c);
    return;
  }
  if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) && s->stash_len) flush(p, s);
  if (!c->dead) pump(p, s);
}

static void expire_connects(proxy_t *p) {
  uint64_t now = now_ms();
  while (p->thead && p->thead->deadline <= now) connect_failed(p, p->thead);
}

// Listens again on the listeners whose rest is over; returns the earliest rest still running (ms), or 0.
static uint64_t resume_listeners(proxy_t *p) {
  uint64_t now = now_ms(), next = 0;
  for (int i = 0; i < p->listener_cap; i++) {
    listener_t *l = p->listeners[i];
    if (!l || !l->resume_at) continue;
    if (l->resume_at <= now) {
      struct epoll_event ev = {.events = EPOLLIN, .data.ptr = l};
      if (epoll_ctl(p->epfd, EPOLL_CTL_MOD, l->fd, &ev) == 0) l->resume_at = 0;
    }
    if (l->resume_at && (!next || l->resume_at < next)) next = l->resume_at;
  }
  return next;
}

static void free_dead(proxy_t *p) {
  while (p->dead_conns) {
    conn_t *c = p->dead_conns;
    p->dead_conns = c->next_dead;
    conn_free(c);
  }
  while (p->dead_listeners) {
    listener_t *l = p->dead_listeners;
    p->dead_listeners = l->next_dead;
    free(l);
  }
}

static void *loop(void *arg) {
  proxy_t *p = arg;
  struct epoll_event events[MAX_EVENTS];
  for (;;) {
    pthread_mutex_lock(&p->mu);
    uint64_t wake_at = p->resting ? resume_listeners(p) : 0;
    p->resting = wake_at != 0;
    if (p->thead && (!wake_at || p->thead->deadline < wake_at)) wake_at = p->thead->deadline;
    int timeout = -1;
    if (wake_at) {
      uint64_t now = now_ms();
      timeout = wake_at > now ? (int)(wake_at - now) : 0;
    }
    pthread_mutex_unlock(&p->mu);
    int n = epoll_wait(p->epfd, events, MAX_EVENTS, timeout);
    pthread_mutex_lock(&p->mu);
    if (p->stopping) {
      pthread_mutex_unlock(&p->mu);
      return NULL;
    }
    for (int i = 0; i < n; i++) {
      uint8_t kind = *(uint8_t *)events[i].data.ptr;
      if (kind == K_WAKE) {
        uint64_t v;
        if (read(p->wakefd, &v, sizeof(v)) < 0) { /* nothing to do: a wake-up only */ }
      } else if (kind == K_LISTENER) {
        listener_t *l = events[i].data.ptr;
        for (int k = 0; k < ACCEPT_BATCH && !l->dead && accept_one(p, l); k++) continue;
      } else {
        on_side(p, events[i].data.ptr, events[i].events);
      }
    }
    expire_connects(p);
    free_dead(p);
    pthread_mutex_unlock(&p->mu);
  }
}

static void wake(proxy_t *p) {
  uint64_t one = 1;
  if (write(p->wakefd, &one, sizeof(one)) < 0) { /* the counter is full: the loop is awake anyway */ }
}

static void listener_close(proxy_t *p, listener_t *l) {
  close(l->fd);
  l->dead = 1;
  while (l->conns) conn_close(p, l->conns, 0);
  l->next_dead = p->dead_listeners;
  p->dead_listeners = l;
}

// Stops the loop and frees everything; every socket closes. Runs on the JavaScript thread (close(), or the
// environment's teardown when a worker thread ends without it).
static void proxy_destroy(proxy_t *p) {
  if (p->started) {
    pthread_mutex_lock(&p->mu);
    p->stopping = 1;
    wake(p);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    p->started = 0;
  }
  for (int i = 0; i < p->listener_cap; i++)
    if (p->listeners[i]) listener_close(p, p->listeners[i]);
  for (int i = 0; i < p->route_cap; i++)
    if (p->routes[i]) {
      route_clear(p, p->routes[i]);
      free(p->routes[i]->backends);
      free(p->routes[i]);
    }
  free_dead(p);
  for (int i = 0; i < TASK_BUCKETS; i++)
    while (p->tasks[i]) {
      task_t *t = p->tasks[i];
      p->tasks[i] = t->next;
      free(t);
    }
  free(p->listeners);
  free(p->routes);
  close(p->epfd);
  close(p->wakefd);
  if (p->reserve_fd >= 0) close(p->reserve_fd);
  pthread_mutex_destroy(&p->mu);
  free(p);
}

// ---- the JavaScript surface ----

#define CALL(env, x) \
  if ((x) != napi_ok) { napi_throw_error(env, NULL, "tcp proxy: " #x); return NULL; }

typedef struct {
  proxy_t *proxy;
} handle_t;

static void on_cleanup(void *arg) {
  handle_t *h = arg;
  if (h->proxy) proxy_destroy(h->proxy);
  h->proxy = NULL;
}

static void on_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  handle_t *h = data;
  if (h->proxy) {
    napi_remove_env_cleanup_hook(env, on_cleanup, h);
    proxy_destroy(h->proxy);
  }
  free(h);
}

// A call's arguments (`count` of them, missing ones undefined) and its proxy, the first; NULL (thrown) when closed.
static proxy_t *proxy_call(napi_env env, napi_callback_info info, napi_value *argv, size_t count) {
  size_t argc = count;
  handle_t *h = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok ||
      napi_get_value_external(env, argv[0], (void **)&h) != napi_ok || !h || !h->proxy) {
    napi_throw_error(env, NULL, "tcp proxy: closed");
    return NULL;
  }
  return h->proxy;
}

static int32_t int_arg(napi_env env, napi_value v) {
  int32_t x = 0;
  napi_get_value_int32(env, v, &x);
  return x;
}

static char *string_arg(napi_env env, napi_value v, char *buf, size_t size) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, buf, size, &len) != napi_ok) return NULL;
  return len + 1 < size ? buf : NULL;  // longer than the buffer: refused, not cut short
}

static napi_value int_value(napi_env env, int64_t x) {
  napi_value v;
  napi_create_int64(env, x, &v);
  return v;
}

// create(connectTimeoutMs) -> proxy
static napi_value js_create(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  proxy_t *p = calloc(1, sizeof(proxy_t));
  handle_t *h = calloc(1, sizeof(handle_t));
  if (!p || !h) {
    free(p);
    free(h);
    napi_throw_error(env, NULL, "tcp proxy: out of memory");
    return NULL;
  }
  p->connect_timeout_ms = (uint64_t)int_arg(env, argv[0]);
  p->wake_kind = K_WAKE;
  p->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  pthread_mutex_init(&p->mu, NULL);
  p->epfd = epoll_create1(EPOLL_CLOEXEC);
  p->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &p->wake_kind};
  if (p->epfd < 0 || p->wakefd < 0 || epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->wakefd, &ev) < 0 ||
      pthread_create(&p->thread, NULL, loop, p) != 0) {
    proxy_destroy(p);
    free(h);
    napi_throw_error(env, NULL, "tcp proxy: cannot start its thread");
    return NULL;
  }
  p->started = 1;
  h->proxy = p;
  napi_add_env_cleanup_hook(env, on_cleanup, h);
  napi_value out;
  CALL(env, napi_create_external(env, h, on_finalize, NULL, &out));
  return out;
}

// destroy(proxy): every listener and connection closed, the thread ended.
static napi_value js_destroy(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  handle_t *h = NULL;
  if (napi_get_value_external(env, argv[0], (void **)&h) == napi_ok && h && h->proxy) {
    napi_remove_env_cleanup_hook(env, on_cleanup, h);
    proxy_destroy(h->proxy);
    h->proxy = NULL;
  }
  return NULL;
}

// listen(proxy, ip, port, routeId) -> listener id (>= 0), or [-errno, "bind" | "listen"]
static napi_value js_listen(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  proxy_t *p = proxy_call(env, info, argv, 4);
  if (!p) return NULL;
  char ip[INET6_ADDRSTRLEN + 1];
  if (!string_arg(env, argv[1], ip, sizeof(ip))) ip[0] = 0;
  struct sockaddr_storage addr;
  socklen_t len = socket_addr(ip, int_arg(env, argv[2]), &addr);
  const char *call = "bind";
  int err = len ? 0 : EINVAL;
  int fd = -1;
  if (!err) {
    fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0) err = errno;
    else {
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));  // accepted sockets inherit it
      if (bind(fd, (struct sockaddr *)&addr, len) < 0) err = errno;
      else if (listen(fd, 4096) < 0) {
        err = errno;
        call = "listen";
      }
    }
  }
  if (err) {
    if (fd >= 0) close(fd);
    napi_value out, code, name;
    napi_create_array_with_length(env, 2, &out);
    napi_create_int32(env, -err, &code);
    napi_create_string_utf8(env, call, NAPI_AUTO_LENGTH, &name);
    napi_set_element(env, out, 0, code);
    napi_set_element(env, out, 1, name);
    return out;
  }
  pthread_mutex_lock(&p->mu);
  int id = free_slot((void ***)&p->listeners, &p->listener_cap);
  listener_t *l = id >= 0 ? calloc(1, sizeof(listener_t)) : NULL;
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = l};
  if (!l || epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
    pthread_mutex_unlock(&p->mu);
    free(l);
    close(fd);
    napi_throw_error(env, NULL, "tcp proxy: cannot add a listener");
    return NULL;
  }
  l->kind = K_LISTENER;
  l->fd = fd;
  l->route = int_arg(env, argv[3]);
  p->listeners[id] = l;
  pthread_mutex_unlock(&p->mu);
  return int_value(env, id);
}

static listener_t *listener_arg(napi_env env, proxy_t *p, napi_value v) {
  int id = int_arg(env, v);
  return id >= 0 && id < p->listener_cap ? p->listeners[id] : NULL;
}

// closeListener(proxy, id): stops accepting and ends its connections.
static napi_value js_close_listener(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  proxy_t *p = proxy_call(env, info, argv, 2);
  if (!p) return NULL;
  pthread_mutex_lock(&p->mu);
  listener_t *l = listener_arg(env, p, argv[1]);
  if (l) {
    p->listeners[int_arg(env, argv[1])] = NULL;
    listener_close(p, l);
    wake(p);  // the loop frees it after the batch it may be in
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

// stats(proxy, id) -> [active, total, failures, bytesIn, bytesOut]
static napi_value js_stats(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  proxy_t *p = proxy_call(env, info, argv, 2);
  if (!p) return NULL;
  double v[5] = {0, 0, 0, 0, 0};
  pthread_mutex_lock(&p->mu);
  listener_t *l = listener_arg(env, p, argv[1]);
  if (l) {
    v[0] = (double)l->active;
    v[1] = (double)l->total;
    v[2] = (double)l->failures;
    v[3] = (double)l->bytes_in;
    v[4] = (double)l->bytes_out;
  }
  pthread_mutex_unlock(&p->mu);
  napi_value out;
  napi_create_array_with_length(env, 5, &out);
  for (uint32_t i = 0; i < 5; i++) {
    napi_value x;
    napi_create_double(env, v[i], &x);
    napi_set_element(env, out, i, x);
  }
  return out;
}

// newRoute(proxy) -> route id
static napi_value js_new_route(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  proxy_t *p = proxy_call(env, info, argv, 1);
  if (!p) return NULL;
  pthread_mutex_lock(&p->mu);
  int id = free_slot((void ***)&p->routes, &p->route_cap);
  route_t *r = id >= 0 ? calloc(1, sizeof(route_t)) : NULL;
  if (r) p->routes[id] = r;
  pthread_mutex_unlock(&p->mu);
  if (!r) {
    napi_throw_error(env, NULL, "tcp proxy: out of memory");
    return NULL;
  }
  return int_value(env, id);
}

// deleteRoute(proxy, id): its listeners are closed first; connections keep their task.
static napi_value js_delete_route(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  proxy_t *p = proxy_call(env, info, argv, 2);
  if (!p) return NULL;
  pthread_mutex_lock(&p->mu);
  int id = int_arg(env, argv[1]);
  route_t *r = route_get(p, id);
  if (r) {
    route_clear(p, r);
    free(r->backends);
    free(r);
    p->routes[id] = NULL;
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

// changeRoute(proxy, id, replace, removedTaskIds[], added[taskId, ip, port, …]): `replace` drops every backend
// first. The round-robin cursor stays.
static napi_value js_change_route(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  proxy_t *p = proxy_call(env, info, argv, 5);
  if (!p) return NULL;
  bool replace = false;
  napi_get_value_bool(env, argv[2], &replace);
  uint32_t removed = 0, added = 0;
  napi_get_array_length(env, argv[3], &removed);
  napi_get_array_length(env, argv[4], &added);
  char id[512], ip[INET6_ADDRSTRLEN + 1];
  int err = 0;
  pthread_mutex_lock(&p->mu);
  route_t *r = route_get(p, int_arg(env, argv[1]));
  if (r && replace) route_clear(p, r);
  for (uint32_t i = 0; r && i < removed; i++) {
    napi_value v;
    napi_get_element(env, argv[3], i, &v);
    if (string_arg(env, v, id, sizeof(id))) route_remove(p, r, id);
  }
  for (uint32_t i = 0; r && !err && i + 2 < added; i += 3) {
    napi_value t, a, port;
    napi_get_element(env, argv[4], i, &t);
    napi_get_element(env, argv[4], i + 1, &a);
    napi_get_element(env, argv[4], i + 2, &port);
    if (!string_arg(env, t, id, sizeof(id))) continue;
    if (!string_arg(env, a, ip, sizeof(ip))) ip[0] = 0;
    err = route_add(p, r, id, ip, int_arg(env, port));
  }
  pthread_mutex_unlock(&p->mu);
  if (err) napi_throw_error(env, NULL, "tcp proxy: out of memory");
  return NULL;
}

// taskConnections(proxy, taskId) -> connections open to the task now
static napi_value js_task_connections(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  proxy_t *p = proxy_call(env, info, argv, 2);
  if (!p) return NULL;
  char id[512];
  int load = 0;
  pthread_mutex_lock(&p->mu);
  task_t *t = string_arg(env, argv[1], id, sizeof(id)) ? task_find(p, id) : NULL;
  if (t) load = t->load;
  pthread_mutex_unlock(&p->mu);
  return int_value(env, load);
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"create", NULL, js_create, NULL, NULL, NULL, napi_default, NULL},
      {"destroy", NULL, js_destroy, NULL, NULL, NULL, napi_default, NULL},
      {"listen", NULL, js_listen, NULL, NULL, NULL, napi_default, NULL},
      {"closeListener", NULL, js_close_listener, NULL, NULL, NULL, napi_default, NULL},
      {"stats", NULL, js_stats, NULL, NULL, NULL, napi_default, NULL},
      {"newRoute", NULL, js_new_route, NULL, NULL, NULL, napi_default, NULL},
      {"deleteRoute", NULL, js_delete_route, NULL, NULL, NULL, napi_default, NULL},
      {"changeRoute", NULL, js_change_route, NULL, NULL, NULL, napi_default, NULL},
      {"taskConnections", NULL, js_task_connections, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
