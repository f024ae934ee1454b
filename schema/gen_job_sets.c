/*
 * gen_job_sets.c - writes build/gen/job_sets_sql.h: each set of job states
 * of server/rules/job_sets.c as an SQL list of quoted names,
 *   #define JOB_SQL_COMMITTED "'en_route', 'on_site'"
 * so that queries name a set and never spell its states.
 * Usage: gen_job_sets > job_sets_sql.h
 */
#include "rules/job_sets.h"

#include <ctype.h>
#include <stdio.h>

int main(void)
{
    printf("/* job_sets_sql.h - written by schema/gen_job_sets.c from"
           " server/rules/job_sets.c */\n#ifndef FSD_JOB_SETS_SQL_H\n"
           "#define FSD_JOB_SETS_SQL_H\n\n");
    for (int set = 0; set < JOB__SETS; set++) {
        const char *sep = "";

        printf("#define JOB_SQL_");
        for (const char *c = job_sets[set].name; *c; c++)
            putchar(toupper((unsigned char)*c));
        printf(" \"");
        for (const enum job_state *s = job_sets[set].states;
             *s != JOB__STATES; s++, sep = ", ")
            printf("%s'%s'", sep, job_state_name(*s));
        printf("\"\n");
    }
    printf("\n#endif\n");
    return ferror(stdout) ? 1 : 0;
}
