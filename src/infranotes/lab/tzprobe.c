/* tzprobe.c - the zone the C library gives this process, at given instants, as JSON.
 *
 * infranotes builds it with gcc (glibc) and musl-gcc -static (musl).
 * usage: tzprobe EPOCH [EPOCH...]
 * output: {"libc":"musl","at":[{"epoch":1705320000,"zone":"CST","gmtoff":28800,"isdst":0},...]}
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef __GLIBC__
#define LIBC "glibc"
#else
#define LIBC "musl"
#endif

int main(int argc, char **argv) {
    tzset();
    printf("{\"libc\":\"%s\",\"at\":[", LIBC);
    for (int i = 1; i < argc; i++) {
        time_t t = (time_t)atoll(argv[i]);
        struct tm tm;
        if (!localtime_r(&t, &tm)) { printf("%snull", i > 1 ? "," : ""); continue; }
        printf("%s{\"epoch\":%lld,\"zone\":\"", i > 1 ? "," : "", (long long)t);
        for (const char *s = tm.tm_zone ? tm.tm_zone : ""; *s; s++)
            if (*s != '"' && *s != '\\' && (unsigned char)*s >= 0x20) putchar(*s);
        printf("\",\"gmtoff\":%ld,\"isdst\":%d}", (long)tm.tm_gmtoff, tm.tm_isdst);
    }
    printf("]}\n");
    return 0;
}
