vcl 4.1;
# Newsroom's front cache. Newsroom marks what may be kept and for how long (Surrogate-Control:
# max-age=N) and what each response shows (Surrogate-Key, turned into xkey tags here); it purges
# by tag (PURGE with an xkey-purge header) the moment an article changes. Anyone with a session
# or CSRF cookie, the desk, previews and the health check pass straight through. When the
# application is down, pages up to a day old are served (grace); while it is up, at most 10 s
# stale while a fresh copy is fetched.

import std;
import xkey;

include "backend.vcl";

# Who may purge: the application's own hosts. A deployment adds its web servers here.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Purging is not allowed from " + client.ip));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview|tinymce)/" || req.url ~ "^/healthz") {
        return (pass);
    }
    # A signed-in editor (session or CSRF cookie) or an API client with credentials is never
    # served from, nor stored in, the cache.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    # Other cookies (analytics and the like) change nothing on a public page.
    unset req.http.Cookie;
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+") {
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\1") + "s", 0s);
    }
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Only whole successful pages are kept: a 404 must not outlive the article's return, and an
    # error must not outlive the fault.
    if (beresp.status != 200 || beresp.http.Set-Cookie) {
        set beresp.ttl = 1s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    set beresp.grace = 24h;
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Surrogate-Control;
}
