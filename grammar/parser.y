/* parser.y: the grammar of the incent language; its actions only build tree
 * nodes, one call each.  Every check of LANGUAGE.md lives in compiler/. */
%require "3.8"
%define api.pure full
%define api.prefix {incent_yy}
%define api.location.type {src_loc}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {yyscan_t scanner}
%parse-param {parse_ctx *ctx}

%code requires {
#include "compiler/ast.h"
#include "grammar/parse.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif
}

%code provides {
int incent_yylex(INCENT_YYSTYPE *lval, src_loc *lloc, yyscan_t scanner);
void incent_yyerror(src_loc *lloc, yyscan_t scanner, parse_ctx *ctx, const char *msg);
}

%code {
#include "config.h"
#include "compiler/diag.h"
#include "compiler/i18n.h"
#include "runtime/base/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the parser's stack grows through incent's own allocator too */
#define YYMALLOC rt_malloc
#define YYFREE free

#define LEAF(kind, tok, loc) ast_leaf((kind), (tok)->s, (tok)->slen, &(loc))
}

%union {
  struct ast *node;
  int num;
}

%destructor { ast_free($$); } <node>

%token <node> IDENT _("a name")
%token <node> CURRENCY _("a currency code")
%token <node> NUMBER _("a number")
%token <node> STRING _("a string")
%token <node> DATE _("a date")
%token <node> TIMESTAMP _("a time")
%token AFTER "'after'" AND "'and'" AT "'at'" AVAILABLE "'available'" AWARD "'award'"
%token AWARDS "'awards'" BALANCE "'balance'" BOOL "'bool'"
%token BUDGET "'budget'" BY "'by'" CAP "'cap'" CATEGORY "'category'"
%token CURRENCY_KW "'currency'" DATE_KW "'date'" DAY "'day'" DAYS "'days'" DECIMAL "'decimal'"
%token DEDUCT "'deduct'" DURING "'during'" EARNS "'earns'" END "'end'" EVENT "'event'"
%token EXPECT "'expect'" EXPIRE "'expire'" EXPIRED "'expired'"
%token FALSE "'false'" FIRST "'first'" FLAT "'flat'" FLOOR "'floor'" FROM "'from'"
%token IN "'in'" INT "'int'" LANGUAGES "'languages'" LIMIT "'limit'" MAX "'max'"
%token MESSAGE "'message'" MIN "'min'" MONEY "'money'" MONTH "'month'" MONTHS "'months'"
%token MULTIPLIER "'multiplier'" NEVER "'never'" NOT "'not'" NOTE "'note'" NOTIFY "'notify'"
%token OF "'of'" ON "'on'" ONE "'one'" OR "'or'" PARTNER "'partner'" PENDING "'pending'"
%token PER "'per'" PLURAL "'plural'" POINT "'point'" POINTS "'points'" PROGRAM "'program'"
%token QUARTER "'quarter'" REJECTED "'rejected'" REVERSE "'reverse'" ROUNDING "'rounding'"
%token RULE "'rule'" RUNS "'runs'" SUBJECT "'subject'" TEST "'test'" TEXT "'text'" TIER "'tier'"
%token NOT_IN "'not in'"
%token TIERS "'tiers'" TIMES "'times'" TIMEZONE "'timezone'" TO "'to'" TRUE "'true'"
%token WEEK "'week'" WHEN "'when'" YEAR "'year'" YEARS "'years'"
%token NE "'!='" LE "'<='" GE "'>='"

%type <node> decls decl program_decl program_items program_item word word_list
%type <node> partner_decl event_decl fields field field_name keyword_name type bound tiers_decl tier_items tier_item
%type <node> enum_values enum_value opt_title rule_decl rule_items rule_item rules group_decl opt_to opt_by
%type <node> pending_item expire_item opt_end opt_notify figure opt_at
%type <node> message_decl message_items message_item test_decl test_items test_item
%type <node> placeholder attrs opt_attrs attr attr_name value time expr primary exprs date ident
%type <num> period expire_unit account

/* A `notify` right after an `expire` item belongs to the expiry. */
%precedence EXPIRY_ENDS
%precedence NOTIFY
%left OR
%left AND
%precedence NOT
%nonassoc '=' NE '<' LE '>' GE IN NOT_IN
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%start file

%%

