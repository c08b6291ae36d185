/* minify.c - the banner's CSS and JavaScript without comments and needless white space, as the
 * module serves them (the build embeds the output: scripts/embed-assets.sh). Written for this
 * project's own assets, not as a general minifier: names are never shortened, strings, template
 * literals and regular expressions are copied as they are, and a line break is kept wherever
 * dropping it could change what a statement means (automatic semicolon insertion).
 *
 *   build/minify css|js < IN > OUT
 *
 * JavaScript: a '/' starts a regular expression after an operator, an opening bracket, a comma,
 * a semicolon, '{', or the keywords below; after anything else (a name, a number, ')', ']', '}')
 * it divides. The assets keep to that (assets/cookieconsent.js says so in its header). Then the
 * names the file declares itself (function, var, parameters, catch) are shortened, each to a name
 * that no identifier of the file uses, consistently everywhere it stands for a variable: never
 * after '.', never as an object literal's key ('{' or ',' before, ':' after). So the file must not
 * declare a name it also uses as a global, nor use shorthand properties or eval. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *in;
static size_t len, pos;
static char *out;
static size_t olen, ocap;

static void put(char c)
{
    if (olen == ocap) {
        ocap = ocap ? 2 * ocap : 65536;
        if (!(out = realloc(out, ocap))) {
            perror("minify");
            exit(1);
        }
    }
    out[olen++] = c;
}

static char last(void)
{
    return olen ? out[olen - 1] : '\0';
}

static int word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
        || c == '$' || (unsigned char)c >= 0x80 || c == '\\';
}

static void fail(const char *what)
{
    fprintf(stderr, "minify: %s at byte %zu\n", what, pos);
    exit(1);
}

/* Copies a string or template literal opened by in[pos]. */
static void copy_quoted(void)
{
    char q = in[pos];

    put(in[pos++]);
    while (pos < len && in[pos] != q) {
        if (in[pos] == '\\' && pos + 1 < len) {
            put(in[pos++]);
        }
        else if (in[pos] == '\n' && q != '`') {
            fail("line break in a string");
        }
        put(in[pos++]);
    }
    if (pos >= len) {
        fail("unterminated string");
    }
    put(in[pos++]);
}

/* Skips white space and comments; returns 1 if any was skipped, 2 if it held a line break. */
static int skip_space(int css)
{
    int seen = 0;

    while (pos < len) {
        if (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\r' || in[pos] == '\n') {
            seen = in[pos] == '\n' ? 2 : seen ? seen : 1;
            pos++;
        }
        else if (in[pos] == '/' && pos + 1 < len && in[pos + 1] == '*') {
            const char *end = strstr(in + pos + 2, "*/");
            if (!end) {
                fail("unterminated comment");
            }
            if (memchr(in + pos, '\n', end - (in + pos))) {
                seen = 2;
            }
            seen = seen ? seen : 1;
            pos = end - in + 2;
        }
        else if (!css && in[pos] == '/' && pos + 1 < len && in[pos + 1] == '/') {
            while (pos < len && in[pos] != '\n') {
                pos++;
            }
        }
        else {
            break;
        }
    }
    return seen;
}

/* 1 when the last name written is one of the keywords after which '/' starts a regex. */
static int after_keyword(void)
{
    static const char *const kw[] = {"return", "typeof", "case", "do", "else", "in", "of", "new",
                                     "delete", "void", "throw", "instanceof", NULL};
    size_t n = 0;
    int i;

    while (n < olen && word(out[olen - 1 - n])) {
        n++;
    }
    for (i = 0; kw[i]; i++) {
        if (strlen(kw[i]) == n && !memcmp(out + olen - n, kw[i], n)
            && (olen == n || !word(out[olen - n - 1]))) {
            return 1;
        }
    }
    return 0;
}

/* after_keyword() for the name in buf[from, to). */
static int after_keyword_in(const char *buf, size_t from, size_t to)
{
    static const char *const kw[] = {"return", "typeof", "case", "do", "else", "in", "of", "new",
                                     "delete", "void", "throw", "instanceof", NULL};
    int i;

    for (i = 0; kw[i]; i++) {
        if (strlen(kw[i]) == to - from && !memcmp(buf + from, kw[i], to - from)) {
            return 1;
        }
    }
    return 0;
}

static void copy_regex(void)
{
    int cls = 0;

    put(in[pos++]);
    while (pos < len && (in[pos] != '/' || cls)) {
        if (in[pos] == '\n') {
            fail("line break in a regular expression");
        }
        if (in[pos] == '\\' && pos + 1 < len) {
            put(in[pos++]);
        }
        else if (in[pos] == '[') {
            cls = 1;
        }
        else if (in[pos] == ']') {
            cls = 0;
        }
        put(in[pos++]);
    }
    if (pos >= len) {
        fail("unterminated regular expression");
    }
    put(in[pos++]);
}

