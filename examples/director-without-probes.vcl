# Valid VCL that varnishd loads, yet fragile: neither backend has a health
# probe, so the round-robin director keeps sending every other request to a
# server that is down, and those clients get "503 Backend fetch failed".
# vcl-lint warns `backend-probe-missing` once, naming both backends, and
# offers fixes that add a probe.
vcl 4.1;

import directors;

backend web1 {
    .host = "127.0.0.1";
    .port = "8081";
}

backend web2 {
    .host = "127.0.0.1";
    .port = "8082";
}

sub vcl_init {
    new web = directors.round_robin();
    web.add_backend(web1);
    web.add_backend(web2);
}

sub vcl_recv {
    set req.backend_hint = web.backend();
}
