/* cc_matcher.c - finds the end of the opening <body> tag in a streamed HTML document. */
#include "cc_matcher.h"

#include <string.h>

enum {
    CC_M_DATA = 0,          /* text: looking for '<' */
    CC_M_TAG_OPEN,          /* after '<' */
    CC_M_END_TAG_OPEN,      /* after "</" */
    CC_M_TAG_NAME,
    CC_M_BEFORE_ATTR,       /* inside a tag, between attributes */
    CC_M_ATTR_NAME,
    CC_M_AFTER_ATTR_NAME,
    CC_M_BEFORE_VALUE,      /* after '=' */
    CC_M_VALUE_DQ,
    CC_M_VALUE_SQ,
    CC_M_VALUE_UNQ,
    CC_M_MARKUP_DECL,       /* after "<!" */
    CC_M_COMMENT_START,     /* after "<!-" */
    CC_M_COMMENT,           /* inside "<!-- ... -->" */
    CC_M_BOGUS,             /* "<!DOCTYPE ...>", "<?xml ...>", "</ ...>": until '>' */
    CC_M_RAW,               /* inside script/style/...: looking for "</name" */
    CC_M_PLAINTEXT          /* <plaintext>: never ends */
};

/* Elements whose content is not markup, so "<body" inside them is text. */
static const char *const cc_raw_elements[] = {
    "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", NULL
};
static const apr_size_t cc_raw_len[] = {6, 5, 5, 8, 3, 6, 7, 8};

/* Byte classes for the tight loops inside tags. */
#define CC_C_SPACE 1
#define CC_C_GT 2
#define CC_C_SLASH 4
#define CC_C_EQ 8

static const unsigned char cc_m_class[256] = {
    ['\t'] = CC_C_SPACE, ['\n'] = CC_C_SPACE, ['\f'] = CC_C_SPACE, ['\r'] = CC_C_SPACE,
    [' '] = CC_C_SPACE, ['>'] = CC_C_GT, ['/'] = CC_C_SLASH, ['='] = CC_C_EQ,
};

/* Skips bytes whose class has none of the stop bits. */
static const char *cc_m_skip(const char *p, const char *end, unsigned char stop)
{
    while (p < end && !(cc_m_class[(unsigned char)*p] & stop)) {
        p++;
    }
    return p;
}

/* The next ch in [p, end), or NULL: a few bytes by hand first (in a head, the next quote or '<'
 * is usually that close, and memchr's call costs more than the loop), then memchr. */
static const char *cc_m_find(const char *p, const char *end, char ch)
{
    const char *stop = (end - p > 16) ? p + 16 : end;

    for (; p < stop; p++) {
        if (*p == ch) {
            return p;
        }
    }
    return p < end ? memchr(p, ch, end - p) : NULL;
}

void cc_matcher_init(cc_matcher_t *m)
{
    memset(m, 0, sizeof(*m));
}

static int cc_m_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int cc_m_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char cc_m_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static void cc_m_name_add(cc_matcher_t *m, char c)
{
    if (m->name_len < CC_MATCHER_NAME_MAX) {
        m->name[m->name_len] = cc_m_lower(c);
    }
    m->name_len++;
}

/* name is a literal: the compiler folds its length, the compare is a few word loads. */
#define cc_m_name_is(m, lit) \
    ((m)->name_len == sizeof(lit) - 1 && !memcmp((m)->name, (lit), sizeof(lit) - 1))

/* The '>' of a tag: decides what comes next. Returns 1 when this was the body start tag. */
static int cc_m_tag_end(cc_matcher_t *m)
{
    int i;

    m->state = CC_M_DATA;
    /* Most tags are none of ours: reject them on their first letter before any compare. */
    if (m->tag_is_end || m->name_len < 3 || m->name_len > 9
        || !memchr("bstxinp", m->name[0], 7)) {
        return 0;
    }
    if (cc_m_name_is(m, "body")) {
        return 1;
    }
    if (cc_m_name_is(m, "plaintext")) {
        m->state = CC_M_PLAINTEXT;
        return 0;
    }
    for (i = 0; cc_raw_elements[i]; i++) {
        if (m->name_len == cc_raw_len[i] && !memcmp(m->name, cc_raw_elements[i], cc_raw_len[i])) {
            m->state = CC_M_RAW;
            m->raw_end = cc_raw_elements[i];
            m->raw_len = cc_raw_len[i];
            m->raw_matched = 0;
            break;
        }
    }
    return 0;
}

/* In raw text, matches "</name" followed by a space, '/' or '>' (case-insensitive). */
static void cc_m_raw(cc_matcher_t *m, char c)
{
    apr_size_t n = m->raw_len;

    if (m->raw_matched == 0) {
        m->raw_matched = (c == '<');
    }
    else if (m->raw_matched == 1) {
        m->raw_matched = (c == '/') ? 2 : (c == '<');
    }
    else if (m->raw_matched < n + 2) {
        if (cc_m_lower(c) == m->raw_end[m->raw_matched - 2]) {
            m->raw_matched++;
        }
        else {
            m->raw_matched = (c == '<');
        }
    }
    else if (cc_m_space(c) || c == '/' || c == '>') {
        /* The end tag: read it as a tag so its attributes and '>' are consumed. */
        m->tag_is_end = 1;
        m->name_len = 0;
        m->raw_matched = 0;
        m->state = (c == '>') ? CC_M_DATA : CC_M_BEFORE_ATTR;
    }
    else {
        m->raw_matched = (c == '<');
    }
}