file: decls { ctx->root = $1; }
;

decls: %empty { $$ = ast_list(NULL, &@$); }
| decls decl { $$ = ast_append($1, $2); }
| decls error { $$ = $1; }
;

decl: program_decl | partner_decl | event_decl | tiers_decl | rule_decl | group_decl
| message_decl | test_decl
;

ident: IDENT { $$ = $1; }
;

/* Enumeration values may be written in capitals, like currency codes. */
word: IDENT { $$ = $1; }
| CURRENCY { $$ = $1; }
;

word_list: word { $$ = ast_list($1, &@$); }
| word_list ',' word { $$ = ast_append($1, $3); }
;

date: DATE { $$ = $1; }
;

points_kw: POINT | POINTS
;

/* `limit 1 time` as `limit 2 times`: 'time' is not a keyword (events have a time) */
times_kw: TIMES
| IDENT {
    if (strcmp($1->s, "time") != 0)
      diag_at(ctx->diag, &@1, D_SYNTAX, _("unexpected '%s'; expected 'times' (or 'time')"), $1->s);
    ast_free($1);
  }
;

opt_comma: %empty | ','
;

/* ---- program ---- */

program_decl: PROGRAM ident STRING '{' program_items '}'
  { $$ = ast_node(AST_PROGRAM, 0, $2, $3, $5, NULL, &@$); }
| PROGRAM ident STRING '{' program_items error '}'
  { $$ = ast_node(AST_PROGRAM, 0, $2, $3, $5, NULL, &@$); }
;

program_items: %empty { $$ = ast_list(NULL, &@$); }
| program_items program_item { $$ = ast_append($1, $2); }
;

program_item: CURRENCY_KW CURRENCY { $$ = ast_node(AST_P_CURRENCY, 0, $2, NULL, NULL, NULL, &@$); }
| CURRENCY_KW IDENT { $$ = ast_node(AST_P_CURRENCY, 0, $2, NULL, NULL, NULL, &@$); }
| TIMEZONE STRING { $$ = ast_node(AST_P_TIMEZONE, 0, $2, NULL, NULL, NULL, &@$); }
| RUNS date TO date { $$ = ast_node(AST_P_RUNS, 0, $2, $4, NULL, NULL, &@$); }
| BUDGET NUMBER points_kw { $$ = ast_node(AST_P_BUDGET, 0, $2, NULL, NULL, NULL, &@$); }
| LANGUAGES word_list { $$ = ast_node(AST_P_LANGUAGES, 0, $2, NULL, NULL, NULL, &@$); }
| ROUNDING ident { $$ = ast_node(AST_P_ROUNDING, 0, $2, NULL, NULL, NULL, &@$); }
| pending_item { $$ = $1; }
| expire_item { $$ = $1; }
;

/* The points account's lots: program items that a rule may override. */
pending_item: PENDING NUMBER days_kw { $$ = ast_node(AST_PENDING, 0, $2, NULL, NULL, NULL, &@$); }
;

days_kw: DAY | DAYS
;

expire_item: EXPIRE AFTER NUMBER expire_unit opt_end opt_notify
  { $$ = ast_node(AST_EXPIRE, $4, $3, $5, $6, NULL, &@$); }
| EXPIRE NEVER { $$ = ast_node(AST_EXPIRE, EXP_NEVER, NULL, NULL, NULL, NULL, &@$); }
;

expire_unit: DAY { $$ = EXP_DAYS; }
| DAYS { $$ = EXP_DAYS; }
| MONTH { $$ = EXP_MONTHS; }
| MONTHS { $$ = EXP_MONTHS; }
| YEAR { $$ = EXP_YEARS; }
| YEARS { $$ = EXP_YEARS; }
;

opt_end: %empty { $$ = NULL; }
| AT END OF period { $$ = ast_node(AST_EXPIRE_END, $4, NULL, NULL, NULL, NULL, &@$); }
;

opt_notify: %empty %prec EXPIRY_ENDS { $$ = NULL; }
| NOTIFY ident { $$ = $2; }
;

/* ---- partner and event declarations ---- */

partner_decl: PARTNER '{' fields '}' { $$ = ast_node(AST_PARTNER_DECL, 0, $3, NULL, NULL, NULL, &@$); }
| PARTNER '{' fields error '}' { $$ = ast_node(AST_PARTNER_DECL, 0, $3, NULL, NULL, NULL, &@$); }
;

