/*
 * demo.h - demonstration data: a Shanghai service company's day.
 *
 * The company profile (name, Asia/Shanghai, CNY), five skills, eight
 * technicians on a round-the-clock rota, twelve customers each with the
 * unit they own, eight parts with stock, DEMO_TODAY_JOBS jobs for today
 * whose windows are all still ahead, DEMO_TOMORROW_JOBS appointments for
 * tomorrow, and two staff logins.  "Today" is the company's date in its
 * zone at the moment of loading.
 */
#ifndef FSD_DEMO_H
#define FSD_DEMO_H

#include "store/store.h"

#define DEMO_DISPATCHER "dispatcher"
#define DEMO_MANAGER "manager"
/* both logins' password */
#define DEMO_DISPATCHER_PASSWORD "dispatch-demo-2026"

#define DEMO_COMPANY "Huadong Cooling & Care Service Co., Ltd."
#define DEMO_ZONE "Asia/Shanghai"
#define DEMO_CURRENCY "CNY"
#define DEMO_PHONE "+86 21 5036 8800"
#define DEMO_EMAIL "service@huadong-cooling.example"
#define DEMO_CALLOUT_FEE 8000 /* CNY 80.00, an out-of-warranty visit */

#define DEMO_TODAY_JOBS 24    /* job ids 1-24 */
#define DEMO_READY 16         /* 1-16 booked with parts reserved; 17-24 new */
#define DEMO_TOMORROW_JOBS 12 /* job ids 25-36 */
#define DEMO_TOMORROW_READY 8 /* 25-32 booked with parts reserved */

/* Load the demo data once, as of now; ERR_CONFLICT if it is already
 * there. */
int demo_load(struct store *s, struct err *err);
/* The same as of the instant now (Unix seconds): today's windows start
 * after it, tomorrow is the company's next date. */
int demo_load_at(struct store *s, int64_t now, struct err *err);

#endif