static void js(void)
{
    int space;

    while (pos < len) {
        char p, c;
        space = skip_space(0);
        if (pos >= len) {
            break;
        }
        p = last();
        c = in[pos];
        if (space && olen) {
            /* A line break stays where a statement could end on it (ASI); else one space where
             * two tokens would merge ("var x", "a + +b", "a - -b"). */
            int ends = word(p) || p == ')' || p == ']' || p == '}' || p == '\'' || p == '"'
                       || p == '`';
            int starts = word(c) || c == '(' || c == '[' || c == '{' || c == '\'' || c == '"'
                         || c == '`' || c == '+' || c == '-' || c == '!' || c == '~' || c == '/';
            if (space == 2 && ends && starts && p != '}') {
                put('\n');
            }
            else if ((word(p) && word(c)) || (p == '+' && c == '+') || (p == '-' && c == '-')) {
                put(space == 2 ? '\n' : ' ');
            }
        }
        if (c == '\'' || c == '"' || c == '`') {
            copy_quoted();
        }
        else if (c == '/' && (!olen || strchr("(,=:[!&|?{};+-*%<>~^", p) || after_keyword())) {
            copy_regex();
        }
        else {
            put(in[pos++]);
        }
    }
    put('\n');
}

/* ------------------------------------------------------------------------------------------ */
/* Shortening the file's own names                                                             */

#define MAX_NAMES 1024

typedef struct {
    char name[64];
    int declared;
    int count;
    char repl[8];
} ident_t;

static ident_t ids[MAX_NAMES];
static int nids;

static ident_t *ident(const char *s, size_t n)
{
    int i;

    if (n >= sizeof(ids[0].name)) {
        fail("name too long");
    }
    for (i = 0; i < nids; i++) {
        if (strlen(ids[i].name) == n && !memcmp(ids[i].name, s, n)) {
            return &ids[i];
        }
    }
    if (nids == MAX_NAMES) {
        fail("too many names");
    }
    memcpy(ids[nids].name, s, n);
    ids[nids].name[n] = '\0';
    return &ids[nids++];
}

typedef enum { T_NAME, T_NUM, T_STR, T_REGEX, T_PUNCT, T_SPACE } tok_e;

typedef struct {
    tok_e type;
    size_t at, len;
} tok_t;

static tok_t *toks;
static size_t ntoks;

/* Splits the minified text (in, len) into tokens. */
static void tokenize(void)
{
    size_t cap = 0;

    for (pos = 0; pos < len;) {
        tok_t t;
        char c = in[pos], p = '\0';
        size_t k;

        const tok_t *prev_name = NULL;

        for (k = ntoks; k > 0; k--) {
            if (toks[k - 1].type != T_SPACE) {
                p = in[toks[k - 1].at + toks[k - 1].len - 1];
                prev_name = toks[k - 1].type == T_NAME ? &toks[k - 1] : NULL;
                break;
            }
        }
        t.at = pos;
        if (c == ' ' || c == '\n') {
            t.type = T_SPACE;
            pos++;
        }
        else if (c == '\'' || c == '"' || c == '`') {
            char q = c;
            t.type = T_STR;
            for (pos++; pos < len && in[pos] != q; pos++) {
                pos += in[pos] == '\\';
            }
            pos++;
        }
        else if (c == '/' && (!p || strchr("(,=:[!&|?{};+-*%<>~^", p)
                              || (prev_name && after_keyword_in(in, prev_name->at,
                                                                prev_name->at + prev_name->len)))) {
            int cls = 0;
            t.type = T_REGEX;
            for (pos++; pos < len && (in[pos] != '/' || cls); pos++) {
                if (in[pos] == '\\') {
                    pos++;
                }
                else if (in[pos] == '[') {
                    cls = 1;
                }
                else if (in[pos] == ']') {
                    cls = 0;
                }
            }
            for (pos++; pos < len && word(in[pos]); pos++) {
            }
        }
        else if (word(c)) {
            t.type = c >= '0' && c <= '9' ? T_NUM : T_NAME;
            while (pos < len && (word(in[pos]) || (t.type == T_NUM && in[pos] == '.'))) {
                pos++;
            }
        }
        else {
            t.type = T_PUNCT;
            pos++;
        }
        t.len = pos - t.at;
        if (ntoks == cap) {
            cap = cap ? 2 * cap : 4096;
            if (!(toks = realloc(toks, cap * sizeof(*toks)))) {
                perror("minify");
                exit(1);
            }
        }
        toks[ntoks++] = t;
    }
}

static int is(const tok_t *t, const char *s)
{
    return t && t->len == strlen(s) && !memcmp(in + t->at, s, t->len);
}

/* The significant token before (dir -1) or after (dir 1) token i, or NULL. */
static const tok_t *near(size_t i, int dir)
{
    for (;;) {
        if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= ntoks)) {
            return NULL;
        }
        i += dir;
        if (toks[i].type != T_SPACE) {
            return &toks[i];
        }
    }
}

/* 1 when name token i stands for a variable (not a property, not a key). */
static int is_variable(size_t i)
{
    const tok_t *p = near(i, -1), *n = near(i, 1);

    if (p && is(p, ".")) {
        return 0;
    }
    return !(p && (is(p, "{") || is(p, ",")) && n && is(n, ":"));
}