event_decl: EVENT ident '{' fields '}' { $$ = ast_node(AST_EVENT_DECL, 0, $2, $4, NULL, NULL, &@$); }
| EVENT ident '{' fields error '}' { $$ = ast_node(AST_EVENT_DECL, 0, $2, $4, NULL, NULL, &@$); }
;

fields: %empty { $$ = ast_list(NULL, &@$); }
| fields field opt_comma { $$ = ast_append($1, $2); }
;

field: field_name type { $$ = ast_node(AST_FIELD, 0, $1, $2, NULL, NULL, &@$); }
| field_name type FROM bound TO bound { $$ = ast_node(AST_FIELD, 0, $1, $2, $4, $6, &@$); }
;

/* a field's range: `amount money from 0 USD to 250_000 USD`, `units int from 1 to 1_000` */
bound: figure { $$ = $1; }
| NUMBER CURRENCY { $$ = ast_node(AST_MONEY, 0, $1, $2, NULL, NULL, &@$); }
| '-' NUMBER CURRENCY { $$ = ast_unop(OPR_NEG, ast_node(AST_MONEY, 0, $2, $3, NULL, NULL, &@$), &@$); }
;

/* Built-in names that are keywords, so that the checks can say they are reserved. */
field_name: ident { $$ = $1; }
| keyword_name { $$ = $1; }
| TIER { $$ = ast_leaf(AST_IDENT, "tier", 4, &@1); }
| PARTNER { $$ = ast_leaf(AST_IDENT, "partner", 7, &@1); }
;

/* Words of the language a designer may also give a field or an attribute,
 * where they cannot be confused: in a declaration, a condition or a test. */
keyword_name: DATE_KW { $$ = ast_leaf(AST_IDENT, "date", 4, &@1); }
| YEAR { $$ = ast_leaf(AST_IDENT, "year", 4, &@1); }
| TEXT { $$ = ast_leaf(AST_IDENT, "text", 4, &@1); }
| NOTE { $$ = ast_leaf(AST_IDENT, "note", 4, &@1); }
| SUBJECT { $$ = ast_leaf(AST_IDENT, "subject", 7, &@1); }
;

type: TEXT { $$ = ast_node(AST_TYPE, TY_TEXT, NULL, NULL, NULL, NULL, &@$); }
| INT { $$ = ast_node(AST_TYPE, TY_INT, NULL, NULL, NULL, NULL, &@$); }
| DECIMAL { $$ = ast_node(AST_TYPE, TY_DECIMAL, NULL, NULL, NULL, NULL, &@$); }
| MONEY { $$ = ast_node(AST_TYPE, TY_MONEY, NULL, NULL, NULL, NULL, &@$); }
| BOOL { $$ = ast_node(AST_TYPE, TY_BOOL, NULL, NULL, NULL, NULL, &@$); }
| DATE_KW { $$ = ast_node(AST_TYPE, TY_DATE, NULL, NULL, NULL, NULL, &@$); }
| PARTNER { $$ = ast_node(AST_TYPE, TY_PARTNER, NULL, NULL, NULL, NULL, &@$); }
| EVENT ident { $$ = ast_node(AST_TYPE, TY_EVENT, $2, NULL, NULL, NULL, &@$); }
| ONE OF '(' enum_values ')' { $$ = ast_node(AST_TYPE, TY_ENUM, $4, NULL, NULL, NULL, &@$); }
;

/* A value may be followed by its display title: `one of (linkedin "LinkedIn", xing)`. */
enum_values: enum_value { $$ = ast_list($1, &@$); }
| enum_values ',' enum_value { $$ = ast_append($1, $3); }
;

enum_value: word { $$ = ast_node(AST_ENUM_VALUE, 0, $1, NULL, NULL, NULL, &@$); }
| word STRING { $$ = ast_node(AST_ENUM_VALUE, 0, $1, $2, NULL, NULL, &@$); }
;

/* ---- tiers ---- */

tiers_decl: TIERS BY POINTS PER period '{' tier_items '}'
  { $$ = ast_node(AST_TIERS, $5, $7, NULL, NULL, NULL, &@$); }