/* The first start tag decides whether the response is a document or a fragment. */
static void cc_m_name_done(cc_matcher_t *m)
{
    int doc;

    if (m->tag_is_end || m->name_len != 4) {
        if (m->start == CC_MATCHER_START_UNKNOWN) {
            m->start = CC_MATCHER_START_OTHER;
        }
        return;
    }
    m->html_seen |= cc_m_name_is(m, "html");
    doc = cc_m_name_is(m, "html") || cc_m_name_is(m, "head") || cc_m_name_is(m, "body");
    if (m->start == CC_MATCHER_START_UNKNOWN) {
        m->start = doc ? CC_MATCHER_START_DOCUMENT : CC_MATCHER_START_OTHER;
    }
}

/* What comes before the first '<' while the start is unknown: a UTF-8 BOM and white space are
 * skipped; a UTF-16/32 BOM or a NUL means another encoding; anything else is text. Returns
 * where '<' (or the end) is. */
static const char *cc_m_lead(cc_matcher_t *m, const char *p, const char *end)
{
    static const unsigned char bom[3] = {0xef, 0xbb, 0xbf};
    unsigned char c;

    for (; p < end; p++, m->lead++) {
        c = (unsigned char)*p;
        if (m->lead < 3 && c == bom[m->lead]) {
            continue;
        }
        if (c == 0 || c == 0xfe || c == 0xff) {
            m->start = CC_MATCHER_START_FOREIGN;
            return end;
        }
        if (c == '<') {
            return p;
        }
        if (!cc_m_space((char)c)) {
            m->start = CC_MATCHER_START_OTHER;
            return p;
        }
        m->lead = 3;                /* a BOM only counts at the very start */
    }
    return p;
}

int cc_matcher_is_document(const cc_matcher_t *m)
{
    return m->found || m->html_seen || m->start == CC_MATCHER_START_DOCUMENT;
}

/* One byte of a tag (name or attributes). Returns 1 when the body start tag ends here. */
static int cc_m_tag(cc_matcher_t *m, char c)
{
    switch (m->state) {
    case CC_M_TAG_NAME:
        cc_m_name_done(m);
        if (c == '>') {
            return cc_m_tag_end(m);
        }
        if (cc_m_space(c) || c == '/') {
            m->state = CC_M_BEFORE_ATTR;
        }
        else {
            cc_m_name_add(m, c);
        }
        return 0;
    case CC_M_BEFORE_ATTR:
    case CC_M_AFTER_ATTR_NAME:
        if (c == '>') {
            return cc_m_tag_end(m);
        }
        if (c == '=' && m->state == CC_M_AFTER_ATTR_NAME) {
            m->state = CC_M_BEFORE_VALUE;
        }
        else if (!cc_m_space(c) && c != '/') {
            m->state = CC_M_ATTR_NAME;
        }
        return 0;
    case CC_M_ATTR_NAME:
        if (c == '>') {
            return cc_m_tag_end(m);
        }
        if (c == '=') {
            m->state = CC_M_BEFORE_VALUE;
        }
        else if (cc_m_space(c) || c == '/') {
            m->state = CC_M_AFTER_ATTR_NAME;
        }
        return 0;
    case CC_M_BEFORE_VALUE:
        if (c == '>') {
            return cc_m_tag_end(m);
        }
        if (c == '"') {
            m->state = CC_M_VALUE_DQ;
        }
        else if (c == '\'') {
            m->state = CC_M_VALUE_SQ;
        }
        else if (!cc_m_space(c)) {
            m->state = CC_M_VALUE_UNQ;
        }
        return 0;
    case CC_M_VALUE_DQ:
    case CC_M_VALUE_SQ:
        if (c == (m->state == CC_M_VALUE_DQ ? '"' : '\'')) {
            m->state = CC_M_BEFORE_ATTR;
        }
        return 0;
    case CC_M_VALUE_UNQ:
        if (c == '>') {
            return cc_m_tag_end(m);
        }
        if (cc_m_space(c)) {
            m->state = CC_M_BEFORE_ATTR;
        }
        return 0;
    }
    return 0;
}

