# Written for Varnish 3: Varnish 7 compiles none of it. vcl-lint points at the
# missing `vcl 4.1;` line and at each VCL 3 construct: `req.request` (now
# `req.method`), `remove` (now `unset`), `error` (now `return (synth(...))`),
# `return (lookup)` (now `return (hash)`) and `vcl_fetch` (now
# `vcl_backend_response`, with `beresp` but no `req`).
backend default {
    .host = "127.0.0.1";
    .port = "8080";
}

sub vcl_recv {
    if (req.request != "GET" && req.request != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/maintenance") {
        error 503 "Down for maintenance";
    }
    remove req.http.Cookie;
    return (lookup);
}

sub vcl_fetch {
    if (req.url ~ "\.(png|jpg|css|js)$") {
        set beresp.ttl = 1h;
    }
}
