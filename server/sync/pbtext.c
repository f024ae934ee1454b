/*
 * pbtext.c - UTF-8 checks over decoded protobuf messages (pbtext.h),
 * walking each message through its descriptor.
 */
#include "sync/pbtext.h"

#include <jansson.h>
#include <string.h>

/* jansson's own UTF-8 check: json_string() refuses anything else. */
int pbtext_utf8(const char *s)
{
    json_t *probe = s ? json_string(s) : NULL;
    int ok = s == NULL || probe != NULL;

    json_decref(probe);
    return ok;
}

/* The value i of field f in m (the field itself when not repeated). */
static const void *value_at(const ProtobufCMessage *m,
                            const ProtobufCFieldDescriptor *f, size_t i)
{
    const char *base = (const char *)m + f->offset;

    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        return *(char *const *)base +
               i * (f->type == PROTOBUF_C_TYPE_STRING ? sizeof(char *)
                                                      : sizeof(void *));
    return base;
}

/* How many values field f has in m: repeated count, or 0/1 for a oneof
 * member according to its case. */
static size_t count_of(const ProtobufCMessage *m,
                       const ProtobufCFieldDescriptor *f)
{
    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        return *(const size_t *)((const char *)m + f->quantifier_offset);
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        return *(const uint32_t *)((const char *)m + f->quantifier_offset) ==
               f->id;
    return 1;
}

int pbtext_valid(const ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;

    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        size_t n;

        if (f->type != PROTOBUF_C_TYPE_STRING &&
            f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        n = count_of(m, f);
        for (size_t k = 0; k < n; k++) {
            const void *v = *(const void *const *)value_at(m, f, k);
            if (!v)
                continue;
            if (f->type == PROTOBUF_C_TYPE_STRING ? !pbtext_utf8(v)
                                                  : !pbtext_valid(v))
                return 0;
        }
    }
    return 1;
}