| TIERS BY POINTS PER period '{' tier_items error '}'
  { $$ = ast_node(AST_TIERS, $5, $7, NULL, NULL, NULL, &@$); }
;

period: DAY { $$ = PER_DAY; }
| WEEK { $$ = PER_WEEK; }
| MONTH { $$ = PER_MONTH; }
| QUARTER { $$ = PER_QUARTER; }
| YEAR { $$ = PER_YEAR; }
| PROGRAM { $$ = PER_PROGRAM; }
;

tier_items: %empty { $$ = ast_list(NULL, &@$); }
| tier_items tier_item { $$ = ast_append($1, $2); }
;

tier_item: ident STRING FROM NUMBER
  { $$ = ast_node(AST_TIER, 0, $1, $2, $4, NULL, &@$); }
| ident STRING FROM NUMBER MULTIPLIER NUMBER
  { $$ = ast_node(AST_TIER, 0, $1, $2, $4, $6, &@$); }
| NOTIFY ident { $$ = ast_node(AST_NOTIFY, 0, $2, NULL, NULL, NULL, &@$); }
;

/* ---- rules ---- */

/* The title is optional: `rule r { on sale award 5 points flat }` is a rule. */
rule_decl: RULE ident opt_title '{' rule_items '}'
  { $$ = ast_node(AST_RULE, 0, $2, $3, $5, NULL, &@$); }
| RULE ident opt_title '{' rule_items error '}'
  { $$ = ast_node(AST_RULE, 0, $2, $3, $5, NULL, &@$); }
;

opt_title: %empty { $$ = NULL; }
| STRING { $$ = $1; }
;

rule_items: %empty { $$ = ast_list(NULL, &@$); }
| rule_items rule_item { $$ = ast_append($1, $2); }
;

rule_item: CATEGORY ident { $$ = ast_node(AST_R_CATEGORY, 0, $2, NULL, NULL, NULL, &@$); }
| ON ident { $$ = ast_node(AST_R_ON, 0, $2, NULL, NULL, NULL, &@$); }
| WHEN expr { $$ = ast_node(AST_R_WHEN, 0, $2, NULL, NULL, NULL, &@$); }
| AWARD expr points_kw opt_to
  { $$ = ast_node(AST_R_AWARD, 0, $2, NULL, NULL, $4, &@$); }
| AWARD expr points_kw PER expr OF expr opt_to
  { $$ = ast_node(AST_R_AWARD, 0, $2, $5, $7, $8, &@$); }
| AWARD expr OF expr opt_to
  { /* `award 5% of amount`: a share of an amount is N points per M of it */
    diag_at(ctx->diag, &@3, D_SYNTAX, _("an award of a share is written 'award 5 points per 100 USD of amount'"));
    ast_free($4);
    $$ = ast_node(AST_R_AWARD, 0, $2, NULL, NULL, $5, &@$);
  }
| DEDUCT expr points_kw opt_to
  { $$ = ast_node(AST_R_DEDUCT, 0, $2, NULL, NULL, $4, &@$); }
| REVERSE ident opt_by opt_to
  { $$ = ast_node(AST_R_REVERSE, 0, $2, $3, NULL, $4, &@$); }
| pending_item { $$ = $1; }
| expire_item { $$ = $1; }
| FLAT { $$ = ast_node(AST_R_FLAT, 0, NULL, NULL, NULL, NULL, &@$); }
| CAP NUMBER points_kw PER PARTNER PER period
  { $$ = ast_node(AST_R_CAP, $7, $2, NULL, NULL, NULL, &@$); }
| LIMIT NUMBER times_kw PER PARTNER PER period
  { $$ = ast_node(AST_R_LIMIT, $7, $2, NULL, NULL, NULL, &@$); }
| BUDGET NUMBER points_kw { $$ = ast_node(AST_R_BUDGET, 0, $2, NULL, NULL, NULL, &@$); }
| DURING date TO date { $$ = ast_node(AST_R_DURING, 0, $2, $4, NULL, NULL, &@$); }
| NOTIFY ident { $$ = ast_node(AST_NOTIFY, 0, $2, NULL, NULL, NULL, &@$); }
;

opt_to: %empty { $$ = NULL; }
| TO ident { $$ = $2; }
| TO EVENT '.' ident { $$ = $4; }
| TO PARTNER '.' IDENT { $$ = ast_node(AST_MEMBER, OPR_PARTNER, $4, NULL, NULL, NULL, &@$); }
;