/* The n-th short name: a..z, A..Z, then two letters. */
static void short_name(int n, char *buf)
{
    static const char al[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    if (n < 52) {
        buf[0] = al[n];
        buf[1] = '\0';
    }
    else {
        n -= 52;
        buf[0] = al[(n / 52) % 52];
        buf[1] = al[n % 52];
        buf[2] = '\0';
    }
}

static int by_count(const void *a, const void *b)
{
    return (*(ident_t *const *)b)->count - (*(ident_t *const *)a)->count;
}

static void mangle(void)
{
    static const char *const reserved[] = {"do", "if", "in", "of", "as", "is", NULL};
    ident_t *order[MAX_NAMES];
    char *res = NULL;
    size_t i, rlen = 0, rcap;
    int depth = 0, var_depth = -1, param_depth = -1, n, k, gen = 0;

    in = out;
    len = olen;
    tokenize();
    for (i = 0; i < ntoks; i++) {
        tok_t *t = &toks[i];
        const tok_t *p = near(i, -1);
        if (t->type == T_PUNCT) {
            char c = in[t->at];
            if (c == '(' || c == '[' || c == '{') {
                const tok_t *pp = p ? near((size_t)(p - toks), -1) : NULL;
                depth++;
                /* function NAME ( / function ( / catch ( : the parameters follow */
                if (c == '(' && (is(p, "function") || (is(p, "catch") && !is(pp, "."))
                                 || (p && p->type == T_NAME && is(pp, "function")))) {
                    param_depth = depth;
                }
            }
            else if (c == ')' || c == ']' || c == '}') {
                if (depth == param_depth) {
                    param_depth = -1;
                }
                depth--;
            }
            else if (c == ';' && depth == var_depth) {
                var_depth = -1;
            }
            continue;
        }
        if (t->type != T_NAME) {
            continue;
        }
        ident(in + t->at, t->len)->count++;
        if (is(t, "var")) {
            var_depth = depth;
        }
        else if (is(p, "var") || is(p, "function") || depth == param_depth
                 || (is(p, ",") && depth == var_depth)) {
            ident(in + t->at, t->len)->declared = 1;
        }
    }
    for (k = n = 0; k < nids; k++) {
        if (ids[k].declared) {
            order[n++] = &ids[k];
        }
    }
    qsort(order, n, sizeof(*order), by_count);
    for (k = 0; k < n; k++) {
        for (;;) {
            char cand[8];
            int j, taken = 0;
            short_name(gen++, cand);
            for (j = 0; reserved[j] && !taken; j++) {
                taken = !strcmp(reserved[j], cand);
            }
            for (j = 0; j < nids && !taken; j++) {
                taken = !strcmp(ids[j].name, cand) && !ids[j].declared;
            }
            for (j = 0; j < k && !taken; j++) {
                taken = !strcmp(order[j]->repl, cand);
            }
            if (!taken) {
                strcpy(order[k]->repl, cand);
                break;
            }
        }
    }
    rcap = olen + 1;
    if (!(res = malloc(rcap))) {
        perror("minify");
        exit(1);
    }
    for (i = 0; i < ntoks; i++) {
        const tok_t *t = &toks[i];
        const char *s = in + t->at;
        size_t l = t->len;
        if (t->type == T_NAME && is_variable(i)) {
            ident_t *id = ident(s, l);
            if (id->declared) {
                s = id->repl;
                l = strlen(id->repl);
            }
        }
        memcpy(res + rlen, s, l);
        rlen += l;
    }
    out = res;
    olen = rlen;
}

static void css(void)
{
    while (pos < len) {
        int space = skip_space(1);
        char p, c;
        if (pos >= len) {
            break;
        }
        p = last();
        c = in[pos];
        /* A space is kept only between two parts of a selector or value ("a b", "0 auto",
         * "and (", "- 2rem"). */
        if (space && olen && !strchr("{};,>:(", p) && !strchr("{};,>)!", c)) {
            put(' ');
        }
        if (c == '\'' || c == '"') {
            copy_quoted();
        }
        else if (c == '}' && p == ';') {
            out[olen - 1] = '}';                /* no ';' before '}' */
            pos++;
        }
        else {
            put(in[pos++]);
        }
    }
    put('\n');
}

int main(int argc, char **argv)
{
    static char buf[1 << 20];

    if (argc != 2 || (strcmp(argv[1], "css") && strcmp(argv[1], "js"))) {
        fprintf(stderr, "usage: minify css|js < IN > OUT\n");
        return 2;
    }
    len = fread(buf, 1, sizeof(buf) - 1, stdin);
    if (!feof(stdin)) {
        fprintf(stderr, "minify: input too large\n");
        return 1;
    }
    buf[len] = '\0';
    in = buf;
    if (!strcmp(argv[1], "css")) {
        css();
    }
    else {
        js();
        mangle();
    }
    return fwrite(out, 1, olen, stdout) == olen && !fflush(stdout) ? 0 : 1;
}
