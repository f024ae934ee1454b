/*
 * pbtext.h - every string of a decoded protobuf message is UTF-8 text.
 *
 * protobuf-c does not check that string fields hold UTF-8, and what a
 * device sends ends up in JSON (audit trail, API answers) and in the
 * database, so the server checks a request as a whole before acting on it.
 */
#ifndef FSD_PBTEXT_H
#define FSD_PBTEXT_H

#include <protobuf-c/protobuf-c.h>

/* 1 when s is valid UTF-8 (NULL counts as text); else 0. */
int pbtext_utf8(const char *s);

/* 1 when every string field of m, nested messages and repeated fields
 * included, is valid UTF-8 without NUL; else 0. */
int pbtext_valid(const ProtobufCMessage *m);

#endif
