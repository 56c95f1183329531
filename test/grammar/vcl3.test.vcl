# SYNTAX TEST "source.vcl" "VCL 3 spellings are highlighted without harm to what follows"
director cluster round-robin {
# <-------- storage.type.director.legacy.vcl
#        ^^^^^^^ entity.name.type.director.vcl
#                ^^^^^^^^^^^ support.type.director.vcl
  { .backend = web1; }
#    ^^^^^^^ entity.other.attribute-name.vcl
}
sub vcl_fetch {
#   ^^^^^^^^^ entity.name.function.vcl - entity.name.function.builtin.vcl
  if (req.request == "POST") {
#     ^^^ variable.language.object.vcl
#         ^^^^^^^ variable.other.property.vcl
    error 405 "Not allowed";
#   ^^^^^ keyword.other.legacy.vcl
#         ^^^ constant.numeric.vcl
#             ^^^^^^^^^^^^^ string.quoted.double.vcl
  }
  remove req.http.Cookie;
# ^^^^^^ keyword.other.legacy.vcl
#        ^^^ variable.language.object.vcl
  esi;
# ^^^ keyword.other.legacy.vcl
  return (lookup);
#         ^^^^^^ support.constant.return-action.vcl
  set beresp.http.X-Error = "error";
#                 ^^^^^^^ variable.other.property.header-name.vcl - keyword.other.legacy.vcl
}
sub vcl_recv {
  if (client.ip ~ purge) { return (purge); }
#                 ^^^^^ variable.other.vcl - keyword.other.legacy.vcl
#                                  ^^^^^ support.constant.return-action.vcl
}