opt_by: %empty { $$ = NULL; }
| BY expr { $$ = $2; }
;

group_decl: FIRST OF ident '{' rules '}'
  { $$ = ast_node(AST_GROUP, 0, $3, $5, NULL, NULL, &@$); }
| FIRST OF ident '{' rules error '}'
  { $$ = ast_node(AST_GROUP, 0, $3, $5, NULL, NULL, &@$); }
;

rules: %empty { $$ = ast_list(NULL, &@$); }
| rules rule_decl { $$ = ast_append($1, $2); }
;

/* ---- messages ---- */

message_decl: MESSAGE ident '{' message_items '}'
  { $$ = ast_node(AST_MESSAGE, 0, $2, $4, NULL, NULL, &@$); }
| MESSAGE ident '{' message_items error '}'
  { $$ = ast_node(AST_MESSAGE, 0, $2, $4, NULL, NULL, &@$); }
;

message_items: %empty { $$ = ast_list(NULL, &@$); }
| message_items message_item { $$ = ast_append($1, $2); }
;

message_item: SUBJECT STRING { $$ = ast_node(AST_M_SUBJECT, 0, $2, NULL, NULL, NULL, &@$); }
| TEXT STRING { $$ = ast_node(AST_M_TEXT, 0, $2, NULL, NULL, NULL, &@$); }
| TEXT STRING STRING { $$ = ast_node(AST_M_TEXT, 0, $2, $3, NULL, NULL, &@$); }
| PLURAL placeholder { $$ = ast_node(AST_M_PLURAL, 0, $2, NULL, NULL, NULL, &@$); }
| NOTE STRING { $$ = ast_node(AST_M_NOTE, 0, $2, NULL, NULL, NULL, &@$); }
;

/* Placeholder names that are also keywords. */
placeholder: ident { $$ = $1; }
| POINTS { $$ = ast_leaf(AST_IDENT, "points", 6, &@1); }
| POINT { $$ = ast_leaf(AST_IDENT, "point", 5, &@1); }
| TIER { $$ = ast_leaf(AST_IDENT, "tier", 4, &@1); }
| RULE { $$ = ast_leaf(AST_IDENT, "rule", 4, &@1); }
| PARTNER { $$ = ast_leaf(AST_IDENT, "partner", 7, &@1); }
| BALANCE { $$ = ast_leaf(AST_IDENT, "balance", 7, &@1); }
;

/* ---- tests ---- */

test_decl: TEST STRING '{' test_items '}'
  { $$ = ast_node(AST_TEST, 0, $2, $4, NULL, NULL, &@$); }
| TEST STRING '{' test_items error '}'
  { $$ = ast_node(AST_TEST, 0, $2, $4, NULL, NULL, &@$); }
;

test_items: %empty { $$ = ast_list(NULL, &@$); }
| test_items test_item { $$ = ast_append($1, $2); }
;

test_item: PARTNER ident opt_attrs
  { $$ = ast_node(AST_T_PARTNER, 0, $2, $3, NULL, NULL, &@$); }
| EVENT ident BY ident AT time '{' attrs '}'
  { $$ = ast_node(AST_T_EVENT, 0, $2, NULL, ast_node(AST_ATTR, 0, $4, $6, NULL, NULL, &@4), $8, &@$); }
| EVENT ident ident BY ident AT time '{' attrs '}'
  { $$ = ast_node(AST_T_EVENT, 0, $2, $3, ast_node(AST_ATTR, 0, $5, $7, NULL, NULL, &@5), $9, &@$); }
| EXPECT ident EARNS figure points_kw opt_at
  { $$ = ast_node(AST_T_EARNS, 0, $2, $4, NULL, $6, &@$); }
| EXPECT RULE ident AWARDS ident figure points_kw opt_at
  { $$ = ast_node(AST_T_AWARDS, 0, $3, $5, $6, $8, &@$); }
| EXPECT ident TIER ident opt_at
  { $$ = ast_node(AST_T_TIER, 0, $2, $4, NULL, $5, &@$); }
| EXPECT ident account figure points_kw opt_at
  { $$ = ast_node(AST_T_ACCOUNT, $3, $2, $4, NULL, $6, &@$); }
