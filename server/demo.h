/*
 * demo.h - demonstration data: a small service company's day.
 */
#ifndef FSD_DEMO_H
#define FSD_DEMO_H

#include "store.h"

#define DEMO_DISPATCHER "dispatcher"
#define DEMO_DISPATCHER_PASSWORD "dispatch-demo-2026"

/* Load the demo data once; ERR_CONFLICT if it is already there. */
int demo_load(struct store *s, struct err *err);

#endif
