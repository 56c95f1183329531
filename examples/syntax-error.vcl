# One typo: the `if` condition on line 13 is missing its closing `)`.
# varnishd refuses to load the file; vcl-lint reports a `syntax` error there.
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8080";
}

acl purgers { "127.0.0.1"; }

sub vcl_recv {
    if (req.method == "PURGE" {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
}