| EXPECT EVENT ident REJECTED
  { $$ = ast_node(AST_T_REJECTED, 0, $3, NULL, NULL, NULL, &@$); }
;

account: BALANCE { $$ = ACC_BALANCE; }
| AVAILABLE { $$ = ACC_AVAILABLE; }
| PENDING { $$ = ACC_PENDING; }
| EXPIRED { $$ = ACC_EXPIRED; }
;

figure: NUMBER { $$ = $1; }
| '-' NUMBER { $$ = ast_unop(OPR_NEG, $2, &@$); }
;

opt_at: %empty { $$ = NULL; }
| AT time { $$ = $2; }
;

time: DATE { $$ = $1; }
| TIMESTAMP { $$ = $1; }
;

opt_attrs: %empty { $$ = NULL; }
| '{' attrs '}' { $$ = $2; }
;

attrs: %empty { $$ = ast_list(NULL, &@$); }
| attrs attr opt_comma { $$ = ast_append($1, $2); }
;

attr: attr_name value { $$ = ast_node(AST_ATTR, 0, $1, $2, NULL, NULL, &@$); }
;

attr_name: ident { $$ = $1; }
| keyword_name { $$ = $1; }
| TIER { $$ = ast_leaf(AST_IDENT, "tier", 4, &@1); }
;

value: NUMBER { $$ = $1; }
| '-' NUMBER { $$ = ast_unop(OPR_NEG, $2, &@$); }
| NUMBER CURRENCY { $$ = ast_node(AST_MONEY, 0, $1, $2, NULL, NULL, &@$); }
| '-' NUMBER CURRENCY { $$ = ast_unop(OPR_NEG, ast_node(AST_MONEY, 0, $2, $3, NULL, NULL, &@$), &@$); }
| STRING { $$ = $1; }
| DATE { $$ = $1; }
| TIMESTAMP { $$ = $1; }
| TRUE { $$ = ast_node(AST_BOOL, 1, NULL, NULL, NULL, NULL, &@$); }
| FALSE { $$ = ast_node(AST_BOOL, 0, NULL, NULL, NULL, NULL, &@$); }
| word { $$ = $1; $$->kind = AST_NAME; }
;

/* ---- expressions ---- */

expr: primary { $$ = $1; }
| expr OR expr { $$ = ast_binop(OPR_OR, $1, $3, &@$); }
| expr AND expr { $$ = ast_binop(OPR_AND, $1, $3, &@$); }
| NOT expr { $$ = ast_unop(OPR_NOT, $2, &@$); }
| expr '=' expr { $$ = ast_binop(OPR_EQ, $1, $3, &@$); }
| expr NE expr { $$ = ast_binop(OPR_NE, $1, $3, &@$); }
| expr '<' expr { $$ = ast_binop(OPR_LT, $1, $3, &@$); }
| expr LE expr { $$ = ast_binop(OPR_LE, $1, $3, &@$); }
| expr '>' expr { $$ = ast_binop(OPR_GT, $1, $3, &@$); }
| expr GE expr { $$ = ast_binop(OPR_GE, $1, $3, &@$); }
| expr IN '(' exprs ')' { $$ = ast_node(AST_IN, 0, $1, $4, NULL, NULL, &@$); }
| expr NOT_IN '(' exprs ')'
  { $$ = ast_unop(OPR_NOT, ast_node(AST_IN, 0, $1, $4, NULL, NULL, &@$), &@$); }
| expr '+' expr { $$ = ast_binop(OPR_ADD, $1, $3, &@$); }
| expr '-' expr { $$ = ast_binop(OPR_SUB, $1, $3, &@$); }
| expr '*' expr { $$ = ast_binop(OPR_MUL, $1, $3, &@$); }
| expr '/' expr { $$ = ast_binop(OPR_DIV, $1, $3, &@$); }
| '-' expr %prec UMINUS { $$ = ast_unop(OPR_NEG, $2, &@$); }
;

