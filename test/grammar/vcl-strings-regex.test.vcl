# SYNTAX TEST "source.vcl" "strings, regular expressions and comments"
sub vcl_recv {
  set req.http.A = "plain # not a comment";
#                  ^ string.quoted.double.vcl punctuation.definition.string.begin.vcl
#                         ^^^^^^^^^^^^^^^ string.quoted.double.vcl - comment.line.number-sign.vcl
#                                        ^ punctuation.definition.string.end.vcl
#                                         ^ punctuation.terminator.statement.vcl - string.quoted.double.vcl
  set req.http.B = {"long "string" with // no comment
#                  ^^ string.quoted.other.long.vcl punctuation.definition.string.begin.vcl
#                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.other.long.vcl - comment.line.double-slash.vcl
   and a second line"};
#  ^^^^^^^^^^^^^^^^^ string.quoted.other.long.vcl
#                   ^^ string.quoted.other.long.vcl punctuation.definition.string.end.vcl
#                     ^ punctuation.terminator.statement.vcl - string.quoted.other.long.vcl
  set req.http.C = """triple "quoted" {"text"}""";
#                  ^^^ string.quoted.triple.vcl punctuation.definition.string.begin.vcl
#                            ^^^^^^^^^^^^^^^^^ string.quoted.triple.vcl - string.quoted.other.long.vcl
#                                             ^^^ string.quoted.triple.vcl punctuation.definition.string.end.vcl
  if (req.url ~ "^/(?i)static/.*\.(css|js)$") {}
#             ^ keyword.operator.match.vcl
#               ^ string.regexp.quoted.vcl punctuation.definition.string.begin.vcl
#                ^ string.regexp.quoted.vcl keyword.control.anchor.regexp
#                  ^^^^ string.regexp.quoted.vcl punctuation.definition.group.regexp
#                             ^ constant.character.wildcard.regexp
#                              ^ keyword.operator.quantifier.regexp
#                               ^^ string.regexp.quoted.vcl constant.character.escape.regexp
#                                 ^ punctuation.definition.group.regexp
#                                     ^ keyword.operator.or.regexp
#                                         ^ keyword.control.anchor.regexp
#                                          ^ string.regexp.quoted.vcl punctuation.definition.string.end.vcl
#                                           ^ punctuation.section.parens.end.vcl - string.regexp.quoted.vcl
  if (req.http.host !~ {"^www\.example\.com$"}) {}
#                   ^^ keyword.operator.match.vcl
#                      ^^ string.regexp.long.vcl punctuation.definition.string.begin.vcl
#                            ^^ string.regexp.long.vcl constant.character.escape.regexp
#                              ^^^^^^^ string.regexp.long.vcl - constant.character.escape.regexp
#                                           ^^ string.regexp.long.vcl punctuation.definition.string.end.vcl
  if (req.url ~ """[a-z]{2,3}\d+?""") {}
#               ^^^ string.regexp.triple.vcl punctuation.definition.string.begin.vcl
#                  ^^^^^ string.regexp.triple.vcl constant.other.character-class.set.regexp
#                       ^^^^^ keyword.operator.quantifier.regexp
#                            ^^ constant.character.character-class.regexp
#                              ^^ keyword.operator.quantifier.regexp
#                                ^^^ string.regexp.triple.vcl punctuation.definition.string.end.vcl
  set req.url = regsub(req.url, "\?.*$", "");
#               ^^^^^^ support.function.builtin.vcl
#                     ^ punctuation.section.parens.begin.vcl
#                      ^^^^^^^ variable.other.vcl
#                               ^ string.regexp.quoted.vcl punctuation.definition.string.begin.vcl
#                                ^^ string.regexp.quoted.vcl constant.character.escape.regexp
#                                  ^ constant.character.wildcard.regexp
#                                   ^ keyword.operator.quantifier.regexp - constant.character.wildcard.regexp
#                                        ^^ string.quoted.double.vcl - string.regexp.quoted.vcl
#                                          ^ punctuation.section.parens.end.vcl
  set req.http.X = regsuball(regsub(req.http.Cookie, "a,b", "c,d"), "(^|; )_ga=[^;]*", "\1");
#                  ^^^^^^^^^ support.function.builtin.vcl
#                            ^^^^^^ support.function.builtin.vcl
#                                                    ^^^^^ string.regexp.quoted.vcl
#                                                           ^^^^^ string.quoted.double.vcl - string.regexp.quoted.vcl
#                                                                   ^^^^^^^^^^^^^^^^^ string.regexp.quoted.vcl
#                                                                              ^^^^ constant.other.character-class.set.regexp
#                                                                                      ^^^^ string.quoted.double.vcl - string.regexp.quoted.vcl
  set req.url = regsub(
    std.tolower(req.url),
#   ^^^ entity.name.namespace.vcl
#                       ^ punctuation.separator.comma.vcl
    "^/+",
#   ^^^^^ string.regexp.quoted.vcl
    "/");
#   ^^^ string.quoted.double.vcl - string.regexp.quoted.vcl
  # vcl-lint-disable-next-line symbol-unknown
# ^ comment.line.number-sign.vcl punctuation.definition.comment.vcl
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.vcl keyword.other.directive.suppression.vcl
#                              ^^^^^^^^^^^^^^ comment.line.number-sign.vcl
  // a C++ style comment with "quotes"
# ^^ comment.line.double-slash.vcl punctuation.definition.comment.vcl
#                              ^^^^^^^^ comment.line.double-slash.vcl - string.quoted.double.vcl
  /* a block comment
# ^^ comment.block.vcl punctuation.definition.comment.begin.vcl
     over two lines with set req.url = "x"; */ set req.http.D = "1";
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.block.vcl - keyword.other.set.vcl
#                                           ^^ comment.block.vcl punctuation.definition.comment.end.vcl
#                                              ^^^ keyword.other.set.vcl - comment.block.vcl
  set req.http.E = "unterminated
#                   ^^^^^^^^^^^^ string.quoted.double.vcl
  set req.http.F = "1";
# ^^^^^^^^^^^^^^^ - string.quoted.double.vcl
}
