# A clean configuration: vcl-lint reports nothing here.
# Two application servers share one health probe and are balanced round-robin;
# a server that fails the probe is taken out of rotation instead of answering
# "503 Backend fetch failed".
vcl 4.1;

import directors;

probe health {
    .url = "/health";
    .timeout = 2s;
    .interval = 5s;
    .window = 10;
    .threshold = 5;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8081";
    .probe = health;
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8082";
    .probe = health;
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    app.add_backend(app2);
}

sub vcl_recv {
    set req.backend_hint = app.backend();
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Static assets do not depend on the session: drop cookies so they cache.
    if (req.url ~ "\.(css|js|png|svg|woff2)(\?.*)?$") {
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_backend_response {
    if (bereq.url ~ "\.(css|js|png|svg|woff2)(\?.*)?$") {
        set beresp.ttl = 1d;
    }
}

sub vcl_deliver {
    unset resp.http.X-Powered-By;
}