/* One byte after '<', "</", "<!" or inside a comment. */
static void cc_m_markup(cc_matcher_t *m, char c)
{
    switch (m->state) {
    case CC_M_TAG_OPEN:
        m->tag_is_end = 0;
        m->name_len = 0;
        if (cc_m_alpha(c)) {
            cc_m_name_add(m, c);
            m->state = CC_M_TAG_NAME;
        }
        else if (c == '/') {
            m->state = CC_M_END_TAG_OPEN;
        }
        else if (c == '!') {
            m->state = CC_M_MARKUP_DECL;
        }
        else if (c == '?') {
            m->state = CC_M_BOGUS;
        }
        else {
            m->state = (c == '<') ? CC_M_TAG_OPEN : CC_M_DATA;
            if (m->start == CC_MATCHER_START_UNKNOWN) {
                m->start = CC_MATCHER_START_OTHER;      /* "<" as text */
            }
        }
        break;
    case CC_M_END_TAG_OPEN:
        m->tag_is_end = 1;
        if (cc_m_alpha(c)) {
            cc_m_name_add(m, c);
            m->state = CC_M_TAG_NAME;
        }
        else {
            m->state = (c == '>') ? CC_M_DATA : CC_M_BOGUS;
        }
        break;
    case CC_M_MARKUP_DECL:
        m->state = (c == '-') ? CC_M_COMMENT_START : (c == '>') ? CC_M_DATA : CC_M_BOGUS;
        if (m->state == CC_M_BOGUS && m->start == CC_MATCHER_START_UNKNOWN) {
            m->start = CC_MATCHER_START_DOCUMENT;       /* <!DOCTYPE html> */
        }
        break;
    case CC_M_COMMENT_START:
        /* Counting the opening dashes makes "<!-->" and "<!--->" end at once, as in HTML5. */
        m->dashes = 2;
        m->state = (c == '-') ? CC_M_COMMENT : (c == '>') ? CC_M_DATA : CC_M_BOGUS;
        break;
    case CC_M_COMMENT:
        /* "-->" ends it, and so does "<!-->" / "<!--->" (HTML5 abrupt closing). */
        if (c == '>' && m->dashes >= 2) {
            m->state = CC_M_DATA;
        }
        m->dashes = (c == '-') ? m->dashes + 1 : 0;
        break;
    case CC_M_BOGUS:
        if (c == '>') {
            m->state = CC_M_DATA;
        }
        break;
    }
}

apr_ssize_t cc_matcher_feed(cc_matcher_t *m, const char *buf, apr_size_t len)
{
    const char *p = buf, *end = buf + len;
    char c;

    if (m->found || m->start == CC_MATCHER_START_FOREIGN) {
        return -1;
    }
    while (p < end) {
        switch (m->state) {
        case CC_M_DATA:
            if (m->start == CC_MATCHER_START_UNKNOWN) {
                p = cc_m_lead(m, p, end);
                if (m->start == CC_MATCHER_START_FOREIGN) {
                    return -1;
                }
            }
            /* Text is most of a page: let memchr skip it. */
            p = cc_m_find(p, end, '<');
            if (!p) {
                return -1;
            }
            p++;
            m->state = CC_M_TAG_OPEN;
            continue;
        case CC_M_PLAINTEXT:
            return -1;
        case CC_M_RAW:
            if (m->raw_matched == 0) {
                p = cc_m_find(p, end, '<');
                if (!p) {
                    return -1;
                }
            }
            cc_m_raw(m, *p++);
            continue;
        case CC_M_COMMENT:
            if (m->dashes == 0) {
                p = memchr(p, '-', end - p);
                if (!p) {
                    return -1;
                }
            }
            cc_m_markup(m, *p++);
            continue;
        case CC_M_TAG_NAME:
            /* The name is only needed up to its first CC_MATCHER_NAME_MAX bytes. */
            while (p < end && !(cc_m_class[(unsigned char)*p] & (CC_C_SPACE | CC_C_GT
                                                                    | CC_C_SLASH))) {
                cc_m_name_add(m, *p++);
            }
            break;
        case CC_M_ATTR_NAME:
            p = cc_m_skip(p, end, CC_C_SPACE | CC_C_GT | CC_C_SLASH | CC_C_EQ);
            break;
        case CC_M_VALUE_UNQ:
            p = cc_m_skip(p, end, CC_C_SPACE | CC_C_GT);
            break;
        case CC_M_VALUE_DQ:
        case CC_M_VALUE_SQ:
            /* Attribute values (URLs, JSON in data-*) can be long: skip to the closing quote. */
            p = cc_m_find(p, end, m->state == CC_M_VALUE_DQ ? '"' : '\'');
            if (!p) {
                return -1;
            }
            p++;
            m->state = CC_M_BEFORE_ATTR;
            continue;
        case CC_M_BOGUS:
            p = cc_m_find(p, end, '>');
            if (!p) {
                return -1;
            }
            p++;
            m->state = CC_M_DATA;
            continue;
        case CC_M_TAG_OPEN:
        case CC_M_END_TAG_OPEN:
        case CC_M_MARKUP_DECL:
        case CC_M_COMMENT_START:
            cc_m_markup(m, *p++);
            continue;
        default:
            break;
        }
        /* One byte of a tag that changes its state (or any byte of the rarer tag states). */
        if (p == end) {
            return -1;
        }
        c = *p++;
        if (cc_m_tag(m, c)) {
            m->found = 1;
            return p - buf;
        }
    }
    return -1;
}