primary: NUMBER { $$ = $1; }
| NUMBER CURRENCY { $$ = ast_node(AST_MONEY, 0, $1, $2, NULL, NULL, &@$); }
| STRING { $$ = $1; }
| DATE { $$ = $1; }
| TIMESTAMP { $$ = $1; }
| TRUE { $$ = ast_node(AST_BOOL, 1, NULL, NULL, NULL, NULL, &@$); }
| FALSE { $$ = ast_node(AST_BOOL, 0, NULL, NULL, NULL, NULL, &@$); }
| word { $$ = $1; $$->kind = AST_NAME; }
| keyword_name { $$ = $1; $$->kind = AST_NAME; }
| PARTNER { $$ = ast_node(AST_MEMBER, OPR_PARTNER, ast_leaf(AST_IDENT, "id", 2, &@1), NULL, NULL, NULL, &@$); }
| EVENT '.' IDENT { $$ = ast_node(AST_MEMBER, OPR_EVENT, $3, NULL, NULL, NULL, &@$); }
| IDENT '.' IDENT { $$ = ast_node(AST_REF, 0, $1, $3, NULL, NULL, &@$); }
| EVENT '.' IDENT '.' IDENT { $$ = ast_node(AST_REF, 0, $3, $5, NULL, NULL, &@$); }
| PARTNER '.' IDENT { $$ = ast_node(AST_MEMBER, OPR_PARTNER, $3, NULL, NULL, NULL, &@$); }
| '(' expr ')' { $$ = $2; }
| MIN '(' expr ',' expr ')' { $$ = ast_node(AST_CALL, OPR_MIN, $3, $5, NULL, NULL, &@$); }
| MAX '(' expr ',' expr ')' { $$ = ast_node(AST_CALL, OPR_MAX, $3, $5, NULL, NULL, &@$); }
| FLOOR '(' expr ')' { $$ = ast_node(AST_CALL, OPR_FLOOR, $3, NULL, NULL, NULL, &@$); }
;

exprs: expr { $$ = ast_list($1, &@$); }
| exprs ',' expr { $$ = ast_append($1, $3); }
;

%%

/* The tokens that can start an expression: when nearly all of them are
 * expected, the message says "an expression" instead of listing them. */
static bool starts_expression(yysymbol_kind_t k) {
  switch (k) {
  case YYSYMBOL_NUMBER: case YYSYMBOL_STRING: case YYSYMBOL_DATE: case YYSYMBOL_TIMESTAMP:
  case YYSYMBOL_IDENT: case YYSYMBOL_CURRENCY: case YYSYMBOL_TRUE: case YYSYMBOL_FALSE:
  case YYSYMBOL_NOT: case YYSYMBOL_MIN: case YYSYMBOL_MAX: case YYSYMBOL_FLOOR:
  case YYSYMBOL_EVENT: case YYSYMBOL_PARTNER:
  case YYSYMBOL_DATE_KW: case YYSYMBOL_YEAR: case YYSYMBOL_TEXT: case YYSYMBOL_NOTE: case YYSYMBOL_SUBJECT:
    return true;
  default:
    return strcmp(yysymbol_name(k), "'-'") == 0 || strcmp(yysymbol_name(k), "'('") == 0;
  }
}

/* The text of the offending token, from the source, when it is short. */
static void token_text(const parse_ctx *ctx, const src_loc *loc, char *out, size_t size) {
  const char *line;
  size_t len;
  out[0] = '\0';
  if (loc->first_line != loc->last_line || !diag_line(ctx->diag, loc->first_line, &line, &len)) return;
  size_t from = 0, to, col = 1;
  while (from < len && col < (size_t)loc->first_column) {
    from++;
    if (from < len && ((unsigned char)line[from] & 0xC0) != 0x80) col++;
  }
  to = from;
  while (to < len && col < (size_t)loc->last_column) {
    to++;
    if (to >= len || ((unsigned char)line[to] & 0xC0) != 0x80) col++;
  }
  size_t n = to - from < size ? to - from : 0; /* too long to quote: say nothing */
  memcpy(out, line + from, n);
  out[n] = '\0';
}

/* Syntax errors are whole sentences: what was found (with its text for names
 * and numbers), and what would have been accepted there. */
