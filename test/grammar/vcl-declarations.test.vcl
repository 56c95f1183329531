# SYNTAX TEST "source.vcl" "top-level declarations"
vcl 4.1;
# <--- keyword.other.version.vcl
#   ^^^ constant.numeric.version.vcl
#      ^ punctuation.terminator.statement.vcl
import std;
# <------ keyword.control.import.vcl
#      ^^^ entity.name.namespace.vcl
import directors from "/usr/lib/varnish/vmods/libvmod_directors.so";
#      ^^^^^^^^^ entity.name.namespace.vcl
#                ^^^^ keyword.control.import.from.vcl
#                     ^ string.quoted.double.vcl punctuation.definition.string.begin.vcl
#                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.vcl
include "backends/web.vcl";
# <------- keyword.control.include.vcl
#       ^^^^^^^^^^^^^^^^^^ string.quoted.double.vcl

probe healthcheck {
# <----- storage.type.probe.vcl
#     ^^^^^^^^^^^ entity.name.type.probe.vcl
#                 ^ punctuation.section.block.begin.vcl
  .url = "/health_check.php";
# ^ punctuation.accessor.vcl
#  ^^^ entity.other.attribute-name.vcl
#      ^ keyword.operator.assignment.vcl
  .timeout = 2s;
#            ^ constant.numeric.duration.vcl
#             ^ constant.numeric.duration.vcl keyword.other.unit.vcl
  .window = 10;
#           ^^ constant.numeric.vcl
}
# <- punctuation.section.block.end.vcl

backend web-1 {
# <------- storage.type.backend.vcl
#       ^^^^^ entity.name.type.backend.vcl
  .host = "10.0.0.11";
#  ^^^^ entity.other.attribute-name.vcl
#          ^^^^^^^^^ string.quoted.double.vcl - constant.numeric.vcl
  .port = "8080";
  .probe = healthcheck;
#  ^^^^^ entity.other.attribute-name.vcl - storage.type.probe.vcl
#          ^^^^^^^^^^^ variable.other.vcl
  .first_byte_timeout = 300s;
#                       ^^^ constant.numeric.duration.vcl
#                          ^ keyword.other.unit.vcl
}

acl purgers +log -pedantic {
# <--- storage.type.acl.vcl
#   ^^^^^^^ entity.name.type.acl.vcl
#           ^^^^ storage.modifier.acl-flag.vcl
#                ^^^^^^^^^ storage.modifier.acl-flag.vcl
  "localhost";
  "192.168.0.0"/16;
#              ^ keyword.operator.arithmetic.vcl
#               ^^ constant.numeric.vcl
  ! "192.168.1.1";
# ^ keyword.operator.logical.vcl
}

sub vcl_init {
# <--- storage.type.function.vcl
#   ^^^^^^^^ entity.name.function.builtin.vcl
  new cluster = directors.round_robin();
# ^^^ keyword.other.new.vcl
#     ^^^^^^^ entity.name.variable.object.vcl
#               ^^^^^^^^^ entity.name.namespace.vcl
#                        ^ punctuation.accessor.vcl
#                         ^^^^^^^^^^^ entity.name.function.vcl
  cluster.add_backend(web-1);
# ^^^^^^^ entity.name.namespace.vcl
#         ^^^^^^^^^^^ entity.name.function.vcl
#                     ^^^^^ variable.other.vcl - constant.numeric.vcl
}

sub normalize-host {
#   ^^^^^^^^^^^^^^ entity.name.function.vcl - entity.name.function.builtin.vcl
  call vcl_hash_helper;
# ^^^^ keyword.control.call.vcl
#      ^^^^^^^^^^^^^^^ entity.name.function.vcl - entity.name.function.builtin.vcl
}

sub vcl_recv {
  call normalize-host;
# ^^^^ keyword.control.call.vcl
#      ^^^^^^^^^^^^^^ entity.name.function.vcl
}
sub vcl_backend_response {}
#   ^^^^^^^^^^^^^^^^^^^^ entity.name.function.builtin.vcl
sub vcl_recv_extra {}
#   ^^^^^^^^^^^^^^ entity.name.function.vcl - entity.name.function.builtin.vcl
