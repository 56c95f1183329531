# SYNTAX TEST "source.vcl" "inline C is highlighted as C"
C{
# <-- meta.embedded.block.c punctuation.section.embedded.begin.vcl
  #include <syslog.h>
# ^^^^^^^^ meta.embedded.block.c source.c keyword.control.directive.include.c
#          ^^^^^^^^^^ source.c string.quoted.other.lt-gt.include.c
  static const char *tag = "varnish"; /* C comment */
# ^^^^^^ meta.embedded.block.c source.c storage.modifier.c
#              ^^^^ source.c storage.type.built-in.primitive.c
#                          ^^^^^^^^^ source.c string.quoted.double.c - string.quoted.double.vcl
#                                     ^^^^^^^^^^^^^^^ source.c comment.block.c
}C
# <-- meta.embedded.block.c punctuation.section.embedded.end.vcl - source.c

sub vcl_deliver {
# <--- storage.type.function.vcl - meta.embedded.block.c
  C{ syslog(LOG_INFO, "delivered"); }C
# ^^ meta.embedded.block.c punctuation.section.embedded.begin.vcl
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.embedded.block.c source.c
#                     ^^^^^^^^^^^ source.c string.quoted.double.c
#                                   ^^ meta.embedded.block.c punctuation.section.embedded.end.vcl - source.c
  set resp.http.X-After = "vcl again";
# ^^^ keyword.other.set.vcl - source.c
}