static int yyreport_syntax_error(const yypcontext_t *pctx, yyscan_t scanner, parse_ctx *ctx) {
  (void)scanner;
  enum { MAX_EXPECTED = 16 };
  yysymbol_kind_t expected[YYNTOKENS];
  int n = yypcontext_expected_tokens(pctx, expected, YYNTOKENS);
  if (n < 0) n = 0;
  int exprs = 0;
  for (int i = 0; i < n; i++) exprs += starts_expression(expected[i]);
  bool expression = exprs >= 10;
  int total = expression ? 1 : 0;
  for (int i = 0; i < n; i++)
    if (!(expression && starts_expression(expected[i]))) total++;
  if (total > MAX_EXPECTED) total = 0;
  char list[1024] = "";
  int shown = 0;
  for (int i = 0; i <= n && total; i++) {
    const char *name;
    if (i == n) {
      if (!expression) break;
      name = _("an expression");
    } else {
      if (expression && starts_expression(expected[i])) continue;
      name = yysymbol_name(expected[i]);
    }
    const char *sep = shown == 0 ? "" : shown == total - 1 ? _(" or ") : ", ";
    strncat(list, sep, sizeof list - strlen(list) - 1);
    strncat(list, name, sizeof list - strlen(list) - 1);
    shown++;
  }
  const src_loc *loc = yypcontext_location(pctx);
  yysymbol_kind_t found = yypcontext_token(pctx);
  char what[160], text[64];
  token_text(ctx, loc, text, sizeof text);
  if (found == YYSYMBOL_YYEOF)
    snprintf(what, sizeof what, "%s", _("end of file"));
  else if ((found == YYSYMBOL_IDENT || found == YYSYMBOL_CURRENCY) && text[0])
    snprintf(what, sizeof what, _("name '%s'"), text);
  else if (found == YYSYMBOL_NUMBER && text[0])
    snprintf(what, sizeof what, _("number %s"), text);
  else if (found == YYSYMBOL_STRING && text[0]) /* "unexpected a string" read badly: the string itself */
    snprintf(what, sizeof what, _("string %s"), text);
  else if ((found == YYSYMBOL_DATE || found == YYSYMBOL_TIMESTAMP) && text[0])
    snprintf(what, sizeof what, _("date %s"), text);
  else
    snprintf(what, sizeof what, "%s", yysymbol_name(found));
  const char *fname = yysymbol_name(found);
  bool keyword = fname[0] == '\'' && fname[1] >= 'a' && fname[1] <= 'z';
  bool wants_name = false;
  for (int i = 0; i < n; i++) wants_name |= expected[i] == YYSYMBOL_IDENT;
  bool closes = false;
  for (int i = 0; i < n; i++) closes |= strcmp(yysymbol_name(expected[i]), "'}'") == 0;
  /* a declaration's keyword where the block before it could still close: that block was left open */
  bool declaration = found == YYSYMBOL_RULE || found == YYSYMBOL_EVENT || found == YYSYMBOL_MESSAGE ||
                     found == YYSYMBOL_TEST || found == YYSYMBOL_TIERS || found == YYSYMBOL_FIRST ||
                     found == YYSYMBOL_PROGRAM;
  if (declaration && closes && ctx->nopen > 0 && ctx->nopen <= GRAMMAR_MAX_OPEN &&
      ctx->open[ctx->nopen - 1].first_line < loc->first_line) {
    diag_at(ctx->diag, &ctx->open[ctx->nopen - 1], D_SYNTAX, _("this block is not closed; add '}' before line %d"),
            loc->first_line);
    return 0;
  }
  if (keyword && wants_name && !expression)
    diag_at(ctx->diag, loc, D_SYNTAX, _("%s is a reserved word and cannot be used as a name here"), fname);
  else if (found == YYSYMBOL_YYEOF && closes && shown == 0)
    diag_at(ctx->diag, loc, D_SYNTAX, _("the file ends inside a block; close it with '}'"));
  else if (shown > 0)
    diag_at(ctx->diag, loc, D_SYNTAX, _("unexpected %s; expected %s"), what, list);
  else
    diag_at(ctx->diag, loc, D_SYNTAX, _("unexpected %s here"), what);
  return 0;
}

void incent_yyerror(src_loc *lloc, yyscan_t scanner, parse_ctx *ctx, const char *msg) {
  (void)scanner;
  if (strcmp(msg, "memory exhausted") == 0)
    diag_at(ctx->diag, lloc, D_TOO_DEEP,
            _("nesting is too deep for the parser; split the expression or declaration"));
  else
    diag_at(ctx->diag, lloc, D_SYNTAX, "%s", msg);
}
