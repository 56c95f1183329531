# SYNTAX TEST "source.vcl" "statements, variables, operators, numbers"
sub vcl_recv {
  if (req.http.X-Forwarded-For) {
# ^^ keyword.control.conditional.vcl
#     ^^^ variable.other.header.vcl variable.language.object.vcl
#        ^ variable.other.header.vcl punctuation.accessor.vcl
#         ^^^^ variable.other.header.vcl variable.language.property.vcl
#              ^^^^^^^^^^^^^^^ variable.other.header.vcl variable.other.property.header-name.vcl - keyword.operator.arithmetic.vcl
    set req.http.X-Forwarded-For = req.http.X-Forwarded-For + ", " + client.ip;
#   ^^^ keyword.other.set.vcl
#                                ^ keyword.operator.assignment.vcl
#                                                           ^ keyword.operator.arithmetic.vcl
#                                                                    ^^^^^^ variable.language.object.vcl
#                                                                          ^ punctuation.accessor.vcl
#                                                                           ^^ variable.other.property.vcl
  } elsif (req.method == "PURGE" && !client.ip ~ purgers) {
#   ^^^^^ keyword.control.conditional.vcl
#          ^^^ variable.language.object.vcl
#              ^^^^^^ variable.other.property.vcl
#                     ^^ keyword.operator.comparison.vcl
#                                ^^ keyword.operator.logical.vcl
#                                   ^ keyword.operator.logical.vcl
#                                              ^ keyword.operator.match.vcl
#                                                ^^^^^^^ variable.other.vcl - string.regexp.quoted.vcl
    return (purge);
#   ^^^^^^ keyword.control.return.vcl
#          ^ punctuation.section.parens.begin.vcl
#           ^^^^^ support.constant.return-action.vcl
#                ^ punctuation.section.parens.end.vcl
  } else if (req.restarts > 0) {
#   ^^^^ keyword.control.conditional.vcl
#        ^^ keyword.control.conditional.vcl
#                         ^ keyword.operator.comparison.vcl
#                           ^ constant.numeric.vcl
    return (synth(750, "Moved"));
#           ^^^^^ support.constant.return-action.vcl
#                ^ punctuation.section.parens.begin.vcl
#                 ^^^ constant.numeric.vcl
#                      ^^^^^^^ string.quoted.double.vcl
#                             ^ punctuation.section.parens.end.vcl
#                              ^ meta.return.vcl punctuation.section.parens.end.vcl
#                               ^ punctuation.terminator.statement.vcl - meta.return.vcl
  }
  unset req.http.Cookie;
# ^^^^^ keyword.other.unset.vcl
  set req.http.X-Score = 10 * 2 % 3 - 1;
#                        ^^ constant.numeric.vcl
#                           ^ keyword.operator.arithmetic.vcl
#                               ^ keyword.operator.arithmetic.vcl
#                                   ^ keyword.operator.arithmetic.vcl
  set req.http.X-Seen += "yes";
#                     ^^ keyword.operator.assignment.compound.vcl
  set req.grace = 1.5m;
#                 ^^^ constant.numeric.duration.vcl
#                    ^ constant.numeric.duration.vcl keyword.other.unit.vcl
  set req.ttl = 250ms;
#               ^^^ constant.numeric.duration.vcl
#                  ^^ keyword.other.unit.vcl
  set req.ttl = 1y;
#                ^ keyword.other.unit.vcl
  std.cache_req_body(100KB);
# ^^^ entity.name.namespace.vcl
#     ^^^^^^^^^^^^^^ entity.name.function.vcl
#                    ^^^ constant.numeric.bytes.vcl
#                       ^^ constant.numeric.bytes.vcl keyword.other.unit.vcl
  std.cache_req_body(2mb);
#                     ^^ keyword.other.unit.vcl
  if (std.healthy(req.backend_hint) || true || now > req.ttl) {}
#                 ^^^ variable.language.object.vcl
#                     ^^^^^^^^^^^^ variable.other.property.vcl
#                                      ^^^^ constant.language.boolean.vcl
#                                              ^^^ variable.language.now.vcl
#                                                  ^ keyword.operator.comparison.vcl
  set req.backend_hint = web-10s;
#                        ^^^^^^^ variable.other.vcl - constant.numeric.duration.vcl keyword.operator.arithmetic.vcl
  set req.http.X-Ttl = beresp.ttl-1s;
#                      ^^^^^^ variable.language.object.vcl
#                             ^^^^^^ variable.other.property.vcl - constant.numeric.duration.vcl
  hash_data(req.url);
# ^^^^^^^^^ support.function.builtin.vcl
  ban("req.url ~ /");
# ^^^ support.function.builtin.vcl
#      ^^^^^^^^^^^ string.quoted.double.vcl - keyword.operator.match.vcl
  set req.http.X-Key = :3q2+7w==:;
#                      ^^^^^^^^^^ constant.other.blob.vcl
  set bereq.http.host = req_top.http.host;
#     ^^^^^ variable.language.object.vcl
#                       ^^^^^^^ variable.language.object.vcl
#                                    ^^^^ variable.other.property.header-name.vcl
  return (vcl(other_label));
#         ^^^ support.constant.return-action.vcl
#             ^^^^^^^^^^^ variable.other.vcl
  return (lookupp);
#         ^^^^^^^ - support.constant.return-action.vcl
  return;
# ^^^^^^ keyword.control.return.vcl
}
